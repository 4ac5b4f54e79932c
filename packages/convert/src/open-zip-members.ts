import type { ByteSource, CheckpointMember } from "@modelgate/scanner";
import { ConvertError } from "@modelgate/scanner";

/** Opens a zip checkpoint's members as PyTorch's reader does. */
export async function openZipMembers(_source: ByteSource): Promise<CheckpointMember[]> {
  throw new ConvertError("convert/unsupported-format", "zip checkpoints are not converted yet");
}

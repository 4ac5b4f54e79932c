import { budgetFor } from "../formats/container-budget.js";
import { ContainerError } from "../formats/container-error.js";
import { openZipMember } from "../formats/zip/open-zip-member.js";
import { readZipArchive } from "../formats/zip/read-zip-archive.js";
import type { Limits } from "../limits.js";
import type { ByteSource } from "../reader/byte-source.js";
import { ConvertError } from "./convert-error.js";
import type { CheckpointMember } from "./read-zip-checkpoint.js";

const STORED = 0;

/**
 * The members of a zip checkpoint, opened with the scanner's zip reader (which reads as PyTorch's
 * miniz does: central directory, data where the local header ends). Stored members keep their
 * offset in the file, so their bytes can be copied straight from it; nothing is read here but
 * the directory and local headers. Throws `ConvertError` for an archive PyTorch could not open.
 */
export async function openZipCheckpoint(source: ByteSource, limits: Limits): Promise<CheckpointMember[]> {
  try {
    const archive = await readZipArchive(source, limits);
    const budget = budgetFor(source, limits);
    return archive.directory.entries.map((entry) => {
      const local = archive.locals.get(entry.index);
      if (!local)
        throw new ConvertError(
          "convert/bad-zip",
          `the local header of ${JSON.stringify(entry.name)} is unreadable`,
        );
      return {
        name: entry.name,
        source: openZipMember(source, entry, local, budget, limits),
        fileOffset: entry.method === STORED ? local.dataOffset : undefined,
      };
    });
  } catch (err) {
    if (err instanceof ContainerError)
      throw new ConvertError("convert/bad-zip", `the zip archive cannot be read: ${err.message}`);
    throw err;
  }
}

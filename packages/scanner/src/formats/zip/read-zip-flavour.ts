import type { ByteSource } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import type { ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { readZipArchive, type ZipArchive } from "./read-zip-archive.js";

/**
 * Reads the archive for a zip-based format (PyTorch, npz, Keras v3). An archive that cannot be read
 * is declined rather than reported: the plain zip parser, tried after them, reads the same (cached)
 * result and reports it once.
 */
export async function readZipFlavour(source: ByteSource, ctx: ParseContext): Promise<ZipArchive> {
  try {
    return await readZipArchive(source, ctx.limits);
  } catch (err) {
    if (err instanceof ContainerError) throw new NotThisFormatError(err.message);
    throw err;
  }
}

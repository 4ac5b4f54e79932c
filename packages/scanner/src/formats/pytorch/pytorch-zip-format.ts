import type { FormatParser } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { readZipFlavour } from "../zip/read-zip-flavour.js";
import { scanZip } from "../zip/scan-zip.js";
import { startsLikeZip } from "../zip/starts-like-zip.js";
import type { ZipEntry } from "../zip/zip-types.js";

/** `torch.save` writes `<any folder>/data.pkl` and `<folder>/version` (`.data/version` in newer ones). */
const PYTORCH_MEMBER = /^[^/]+\/(data\.pkl|constants\.pkl|version|\.data\/version)$/i;

/** True when the archive's names are those of `torch.save` or `torch.jit.save`. */
export function isPytorchZip(entries: readonly ZipEntry[]): boolean {
  return entries.some((e) => PYTORCH_MEMBER.test(e.name));
}

/**
 * PyTorch checkpoints in the zip format (`torch.save` since 1.6), under any top-level folder name.
 * Reads the central directory, the local headers and the pickle members only: never tensor data, so
 * a multi-gigabyte checkpoint costs a few hundred kilobytes of reads.
 */
export const pytorchZipFormat: FormatParser = {
  id: "pytorch-zip",
  sniff: (head) => startsLikeZip(head),
  async parse(source, ctx) {
    const archive = await readZipFlavour(source, ctx);
    if (!isPytorchZip(archive.directory.entries)) throw new NotThisFormatError("no PyTorch members");
    const first = archive.directory.entries[0]?.name ?? "";
    ctx.info("archiveName", first.includes("/") ? first.slice(0, first.indexOf("/")) : first);
    await scanZip(source, archive, ctx, "pytorch");
  },
};

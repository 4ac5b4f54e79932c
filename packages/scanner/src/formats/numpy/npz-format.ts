import type { FormatParser } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { readZipFlavour } from "../zip/read-zip-flavour.js";
import { scanZip } from "../zip/scan-zip.js";
import { startsLikeZip } from "../zip/starts-like-zip.js";

/**
 * numpy `.npz` archives (`numpy.savez`): a zip whose members are `.npy` files. `numpy.load` reads a
 * member with `allow_pickle` semantics when it is accessed, so every member is scanned by content.
 */
export const npzFormat: FormatParser = {
  id: "npz",
  sniff: (head) => startsLikeZip(head),
  async parse(source, ctx) {
    const archive = await readZipFlavour(source, ctx);
    const entries = archive.directory.entries;
    if (entries.length === 0 || !entries.every((e) => e.name.endsWith(".npy"))) {
      throw new NotThisFormatError("not every member is a .npy file");
    }
    await scanZip(source, archive, ctx, "all");
  },
};

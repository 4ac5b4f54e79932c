import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser } from "../format-parser.js";
import { scanPickleAt } from "../pickle-member.js";
import { readNpyHeader, startsLikeNpy } from "./read-npy-header.js";

/**
 * numpy `.npy` arrays, format versions 1 to 3. Plain arrays are data and safe; an object array's data
 * is a pickle that `numpy.load(allow_pickle=True)` unpickles, so it is analysed. Array data is never
 * read otherwise: its size is only checked against the header. The data of a numeric array (not
 * strings, not structured) is marked as tensor data, which the secrets check skips.
 */
export const npyFormat: FormatParser = {
  id: "numpy",
  sniff: (head) => startsLikeNpy(head),
  async parse(source, ctx) {
    let header: Awaited<ReturnType<typeof readNpyHeader>>;
    try {
      header = await readNpyHeader(source);
    } catch (err) {
      if (!(err instanceof ContainerError)) throw err;
      reportIssues(ctx, [issueFromError(err)]);
      return;
    }
    ctx.info("npy", {
      version: header.version,
      descr: header.descr,
      shape: header.shape,
      fortranOrder: header.fortranOrder,
    });
    if (header.hasObject) {
      await scanPickleAt(source, ctx, header.dataOffset);
      return;
    }
    if (header.itemSize === undefined) return;
    const expected = header.shape.reduce((n, d) => n * d, 1) * header.itemSize;
    const available = source.size - header.dataOffset;
    // Numbers, whole and where the header says: numpy maps these bytes into the array as they are, and
    // nothing reads them as text. Marked so that the secrets check does not read them either.
    if (header.numeric && available >= expected) ctx.tensorData(header.dataOffset, expected);
    if (available !== expected) {
      reportIssues(ctx, [
        {
          rule: available < expected ? "numpy/truncated" : "numpy/trailing-data",
          severity: "suspicious",
          message:
            available < expected
              ? `the header declares ${expected} bytes of array data, the file has ${available}`
              : `${available - expected} bytes after the array data are not part of the array`,
          offset: header.dataOffset + Math.min(available, expected),
        },
      ]);
    }
  },
};

import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser } from "../format-parser.js";
import { readZipArchive } from "./read-zip-archive.js";
import { scanZip } from "./scan-zip.js";
import { startsLikeZip } from "./starts-like-zip.js";

/**
 * Zip archives that are not a PyTorch checkpoint or an npz: every member is scanned by content, to
 * the nesting limit. An archive that cannot be opened is an `error` finding, never `safe`.
 */
export const zipFormat: FormatParser = {
  id: "zip",
  sniff: (head) => startsLikeZip(head),
  async parse(source, ctx) {
    try {
      const archive = await readZipArchive(source, ctx.limits);
      await scanZip(source, archive, ctx, "all");
    } catch (err) {
      if (!(err instanceof ContainerError)) throw err;
      reportIssues(ctx, [issueFromError(err)]);
    }
  },
};

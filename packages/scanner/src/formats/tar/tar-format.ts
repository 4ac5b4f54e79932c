import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser } from "../format-parser.js";
import { startsLikeTar } from "./parse-tar-header.js";
import { readTarCached } from "./read-tar-cached.js";
import { scanTar } from "./scan-tar.js";

/**
 * Tar archives (ustar, pax, GNU, v7), detected by a valid header checksum as `tarfile` detects them.
 * Every regular member is scanned by content, to the nesting limit.
 */
export const tarFormat: FormatParser = {
  id: "tar",
  sniff: (head) => startsLikeTar(head),
  async parse(source, ctx) {
    try {
      await scanTar(source, await readTarCached(source, ctx.limits), ctx);
    } catch (err) {
      if (!(err instanceof ContainerError)) throw err;
      reportIssues(ctx, [issueFromError(err)]);
    }
  },
};

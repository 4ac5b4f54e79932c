import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { loadRepo } from "../repos/repo-ref.js";
import { fileStatusOf, parseReport, scanProvenance } from "../scan/security-status.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { fileAtRevision } from "./revision.js";

/**
 * `GET /api/{models,datasets}/{ns}/{repo}/scan/{rev}/{path}`: one file's status and its full scan
 * report (imports with reasons, calls, findings with locations, malware result, format summary), as
 * the file page shows it, with what produced it (`scannedWith`: scanner version, import policy digest,
 * ClamAV database), when (`scannedAt`), and `rescanPending` while a background rescan is due. Secrets in the report are already redacted by the scanner.
 */
export function fileScanRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.get<{ Params: RepoParams & { rev: string; "*": string } }>(
      `${t.api}/:ns/:repo/scan/:rev/*`,
      async (request) => {
        const { params } = request;
        const repo = await loadRepo(ctx, t.type, params.ns, params.repo, request.caller, "read");
        const { path, facts } = await fileAtRevision(ctx, repo, params.rev, params["*"]);
        const scan = facts?.scan;
        const stored = scan?.state === "done" ? parseReport(scan.report) : undefined;
        // A report is shared by every repository holding the bytes: it is this path's, nobody else's.
        const report = stored ? { ...stored, path } : null;
        return {
          path,
          status: fileStatusOf(scan),
          report,
          ...(scan?.error ? { message: scan.error } : {}),
          ...(scan?.finishedAt ? { scannedAt: scan.finishedAt } : {}),
          ...scanProvenance(scan),
        };
      },
    );
  }
}

import type { FastifyInstance } from "fastify";
import type { Caller } from "../auth/accounts.js";
import type { HubContext } from "../context.js";
import { commitInfo, listTree } from "../git/git-repo.js";
import { fileFacts } from "../repos/file-facts.js";
import { loadRepo } from "../repos/repo-ref.js";
import { type FileStatus, fileStatusOf, parseReport } from "../scan/security-status.js";
import { queryFlag } from "./query-flag.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { commitOf } from "./revision.js";

interface InfoQuery {
  securityStatus?: string;
  blobs?: string;
  expand?: string | string[];
}

const ISSUE_STATUSES: ReadonlySet<FileStatus> = new Set([
  "unsafe",
  "infected",
  "secret",
  "suspicious",
  "error",
]);
const PENDING_STATUSES: ReadonlySet<FileStatus> = new Set(["queued", "scanning"]);

/**
 * `GET /api/{models,datasets}/{ns}/{repo}[/revision/{rev}]`: repository info with `siblings`, and with
 * `?securityStatus=true` (or `expand=securityRepoStatus`) the `securityRepoStatus`.
 * `GET /api/{models,datasets}/{ns}/{repo}/scan`: the repository's scan summary.
 */
export function repoInfoRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    const handler = async (
      params: RepoParams & { rev?: string },
      query: InfoQuery,
      caller: Caller | undefined,
    ) => {
      const repo = await loadRepo(ctx, t.type, params.ns, params.repo, caller, "read");
      const commit = await commitOf(repo, params.rev ?? "HEAD");
      const [info, entries] = await Promise.all([
        commitInfo(repo.gitDir, commit),
        listTree(repo.gitDir, commit, { recursive: true }),
      ]);
      const files = entries.filter((e) => e.type === "blob");
      const expand = ([] as string[]).concat(query.expand ?? []);
      const wantSecurity = queryFlag(query.securityStatus) || expand.includes("securityRepoStatus");
      const wantBlobs = queryFlag(query.blobs);
      const facts = wantSecurity || wantBlobs ? await fileFacts(ctx, files) : [];
      const body: Record<string, unknown> = {
        _id: `${t.type}-${repo.id}`,
        id: repo.fullName,
        modelId: repo.fullName,
        author: repo.namespace,
        sha: commit,
        lastModified: info.date,
        createdAt: repo.createdAt,
        private: repo.private,
        disabled: false,
        gated: repo.gated,
        downloads: 0,
        likes: 0,
        tags: [],
        siblings: wantBlobs
          ? facts.map((f) => ({
              rfilename: f.entry.path,
              blobId: f.entry.oid,
              size: f.blob?.lfs ? f.blob.size : f.entry.size,
              ...(f.blob?.lfs
                ? { lfs: { sha256: f.blob.sha256, size: f.blob.size, pointerSize: f.entry.size } }
                : {}),
            }))
          : files.map((f) => ({ rfilename: f.path })),
      };
      if (wantSecurity) {
        const statuses = facts.map((f) => ({ path: f.entry.path, status: fileStatusOf(f.scan) }));
        body.securityRepoStatus = {
          scansDone: !statuses.some((s) => PENDING_STATUSES.has(s.status)),
          filesWithIssues: statuses
            .filter((s) => ISSUE_STATUSES.has(s.status))
            .map((s) => ({ path: s.path, level: s.status })),
        };
      }
      return body;
    };
    app.get<{ Params: RepoParams; Querystring: InfoQuery }>(`${t.api}/:ns/:repo`, (req) =>
      handler(req.params, req.query, req.caller),
    );
    app.get<{ Params: RepoParams & { rev: string }; Querystring: InfoQuery }>(
      `${t.api}/:ns/:repo/revision/:rev`,
      (req) => handler(req.params, req.query, req.caller),
    );
    app.get<{ Params: RepoParams; Querystring: { revision?: string } }>(
      `${t.api}/:ns/:repo/scan`,
      async (req) => {
        const repo = await loadRepo(ctx, t.type, req.params.ns, req.params.repo, req.caller, "read");
        const commit = await commitOf(repo, req.query.revision ?? "HEAD");
        const entries = (await listTree(repo.gitDir, commit, { recursive: true })).filter(
          (e) => e.type === "blob",
        );
        const facts = await fileFacts(ctx, entries);
        const counts: Partial<Record<FileStatus, number>> = {};
        const files = facts.map((f) => {
          const status = fileStatusOf(f.scan);
          counts[status] = (counts[status] ?? 0) + 1;
          const report = f.scan?.state === "done" ? parseReport(f.scan.report) : undefined;
          return {
            path: f.entry.path,
            status,
            ...(f.blob ? { sha256: f.blob.sha256 } : {}),
            ...(report ? { format: report.format, verdict: report.verdict } : {}),
          };
        });
        return {
          repo: repo.fullName,
          type: repo.type,
          commit,
          policy: repo.policy,
          quarantine: repo.quarantine,
          scansDone: !files.some((f) => PENDING_STATUSES.has(f.status)),
          counts,
          filesWithIssues: files.filter((f) => ISSUE_STATUSES.has(f.status)),
          files,
        };
      },
    );
  }
}

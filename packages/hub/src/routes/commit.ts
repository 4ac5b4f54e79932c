import type { FastifyInstance } from "fastify";
import { applyCommit } from "../commit/apply-commit.js";
import { readCommit } from "../commit/read-commit.js";
import type { HubContext } from "../context.js";
import { commitAsPullRequest, commitToPullRequest, prNumberOf } from "../discussions/pull-request-commits.js";
import { badInput, HubError } from "../hub-error.js";
import { assertRepoPath } from "../names.js";
import { loadRepo } from "../repos/repo-ref.js";
import { preuploadSchema } from "../schemas/commit-schemas.js";
import { baseUrl } from "./base-url.js";
import { queryFlag } from "./query-flag.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { commitOf } from "./revision.js";

interface RevParams extends RepoParams {
  rev: string;
}

interface PreuploadBody {
  files: { path: string; size: number; sample?: string }[];
}

/**
 * `POST /api/{models,datasets}/{ns}/{repo}/commit/{rev}` (NDJSON) and
 * `POST .../preupload/{rev}` (which files go to LFS).
 */
export function commitRoutes(app: FastifyInstance, ctx: HubContext): void {
  // Commit bodies are read by the route as they stream in (readCommit), never buffered whole.
  app.addContentTypeParser("application/x-ndjson", (_request, _payload, done) => done(null));

  for (const t of REPO_TYPE_ROUTES) {
    app.post<{ Params: RevParams; Body: unknown; Querystring: { create_pr?: string } }>(
      `${t.api}/:ns/:repo/commit/:rev`,
      async (request) => {
        const { ns, repo: name, rev } = request.params;
        const createPr = queryFlag(request.query.create_pr);
        const prNum = prNumberOf(rev);
        // Anyone who can read a repository may open a pull request or push to their own.
        const need = createPr || prNum !== undefined ? "contribute" : "write";
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, need);
        const caller = request.caller;
        if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
        if (!/^application\/x-ndjson\b/i.test(request.headers["content-type"] ?? "")) {
          throw new HubError(415, "InvalidInput", "the commit body must be application/x-ndjson");
        }
        const declared = Number(request.headers["content-length"] ?? 0);
        if (declared > ctx.limits.maxCommitBodyBytes) {
          throw new HubError(
            413,
            "PayloadTooLarge",
            `the commit body is larger than ${ctx.limits.maxCommitBodyBytes} bytes`,
          );
        }
        const parsed = await readCommit(request.raw, {
          limits: ctx.limits,
          tmpDir: ctx.tmpDir,
          gitDir: repo.gitDir,
        });
        const web = `${baseUrl(ctx, request)}${t.web}/${repo.fullName}`;
        const answer = (oid: string) => ({
          success: true,
          commitOid: oid,
          commitUrl: `${web}/commit/${oid}`,
          hookOutput: "",
        });
        if (createPr) {
          const { discussion, oid } = await commitAsPullRequest(ctx, repo, rev, caller, parsed);
          return { ...answer(oid), pullRequestUrl: `${web}/discussions/${discussion.num}` };
        }
        if (prNum !== undefined) return answer(await commitToPullRequest(ctx, repo, prNum, caller, parsed));
        return answer(await applyCommit(ctx, repo, rev, caller, parsed));
      },
    );

    app.post<{ Params: RevParams; Body: PreuploadBody; Querystring: { create_pr?: string } }>(
      `${t.api}/:ns/:repo/preupload/:rev`,
      { schema: preuploadSchema },
      async (request) => {
        const { ns, repo: name, rev } = request.params;
        const forPr = queryFlag(request.query.create_pr) || prNumberOf(rev) !== undefined;
        const repo = await loadRepo(ctx, t.type, ns, name, request.caller, forPr ? "contribute" : "write");
        const commit = await commitOf(repo, rev);
        if (request.body.files.length > ctx.limits.maxBatchObjects) {
          throw badInput(`at most ${ctx.limits.maxBatchObjects} files per preupload request`);
        }
        return {
          commitOid: commit,
          files: request.body.files.map((f) => ({
            path: assertRepoPath(f.path, ctx.limits),
            uploadMode: uploadModeOf(f.size, f.sample, ctx.limits.lfsThresholdBytes),
            shouldIgnore: false,
          })),
        };
      },
    );
  }
}

/** As on the Hub: large files and binary files (a NUL byte in the first 512 bytes) go to LFS. */
export function uploadModeOf(size: number, sample: string | undefined, threshold: number): "lfs" | "regular" {
  if (size >= threshold) return "lfs";
  if (sample !== undefined && Buffer.from(sample, "base64").includes(0)) return "lfs";
  return "regular";
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { auditOverride } from "../auth/audit-log.js";
import type { HubContext } from "../context.js";
import { blobStream, readBlob } from "../git/git-repo.js";
import { HubError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import type { RepoType } from "../names.js";
import { assertMayDownload } from "../repos/gated-access.js";
import { loadRepo } from "../repos/repo-ref.js";
import { fileStatusOf, isQuarantined } from "../scan/security-status.js";
import { parseRange } from "./parse-range.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";
import { fileAtRevision } from "./revision.js";

interface ResolveParams extends RepoParams {
  rev: string;
  "*": string;
}

/** Header or query that says "I know this file was flagged and want it anyway". */
const ACCEPT_RISK_HEADER = "x-modelgate-accept-risk";

/** Regular files up to this size are read whole from git; larger ones are streamed. */
const READ_WHOLE_BYTES = HUB_FIXED_LIMITS.readWholeBytes;

/**
 * `GET|HEAD /[datasets/]{ns}/{repo}/resolve/{rev}/{path}`: a file's content, ranged reads included,
 * with the Hub's headers (`ETag`, `X-Linked-Etag`, `X-Linked-Size`, `X-Repo-Commit`). LFS objects are
 * streamed from the content store. Under quarantine, a GET of an unsafe or infected file, or of one
 * whose scan is still pending, answers 403 with the reason (in `X-Error-Message` and the JSON `error`,
 * which the clients show) unless the request accepts the risk (`X-Modelgate-Accept-Risk: 1` or
 * `?accept_risk=1`). A HEAD still answers the file's metadata (its status in
 * `X-Modelgate-Security-Status`): the clients ask with HEAD first and, refused there, report a
 * connection problem instead of the reason; the content is what quarantine holds.
 *
 * `GET|HEAD .../raw/{rev}/{path}`: the file as git stores it (an LFS file's pointer), as on the Hub;
 * `fileExists` of `@huggingface/hub` asks with HEAD.
 */
export function resolveRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    for (const kind of ["resolve", "raw"] as const) {
      app.route({
        method: ["GET", "HEAD"],
        url: `${t.web}/:ns/:repo/${kind}/:rev/*`,
        exposeHeadRoute: false,
        handler: (
          request: FastifyRequest<{ Params: ResolveParams; Querystring: { accept_risk?: string } }>,
          reply,
        ) => serveFile(ctx, t.type, kind === "raw", request, reply),
      });
    }
  }
}

async function serveFile(
  ctx: HubContext,
  type: RepoType,
  raw: boolean,
  request: FastifyRequest<{ Params: ResolveParams; Querystring: { accept_risk?: string } }>,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { params } = request;
  const repo = await loadRepo(ctx, type, params.ns, params.repo, request.caller, "read");
  assertMayDownload(repo, request.caller);
  const { commit, path, entry, facts } = await fileAtRevision(ctx, repo, params.rev, params["*"]);
  // Raw reads of an LFS file serve its pointer (what git holds), which quarantine does not hold back.
  const blob = raw && facts?.blob?.lfs ? undefined : facts?.blob;
  const status = fileStatusOf(facts?.scan);
  const acceptsRisk = request.headers[ACCEPT_RISK_HEADER] === "1" || request.query.accept_risk === "1";
  const pointer = raw && facts?.blob?.lfs === true;
  if (repo.quarantine && isQuarantined(status) && !acceptsRisk && !pointer && request.method === "GET") {
    const pending = status === "queued" || status === "scanning";
    if (pending) reply.header("Retry-After", "1");
    const why = pending ? `its scan is ${status}; retry shortly` : `its scan found it ${status}`;
    throw new HubError(403, "FileQuarantined", `${path} is quarantined: ${why}`, { status });
  }
  if (repo.quarantine && isQuarantined(status) && !pointer && request.method === "GET") {
    await auditOverride(ctx.db, repo.ownerId, request.caller, {
      kind: "download.accept-risk",
      address: request.ip,
      detail: { repo: repo.fullName, path, status, commit },
    });
  }
  const size = blob?.lfs ? blob.size : entry.size;
  reply.header("X-Repo-Commit", commit);
  reply.header("Accept-Ranges", "bytes");
  reply.header("Content-Type", "application/octet-stream");
  reply.header("X-Modelgate-Security-Status", status);
  if (blob?.lfs) {
    reply.header("ETag", `"${blob.sha256}"`);
    reply.header("X-Linked-Etag", `"${blob.sha256}"`);
    reply.header("X-Linked-Size", String(blob.size));
  } else {
    reply.header("ETag", `"${entry.oid}"`);
  }
  const range = parseRange(request.headers.range, size);
  if (range === "unsatisfiable") {
    reply.header("Content-Range", `bytes */${size}`);
    throw new HubError(416, "RangeNotSatisfiable", `range not satisfiable for a ${size}-byte file`);
  }
  const length = range ? range.end - range.start + 1 : size;
  if (range) {
    reply.code(206).header("Content-Range", `bytes ${range.start}-${range.end}/${size}`);
  }
  reply.header("Content-Length", String(length));
  if (request.method === "HEAD") return reply.send();
  if (blob?.lfs) return reply.send(ctx.lfs.read(blob.sha256, range ?? undefined));
  if (!range && size > READ_WHOLE_BYTES) return reply.send(blobStream(repo.gitDir, entry.oid));
  const content = await readBlob(repo.gitDir, entry.oid);
  return reply.send(range ? content.subarray(range.start, range.end + 1) : content);
}

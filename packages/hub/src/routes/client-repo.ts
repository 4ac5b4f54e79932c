import type { FastifyReply, FastifyRequest } from "fastify";
import type { HubContext } from "../context.js";
import { HubError } from "../hub-error.js";
import type { RepoType } from "../names.js";
import { assertMayDownload } from "../repos/gated-access.js";
import { loadRepo, type RepoAccess, type RepoRef } from "../repos/repo-ref.js";
import type { RepoParams } from "./repo-types.js";

/** The media type of every git-LFS API request and answer. */
export const LFS_JSON = "application/vnd.git-lfs+json";

/**
 * The repository a git or git-LFS URL names, `{ns}/{repo}` or `{ns}/{repo}.git` (git-lfs appends
 * `.git` to a clone URL without it), checked for `need`; reads also honour gating. Undefined when the
 * caller is anonymous and was refused (401) or not shown the repository (404, private or missing
 * alike): the route then answers a Basic challenge, which is what makes git and git-lfs ask git's
 * credential helper and retry with the token as the password. Other refusals are thrown.
 */
export async function loadClientRepo(
  ctx: HubContext,
  type: RepoType,
  request: FastifyRequest<{ Params: RepoParams }>,
  need: RepoAccess,
): Promise<RepoRef | undefined> {
  const name = request.params.repo.replace(/\.git$/, "");
  try {
    const repo = await loadRepo(ctx, type, request.params.ns, name, request.caller, need);
    if (need === "read") assertMayDownload(repo, request.caller);
    return repo;
  } catch (err) {
    if (err instanceof HubError && !request.caller && (err.statusCode === 401 || err.statusCode === 404)) {
      return undefined;
    }
    throw err;
  }
}

/**
 * `loadClientRepo` for the LFS API (`.../info/lfs/...`): an anonymous caller who must authenticate
 * gets 401 with `LFS-Authenticate: Basic` (docs/api/authentication.md; a browser does not prompt on it).
 */
export async function loadLfsRepo(
  ctx: HubContext,
  type: RepoType,
  request: FastifyRequest<{ Params: RepoParams }>,
  reply: FastifyReply,
  need: "read" | "contribute",
): Promise<RepoRef> {
  const repo = await loadClientRepo(ctx, type, request, need);
  if (repo) return repo;
  reply.header("LFS-Authenticate", 'Basic realm="modelgate", charset="UTF-8"');
  throw new HubError(401, "Unauthorized", "Authentication required: use a hub token as the password");
}

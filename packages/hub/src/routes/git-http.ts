import { randomBytes } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { HubContext } from "../context.js";
import {
  checkPush,
  type PendingPush,
  type PreReceiveInput,
  recordLandedPush,
} from "../git-http/check-push.js";
import { runHttpBackend } from "../git-http/run-http-backend.js";
import { badInput, HubError } from "../hub-error.js";
import type { RepoType } from "../names.js";
import type { RepoRef } from "../repos/repo-ref.js";
import { loadClientRepo } from "./client-repo.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

type Service = "git-upload-pack" | "git-receive-pack";

/**
 * Git smart HTTP (protocol v0 and v2) at the repository's own URL, as on the Hub:
 * `git clone https://hub/{ns}/{repo}` (or `.../{repo}.git`, `/datasets/...`). The real
 * `git http-backend` speaks the protocol; the hub authenticates (a token as the Basic-auth password,
 * any user name, as git and git-lfs send it), authorises (reading for fetches, writing for pushes) and
 * scans every push before any ref moves (see `checkPush`, called by git's pre-receive hook).
 *
 * An anonymous request for a private or missing repository gets 401 with a Basic challenge (the same
 * for both, so nothing is revealed), which is what makes git ask for, or send, credentials; an
 * authenticated caller without access gets 404, as from the API.
 */
export function gitHttpRoutes(app: FastifyInstance, ctx: HubContext, hooksDir: string): void {
  const pending = new Map<string, PendingPush>();
  // Pack data is streamed to git, never parsed or buffered here.
  app.addContentTypeParser(
    ["application/x-git-upload-pack-request", "application/x-git-receive-pack-request"],
    (_request, payload, done) => done(null, payload),
  );

  for (const t of REPO_TYPE_ROUTES) {
    app.get<{ Params: RepoParams; Querystring: { service?: string } }>(
      `${t.web}/:ns/:repo/info/refs`,
      async (request, reply) => {
        const service = request.query.service;
        if (service !== "git-upload-pack" && service !== "git-receive-pack") {
          throw new HubError(403, "Forbidden", "only smart HTTP is served: use git 1.6.6 or later");
        }
        const repo = await gitRepo(ctx, t.type, request, reply, service);
        if (!repo) return reply;
        return serve(request, reply, repo, "/info/refs", service, undefined);
      },
    );
    for (const service of ["git-upload-pack", "git-receive-pack"] as const) {
      app.post<{ Params: RepoParams }>(`${t.web}/:ns/:repo/${service}`, async (request, reply) => {
        const repo = await gitRepo(ctx, t.type, request, reply, service);
        if (!repo) return reply;
        if (service === "git-upload-pack")
          return serve(request, reply, repo, `/${service}`, service, undefined);
        const caller = request.caller;
        if (!caller) throw new HubError(401, "Unauthorized", "a write token is required");
        const nonce = randomBytes(32).toString("hex");
        const push: PendingPush = { repo, caller, updates: [] };
        pending.set(nonce, push);
        try {
          await serve(request, reply, repo, `/${service}`, service, nonce);
          // The answer is sent: a failure here is logged (the push itself has landed or not, as git says).
          await recordLandedPush(ctx, push).catch((err: unknown) =>
            request.log.error({ err }, "could not record where a push's files were pushed"),
          );
          return reply;
        } finally {
          pending.delete(nonce);
          // Branches moved outside the hub's own writers: what it cached of them is stale.
          for (const { ref } of push.updates) ctx.branches.forget(repo.gitDir, ref);
        }
      });
    }
  }

  /** Called by git's pre-receive hook of a push in progress, with that push's nonce. */
  app.post<{ Body: PreReceiveInput }>("/internal/git/pre-receive", async (request) => {
    const nonce = request.headers["x-modelgate-hook-nonce"];
    const push = typeof nonce === "string" ? pending.get(nonce) : undefined;
    if (!push) throw new HubError(403, "Forbidden", "no push in progress has this nonce");
    const body = request.body;
    if (typeof body?.updates !== "string" || typeof body.objectDirectory !== "string") {
      throw badInput("expected updates and objectDirectory");
    }
    return checkPush(ctx, push, { ...body, alternates: String(body.alternates ?? "") });
  });

  async function serve(
    request: FastifyRequest<{ Params: RepoParams }>,
    reply: FastifyReply,
    repo: RepoRef,
    path: "/info/refs" | "/git-upload-pack" | "/git-receive-pack",
    service: Service,
    nonce: string | undefined,
  ): Promise<FastifyReply> {
    const receive = service === "git-receive-pack";
    const socket = request.raw.socket;
    const host = socket.localAddress?.includes(":") ? `[${socket.localAddress}]` : socket.localAddress;
    reply.hijack();
    await runHttpBackend(
      {
        gitDir: repo.gitDir,
        service: path,
        method: request.method === "POST" ? "POST" : "GET",
        query: request.raw.url?.split("?")[1] ?? "",
        raw: request.raw,
        body: request.method === "POST" ? (request.body as NodeJS.ReadableStream as never) : undefined,
        user: request.caller?.name,
        config: receive
          ? {
              "http.receivepack": "true",
              "core.hooksPath": hooksDir,
              // Objects are checked as git fsck does (names such as .git on Windows and macOS disks).
              "receive.fsckObjects": "true",
            }
          : { "http.receivepack": "false", "uploadpack.allowFilter": "true" },
        env: nonce
          ? {
              MODELGATE_HOOK_URL: `http://${host}:${socket.localPort}/internal/git/pre-receive`,
              MODELGATE_HOOK_NONCE: nonce,
            }
          : {},
      },
      reply.raw,
    );
    return reply;
  }
}

/**
 * The repository a git request names (`repo` or `repo.git`), checked for reading (fetch) or writing
 * (push). Anonymous callers who may not go further get a Basic challenge; the reply is then sent
 * and undefined returned.
 */
async function gitRepo(
  ctx: HubContext,
  type: RepoType,
  request: FastifyRequest<{ Params: RepoParams }>,
  reply: FastifyReply,
  service: Service,
): Promise<RepoRef | undefined> {
  const repo = await loadClientRepo(ctx, type, request, service === "git-receive-pack" ? "write" : "read");
  if (repo) return repo;
  await reply
    .code(401)
    .header("WWW-Authenticate", 'Basic realm="modelgate", charset="UTF-8"')
    .type("text/plain; charset=utf-8")
    .send("Authentication required: use a hub token as the password\n");
  return undefined;
}

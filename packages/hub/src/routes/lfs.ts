import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { badInput, HubError } from "../hub-error.js";
import { lfsLinked, lfsObjectAccess } from "../repos/lfs-object-access.js";
import { lfsBatchSchema } from "../schemas/lfs-schemas.js";
import { isLfsOid } from "../store/lfs-store.js";
import { signGrant, verifyGrant } from "../store/signed-url.js";
import { baseUrl } from "./base-url.js";
import { LFS_JSON, loadLfsRepo } from "./client-repo.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

interface BatchBody {
  operation: "upload" | "download";
  transfers?: string[];
  hash_algo?: string;
  objects: { oid: string; size: number }[];
}

/**
 * The git-LFS batch API at `/[datasets/]{ns}/{repo}.git/info/lfs/objects/batch` (basic transfer) and
 * the upload target it hands out, `PUT /lfs-upload/{repoId}/{oid}?size&expires&sig`. The upload URL
 * is signed because the Hugging Face JS client sends no credentials with it. Uploads also get a
 * `verify` action and downloads a `download` action at `.../info/lfs/objects/{oid}` (see
 * `lfsObjectRoutes`), both carrying the caller's own Authorization header, so git-lfs sends the
 * same credentials it authenticated the batch request with.
 */
export function lfsRoutes(app: FastifyInstance, ctx: HubContext): void {
  app.addContentTypeParser(
    LFS_JSON,
    { parseAs: "string", bodyLimit: ctx.limits.maxJsonBodyBytes },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(badInput("invalid JSON in the LFS batch request"), undefined);
      }
    },
  );

  for (const t of REPO_TYPE_ROUTES) {
    app.post<{ Params: RepoParams; Body: BatchBody }>(
      `${t.web}/:ns/:repo/info/lfs/objects/batch`,
      { schema: lfsBatchSchema },
      async (request, reply) => {
        const body = request.body;
        const repo = await loadLfsRepo(
          ctx,
          t.type,
          request,
          reply,
          // Uploads serve commits and pull requests: anyone who may open one may upload its files,
          // which stay linked to this repository only (a commit to a branch still needs write access).
          body.operation === "upload" ? "contribute" : "read",
        );
        if (body.hash_algo !== undefined && body.hash_algo !== "sha256" && body.hash_algo !== "sha_256") {
          throw new HubError(
            409,
            "InvalidInput",
            `unsupported hash algorithm ${body.hash_algo.slice(0, 32)}`,
          );
        }
        if (body.objects.length > ctx.limits.maxBatchObjects) {
          throw badInput(`at most ${ctx.limits.maxBatchObjects} objects per batch`);
        }
        const base = baseUrl(ctx, request);
        const lfsUrl = `${base}${t.web}/${repo.fullName}.git/info/lfs`;
        // The caller's own credentials, for git-lfs to send to this hub's object URLs.
        const auth = request.headers.authorization;
        const header = auth === undefined ? {} : { header: { Authorization: auth } };
        const expires = Math.floor(Date.now() / 1000) + ctx.limits.lfsUrlTtlSeconds;
        const objects = await Promise.all(
          body.objects.map(async ({ oid, size }) => {
            if (!isLfsOid(oid))
              return { oid, size, error: { code: 422, message: "oid must be 64 lowercase hex digits" } };
            if (size > ctx.limits.maxLfsObjectBytes) {
              return {
                oid,
                size,
                error: { code: 422, message: `object larger than ${ctx.limits.maxLfsObjectBytes} bytes` },
              };
            }
            if (body.operation === "download") {
              const access = await lfsObjectAccess(ctx, repo, oid);
              if (!access.ok) return { oid, size, error: { code: access.code, message: access.message } };
              const href = `${lfsUrl}/objects/${oid}`;
              return {
                oid,
                size: access.size,
                authenticated: true,
                actions: { download: { href, ...header } },
              };
            }
            const stored = await ctx.lfs.sizeOf(oid);
            const linked = await lfsLinked(ctx, repo.id, oid);
            // Already uploaded to this repository: nothing to do. Stored for another repository only: the
            // client must still send the bytes, which proves it has them.
            if (stored === size && linked) return { oid, size, authenticated: true };
            const grant = { repoId: repo.id, oid, size, expires };
            const href = `${base}/lfs-upload/${repo.id}/${oid}?size=${size}&expires=${expires}&sig=${signGrant(ctx.urlKey, grant)}`;
            return {
              oid,
              size,
              authenticated: true,
              actions: {
                upload: { href, expires_in: ctx.limits.lfsUrlTtlSeconds },
                verify: { href: `${lfsUrl}/objects/verify`, ...header },
              },
            };
          }),
        );
        return reply.type(LFS_JSON).send({ transfer: "basic", objects, hash_algo: "sha256" });
      },
    );
  }

  app.register(async (uploads) => {
    // The upload body is the raw object, streamed to disk while hashed: no parser may buffer it.
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
    uploads.put<{
      Params: { repoId: string; oid: string };
      Querystring: { size?: string; expires?: string; sig?: string };
    }>("/lfs-upload/:repoId/:oid", async (request, reply) => {
      const grant = {
        repoId: Number(request.params.repoId),
        oid: request.params.oid,
        size: Number(request.query.size),
        expires: Number(request.query.expires),
      };
      if (
        !isLfsOid(grant.oid) ||
        !Number.isSafeInteger(grant.size) ||
        !verifyGrant(ctx.urlKey, grant, request.query.sig ?? "", Math.floor(Date.now() / 1000))
      ) {
        throw new HubError(403, "Forbidden", "invalid or expired upload URL");
      }
      await ctx.lfs.put(grant.oid, grant.size, request.raw);
      await ctx.db
        .insertInto("lfs_links")
        .values({ repo_id: grant.repoId, oid: grant.oid })
        .onConflict((oc) => oc.columns(["repo_id", "oid"]).doNothing())
        .execute();
      return reply.code(200).header("ETag", `"${grant.oid}"`).send();
    });
  });
}

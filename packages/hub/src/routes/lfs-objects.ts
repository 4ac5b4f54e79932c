import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";
import { badInput, HubError } from "../hub-error.js";
import { lfsLinked, lfsObjectAccess } from "../repos/lfs-object-access.js";
import { isLfsOid } from "../store/lfs-store.js";
import { LFS_JSON, loadLfsRepo } from "./client-repo.js";
import { parseRange } from "./parse-range.js";
import { REPO_TYPE_ROUTES, type RepoParams } from "./repo-types.js";

interface ObjectParams extends RepoParams {
  oid: string;
}

/**
 * The object URLs the batch API hands git-lfs (basic transfer adapter, docs/api/basic-transfers.md):
 *
 * - `GET .../info/lfs/objects/{oid}`: the object's bytes (ranged reads for resumed downloads), for a
 *   caller who may read the repository, only if `lfsObjectAccess` allows it.
 * - `POST .../info/lfs/objects/verify` with `{oid, size}`: 200 once the upload is stored with that
 *   size and linked to this repository, 404 otherwise; git-lfs calls it after each upload.
 */
export function lfsObjectRoutes(app: FastifyInstance, ctx: HubContext): void {
  for (const t of REPO_TYPE_ROUTES) {
    app.get<{ Params: ObjectParams }>(`${t.web}/:ns/:repo/info/lfs/objects/:oid`, async (request, reply) => {
      const repo = await loadLfsRepo(ctx, t.type, request, reply, "read");
      const { oid } = request.params;
      if (!isLfsOid(oid)) throw badInput("oid must be 64 lowercase hex digits");
      const access = await lfsObjectAccess(ctx, repo, oid);
      if (!access.ok) {
        throw new HubError(
          access.code,
          access.code === 404 ? "EntryNotFound" : "FileQuarantined",
          access.message,
        );
      }
      const range = parseRange(request.headers.range, access.size);
      if (range === "unsatisfiable") {
        reply.header("Content-Range", `bytes */${access.size}`);
        throw new HubError(
          416,
          "RangeNotSatisfiable",
          `range not satisfiable for a ${access.size}-byte object`,
        );
      }
      if (range) {
        reply.code(206).header("Content-Range", `bytes ${range.start}-${range.end}/${access.size}`);
      }
      reply.header("Accept-Ranges", "bytes");
      reply.header("Content-Type", "application/octet-stream");
      reply.header("Content-Length", String(range ? range.end - range.start + 1 : access.size));
      return reply.send(ctx.lfs.read(oid, range ?? undefined));
    });

    app.post<{ Params: RepoParams; Body: { oid?: unknown; size?: unknown } }>(
      `${t.web}/:ns/:repo/info/lfs/objects/verify`,
      async (request, reply) => {
        const repo = await loadLfsRepo(ctx, t.type, request, reply, "contribute");
        const { oid, size } = request.body ?? {};
        if (!isLfsOid(oid) || typeof size !== "number") throw badInput("expected {oid, size}");
        const stored = await ctx.lfs.sizeOf(oid);
        if (stored === undefined || !(await lfsLinked(ctx, repo.id, oid))) {
          throw new HubError(404, "EntryNotFound", `object ${oid} was not uploaded to ${repo.fullName}`);
        }
        if (stored !== size) throw badInput(`object ${oid} has ${stored} bytes, not ${size}`);
        return reply.type(LFS_JSON).send({ oid, size });
      },
    );
  }
}

import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { sql } from "kysely";
import type { HubContext } from "../context.js";
import type { HubMetrics } from "../ops/hub-metrics.js";

/** What `/readyz` checks, each `ok` or `failed`. */
type ReadyChecks = Record<"database" | "dataFolder" | "scans", "ok" | "failed">;

/**
 * Operations endpoints, for a load balancer and Prometheus: `GET /healthz` (the process answers),
 * `GET /readyz` (it can serve: the database answers, the data folder takes a file, the scan queue
 * takes scans; 503 naming what failed, and 503 while shutting down) and `GET /metrics` (Prometheus
 * text format). None needs a token: they carry no repository or user names (failures are logged,
 * not answered); keep them behind the same network boundary as the hub's other ports if counts matter.
 */
export function opsRoutes(app: FastifyInstance, ctx: HubContext, metrics: HubMetrics): void {
  app.get("/healthz", async () => ({ status: "ok" }));

  app.get("/readyz", async (request, reply) => {
    const checks: ReadyChecks = {
      database: await check(() => sql`select 1`.execute(ctx.db), "database", request.log),
      dataFolder: await check(() => probeWritable(ctx.tmpDir), "data folder", request.log),
      scans: ctx.scans.accepting() ? "ok" : "failed",
    };
    const ready = Object.values(checks).every((c) => c === "ok");
    reply.code(ready ? 200 : 503);
    return { status: ready ? "ready" : "not ready", checks };
  });

  app.get("/metrics", async (_request, reply) => {
    reply.header("Content-Type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}

async function check(
  run: () => Promise<unknown>,
  what: string,
  log: { error(obj: unknown, msg: string): void },
): Promise<"ok" | "failed"> {
  try {
    await run();
    return "ok";
  } catch (err) {
    log.error({ err }, `readiness: the ${what} check failed`);
    return "failed";
  }
}

/** Writes and removes a small file in the data folder's temporary folder (a full or read-only disk fails). */
async function probeWritable(dir: string): Promise<void> {
  const file = join(dir, `ready-${randomUUID()}`);
  try {
    await writeFile(file, "ready", { flag: "wx", mode: 0o600 });
  } finally {
    await rm(file, { force: true });
  }
}

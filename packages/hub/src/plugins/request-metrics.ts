import type { FastifyInstance } from "fastify";
import type { HubMetrics } from "../ops/hub-metrics.js";

/** Counts every answered request in the hub's metrics, by method, route pattern and status, with its time. */
export function requestMetricsPlugin(app: FastifyInstance, metrics: HubMetrics): void {
  app.addHook("onResponse", async (request, reply) => {
    metrics.requestAnswered(
      request.method,
      request.routeOptions.url ?? "(no route)",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });
}

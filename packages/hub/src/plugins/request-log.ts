import type { FastifyInstance } from "fastify";

/** Levels `--log-level` and `MODELGATE_LOG_LEVEL` accept (pino's, plus `silent`). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Whether `value` names a log level. */
export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/**
 * Logs one line per request when it completes: method, route (the pattern, so paths of private
 * repositories stay out of aggregated logs' keys), path without the query string, status, time in
 * ms and the user name. Never a token, a header or a query string. 5xx errors are logged with their
 * stack by the error handler.
 */
export function requestLogPlugin(app: FastifyInstance): void {
  app.addHook("onResponse", async (request, reply) => {
    const status = reply.statusCode;
    const line = {
      method: request.method,
      route: request.routeOptions.url ?? "(no route)",
      path: request.url.split("?", 1)[0]?.slice(0, 500),
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: request.caller?.name ?? null,
    };
    if (status >= 500) request.log.error(line, "request failed");
    else request.log.info(line, "request");
  });
}

import type { FastifyRequest } from "fastify";
import type { HubContext } from "../context.js";

/** The hub's public base URL: the configured one, or the one the client used to reach it. */
export function baseUrl(ctx: HubContext, request: FastifyRequest): string {
  if (ctx.publicUrl) return ctx.publicUrl.replace(/\/+$/, "");
  return `${request.protocol}://${request.host}`;
}

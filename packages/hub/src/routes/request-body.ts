import type { FastifyRequest } from "fastify";
import type { Caller } from "../auth/accounts.js";
import { badInput, HubError } from "../hub-error.js";

/**
 * The JSON object body of an account request. Only `application/json` is taken: a cross-site HTML
 * form cannot send it without a CORS preflight, which the hub never grants (login CSRF).
 */
export function jsonBody(request: FastifyRequest): Record<string, unknown> {
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type))
    throw badInput("send a JSON body (Content-Type: application/json)");
  const body = request.body;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw badInput("the body must be a JSON object");
  return body as Record<string, unknown>;
}

/** A string field of a body, or a 400 naming it. */
export function stringField(body: Record<string, unknown>, name: string, max = 1024): string {
  const value = body[name];
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw badInput(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** An optional string field (absent, null or empty: undefined). */
export function optionalString(body: Record<string, unknown>, name: string, max = 1024): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === "") return undefined;
  return stringField(body, name, max);
}

/** The signed-in caller, or 401. */
export function requireCaller(request: FastifyRequest): Caller {
  if (!request.caller) throw new HubError(401, "Unauthorized", "sign in or send a token");
  return request.caller;
}

/**
 * The caller of account settings (tokens, 2FA): a page session or a `write` token of the user; a
 * `read` or fine-grained token cannot manage the account that issued it.
 */
export function requireAccountOwner(request: FastifyRequest): Caller {
  const caller = requireCaller(request);
  if (caller.via === "token" && caller.role !== "write") {
    throw new HubError(403, "Forbidden", `a ${caller.role} token cannot change account settings`);
  }
  return caller;
}

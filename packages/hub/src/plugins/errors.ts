import type { FastifyError, FastifyInstance, FastifyReply } from "fastify";
import { RefRaceError } from "../git/ref-updater.js";
import { HubError, type HubErrorCode, RepoMovedError } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/** Characters of a message repeated in the `X-Error-Message` header. */
const MAX_HEADER_MESSAGE = HUB_FIXED_LIMITS.maxErrorHeaderChars;

/**
 * Sends an error in the hub's one shape, with the Hub's `X-Error-Code` and `X-Error-Message` headers:
 * the Python client shows `X-Error-Message` (it is all it sees of a HEAD) and the JSON `error`.
 */
export function sendError(reply: FastifyReply, err: HubError): FastifyReply {
  const retryAfter = err.details?.retryAfter;
  if (typeof retryAfter === "number") reply.header("Retry-After", String(retryAfter));
  return reply
    .code(err.statusCode)
    .header("X-Error-Code", err.code)
    .header("X-Error-Message", headerText(err.message))
    .send({
      ...err.fields,
      statusCode: err.statusCode,
      code: err.code,
      error: err.message,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
    });
}

/** A message as a header value: printable ASCII only (no line breaks to split headers), bounded. */
function headerText(message: string): string {
  return message.replace(/[^\x20-\x7e]/g, "?").slice(0, MAX_HEADER_MESSAGE);
}

/** Maps Fastify's own errors (body too large, bad JSON, ...) to hub errors. */
function fromFastifyError(err: FastifyError): HubError | undefined {
  const status = err.statusCode ?? 500;
  if (status >= 500) return undefined;
  const code: HubErrorCode =
    status === 413 ? "PayloadTooLarge" : status === 404 ? "EntryNotFound" : "InvalidInput";
  return new HubError(status, code, err.message);
}

/**
 * A ref change that lost git's compare-and-swap to another writer (a request served by another hub
 * process on the same data folder, when this one does not retry): nothing changed; the client may retry.
 */
function refRace(): HubError {
  return new HubError(
    409,
    "Conflict",
    "the ref moved while this change was applied; nothing was changed, retry",
    {
      retryAfter: 1,
    },
  );
}

/**
 * Answers every error as `{statusCode, code, error, message}`. Unexpected errors are logged and
 * answered as a generic 500, so internals (paths, git output) never reach clients.
 */
export function errorsPlugin(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof RepoMovedError) reply.header("Location", error.location(request.url));
    const hubError =
      error instanceof HubError ? error : error instanceof RefRaceError ? refRace() : fromFastifyError(error);
    if (hubError) return sendError(reply, hubError);
    request.log.error({ err: error }, "unexpected error");
    return sendError(reply, new HubError(500, "InternalError", "internal error"));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      new HubError(404, "EntryNotFound", `no route for ${request.method} ${request.url.slice(0, 200)}`),
    ),
  );
}

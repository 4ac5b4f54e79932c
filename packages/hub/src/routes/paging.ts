import type { FastifyReply, FastifyRequest } from "fastify";
import type { HubContext } from "../context.js";
import { badInput } from "../hub-error.js";
import { baseUrl } from "./base-url.js";

/** One page of a listing: where it starts and how many entries it holds. */
export interface Page {
  offset: number;
  limit: number;
}

/**
 * The page a listing request asks for. `limit` is what the client would like per page; the official
 * clients send large ones (500 from `@huggingface/hub`) and follow `Link` headers, so it is clamped to
 * `maxPage` rather than refused. `cursor` is the opaque position a `Link` header gave.
 */
export function pageOf(limit: string | undefined, cursor: string | undefined, maxPage: number): Page {
  let size = maxPage;
  if (limit !== undefined) {
    const asked = Number(limit);
    if (!Number.isInteger(asked) || asked < 1) throw badInput("limit must be a positive integer");
    size = Math.min(asked, maxPage);
  }
  return { offset: parseCursor(cursor), limit: size };
}

/** Adds `Link: <...cursor=...>; rel="next"` pointing after `page` when `total` entries go further. */
export function linkNext(
  ctx: HubContext,
  request: FastifyRequest,
  reply: FastifyReply,
  page: Page,
  hasMore: boolean,
): void {
  if (!hasMore) return;
  const next = new URL(`${baseUrl(ctx, request)}${request.url}`);
  next.searchParams.set("cursor", Buffer.from(String(page.offset + page.limit)).toString("base64url"));
  reply.header("Link", `<${next.href}>; rel="next"`);
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const offset = Number(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!Number.isSafeInteger(offset) || offset < 0) throw badInput("invalid cursor");
  return offset;
}

import type { FastifyInstance } from "fastify";
import type { HubContext } from "../context.js";

/** Where the hub publishes the public key that signs its commits (RFC 8615 well-known prefix). */
export const SIGNING_KEY_PATH = "/.well-known/modelgate/signing-key.asc";
/** Every key the hub has signed with, current and retired: import this to verify old commits too. */
export const SIGNING_KEYS_PATH = "/.well-known/modelgate/signing-keys.asc";

/**
 * The hub's public signing key, for anyone (no token needed; it is public by design):
 * `GET /.well-known/modelgate/signing-key.asc` (the current key, ASCII-armored),
 * `GET /.well-known/modelgate/signing-keys.asc` (current and retired keys, one armored block each;
 * `gpg --import` takes them all) and `GET /api/hub/signing-key` (fingerprints and identity as JSON).
 */
export function signingKeyRoutes(app: FastifyInstance, ctx: HubContext): void {
  const key = ctx.signer;
  const armoredText = (text: string) => ({
    "Content-Type": "application/pgp-keys; charset=utf-8",
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  const all = `${key.publishedKeys.map((k) => k.armored.trimEnd()).join("\n\n")}\n`;
  app.get(SIGNING_KEY_PATH, (_request, reply) =>
    reply.headers(armoredText(key.publicKeyArmored)).send(key.publicKeyArmored),
  );
  app.get(SIGNING_KEYS_PATH, (_request, reply) => reply.headers(armoredText(all)).send(all));
  app.get("/api/hub/signing-key", () => ({
    fingerprint: key.fingerprint,
    userId: `${key.identity.name} <${key.identity.email}>`,
    url: SIGNING_KEY_PATH,
    allKeysUrl: SIGNING_KEYS_PATH,
    keys: key.publishedKeys.map((k) => ({ fingerprint: k.fingerprint, current: k.current })),
  }));
}

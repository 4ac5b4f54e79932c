import { createHash, randomInt } from "node:crypto";

const TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** The Hub's user access tokens are `hf_` and 34 letters (about 194 bits here). */
const TOKEN_BODY_LENGTH = 34;

/** A new access token in the Hub's format. */
export function generateToken(): string {
  let body = "";
  for (let i = 0; i < TOKEN_BODY_LENGTH; i++) body += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return `hf_${body}`;
}

/** What the database keeps of a token: its sha256, never the token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a string has the shape of a hub token (checked before any database look-up). */
export function looksLikeToken(token: string): boolean {
  return /^hf_[A-Za-z]{34}$/.test(token);
}

/** The detector of the scanner's secrets check that finds this hub's tokens (they have the Hub's shape). */
export const TOKEN_DETECTOR = "huggingface-token";

/**
 * The fingerprint the secrets check reports when it finds `token` (`secretFingerprint` of the
 * scanner: sha256 of detector, NUL, secret). Stored with the token to recognise it in pushes.
 */
export function leakFingerprint(token: string): string {
  return createHash("sha256").update(`${TOKEN_DETECTOR}\u0000${token}`, "utf8").digest("hex");
}

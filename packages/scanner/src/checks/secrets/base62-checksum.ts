import { crc32Ascii } from "../../reader/crc32.js";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const CHECKSUM_CHARS = 6;

/** `value` in base 62 (digits, upper, lower), left-padded with `0` to `width` characters. */
export function base62(value: number, width: number): string {
  let out = "";
  let v = value;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, "0");
}

/**
 * True when the last 6 characters of `body` are the base-62 CRC-32 of the rest: the checksum of
 * GitHub's prefixed tokens (`ghp_`, `gho_`, ...) and npm's `npm_` tokens, so that a scanner can tell
 * a real token from a look-alike without asking the issuer.
 * See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 * @param body the token without its prefix (30 random characters + 6 checksum characters)
 */
export function hasBase62Crc32(body: string): boolean {
  if (body.length <= CHECKSUM_CHARS) return false;
  const random = body.slice(0, -CHECKSUM_CHARS);
  return base62(crc32Ascii(random), CHECKSUM_CHARS) === body.slice(-CHECKSUM_CHARS);
}

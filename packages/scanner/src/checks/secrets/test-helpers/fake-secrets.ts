// Builders of credential-shaped test strings. Tests assemble every secret at run time from a seeded
// generator, so no token-shaped literal sits in the repository (and no scanner, ours included,
// flags the test files themselves).

import { crc32Ascii } from "../../../reader/crc32.js";
import { base62 } from "../base62-checksum.js";
import { bech32Encode } from "../bech32.js";

export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const LOWER = "abcdefghijklmnopqrstuvwxyz";
export const DIGITS = "0123456789";
export const LETTERS = UPPER + LOWER;
export const ALNUM = UPPER + LOWER + DIGITS;
export const HEX = "0123456789abcdef";
export const B64 = `${ALNUM}+/`;
export const B64URL = `${ALNUM}-_`;
export const BASE32 = `${UPPER}234567`;

/** A deterministic pseudo-random generator (mulberry32), so every run builds the same strings. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` characters drawn from `charset` with seed `seed`. */
export function rand(charset: string, n: number, seed: number): string {
  const next = seeded(seed);
  let out = "";
  for (let i = 0; i < n; i++) out += charset[Math.floor(next() * charset.length)];
  return out;
}

/** Random bytes with seed `seed`. */
export function randBytes(n: number, seed: number): Uint8Array {
  const next = seeded(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

/** Standard base64 with padding. */
export function b64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** URL-safe base64 without padding. */
export function b64url(bytes: Uint8Array): string {
  return b64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A GitHub-format token (`ghp_` + 30 random + base-62 CRC-32), valid checksum unless `corrupt`. */
export function githubStyleToken(prefix: string, seed: number, corrupt = false): string {
  const random = rand(ALNUM, 30, seed);
  const sum = base62(crc32Ascii(random), 6);
  return `${prefix}_${random}${corrupt ? base62((crc32Ascii(random) + 1) >>> 0, 6) : sum}`;
}

/** An age secret key with a valid bech32 checksum. */
export function ageSecretKey(seed: number): string {
  const next = seeded(seed);
  const data = Array.from({ length: 52 }, () => Math.floor(next() * 32));
  return bech32Encode("age-secret-key-", data).toUpperCase();
}

/** A PEM block with a random body of `bodyBytes` bytes. */
export function pem(label: string, seed: number, bodyBytes = 1190, headers = ""): string {
  const body = b64(randBytes(bodyBytes, seed)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`;
}

/** An OpenSSH private key block naming `cipher` (`none` for an unprotected key). */
export function opensshKey(seed: number, cipher = "none"): string {
  const magic = new TextEncoder().encode("openssh-key-v1\0");
  const name = new TextEncoder().encode(cipher);
  const bytes = new Uint8Array([...magic, 0, 0, 0, name.length, ...name, ...randBytes(800, seed)]);
  const body = b64(bytes).replace(/(.{70})/g, "$1\n");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A PyPI token: `pypi-` + base64url of a macaroon located at pypi.org. */
export function pypiToken(seed: number): string {
  const head = new Uint8Array([2, 1, 8, ...new TextEncoder().encode("pypi.org"), 2]);
  return `pypi-${b64url(new Uint8Array([...head, ...randBytes(120, seed)]))}`;
}

/** A Discord bot token for user id `id`. */
export function discordBotToken(id: string, seed: number): string {
  return `${b64url(new TextEncoder().encode(id))}.${rand(B64URL, 6, seed)}.${rand(B64URL, 38, seed + 1)}`;
}

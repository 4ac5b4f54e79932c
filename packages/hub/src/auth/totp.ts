import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { Secret, TOTP } from "otpauth";

/** RFC 6238 defaults that every authenticator app reads: SHA-1, 6 digits, 30 s steps. */
const PERIOD_S = 30;
/** Codes of the step before and after are accepted too (clock drift). */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

function totpFor(secret: string, user: string, issuer: string): TOTP {
  return new TOTP({
    issuer,
    label: user,
    algorithm: "SHA1",
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  });
}

/** A new random TOTP secret (160 bits, base32) and its `otpauth://` URI for the QR code. */
export function newTotpSecret(user: string, issuer: string): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  return { secret, uri: totpFor(secret, user, issuer).toString() };
}

/**
 * The time step a code is valid for, or undefined when it is wrong. Callers refuse a step at or
 * before the last one accepted, so a code seen once cannot be replayed.
 */
export function totpStep(secret: string, code: string, now = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpFor(secret, "", "").validate({ token: code, timestamp: now, window: WINDOW });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / PERIOD_S) + delta;
}

/** Ten one-time recovery codes (`xxxxx-xxxxx`, 50 bits each) to show once. */
export function newRecoveryCodes(): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What is stored of a recovery code (normalised: case and separators do not matter). */
export function hashRecoveryCode(code: string): string {
  return createHash("sha256")
    .update(code.toLowerCase().replace(/[^a-z0-9]/g, ""))
    .digest("hex");
}

/** Constant-time comparison of two strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { badInput } from "../hub-error.js";
import { HUB_FIXED_LIMITS } from "../limits.js";

/**
 * scrypt cost: N=2^15, r=8, p=1 (32 MiB and about 0.1 s per hash on one core), the parameters
 * OWASP's password storage sheet lists for scrypt. Memory-hard, so guessing on GPUs stays expensive.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Room for scrypt's 128*N*r bytes (its default `maxmem` of 32 MiB is exactly that and refuses it). */
const MAX_MEM = HUB_FIXED_LIMITS.scryptMaxMemoryBytes;
/** Passwords are counted in UTF-8 bytes; longer ones are refused before hashing (CWE-400). */
export const MAX_PASSWORD_BYTES = HUB_FIXED_LIMITS.maxPasswordBytes;
export const MIN_PASSWORD_CHARS = HUB_FIXED_LIMITS.minPasswordChars;

function derive(password: string, salt: Buffer, cost: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, KEY_BYTES, { ...cost, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_CHARS)
    return `a password needs at least ${MIN_PASSWORD_CHARS} characters`;
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES)
    return `a password has at most ${MAX_PASSWORD_BYTES} bytes`;
  return undefined;
}

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64url parts), with a fresh random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/** A stored hash nobody's password matches: verifying against it costs what a real check costs. */
let decoy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash in constant time. With `stored` undefined (no such user,
 * or no password set) a decoy hash is checked, so the answer's timing does not tell names apart.
 */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return false;
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  const target = stored ?? (await decoy);
  const [scheme, n, r, p, salt, key] = target.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return stored != null && actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Hashes a new password after checking it (`passwordProblem`); throws a 400 naming the problem. */
export async function hashNewPassword(password: string): Promise<string> {
  const problem = passwordProblem(password);
  if (problem) throw badInput(problem);
  return hashPassword(password);
}

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HUB_FIXED_LIMITS } from "../limits.js";

/*
 * Layout of the hub's keys in its data folder:
 *   signing/hub-key.asc              the generated secret key (mode 0600); absent with --signing-key
 *   signing/public/<FINGERPRINT>.asc every public key the hub has signed with, current and retired
 * Rotating the key: stop the hub, move hub-key.asc away (or point --signing-key at a new key) and
 * start it; the new public key joins the old ones, which stay published so old commits verify.
 */

/** Largest key file the hub reads: an ed25519 key is under 1 KiB, an RSA-4096 one with many signatures a few (CWE-770). */
export const MAX_KEY_FILE_BYTES = HUB_FIXED_LIMITS.maxKeyFileBytes;
/** Most retired public keys published: enough for years of rotations, bounded (CWE-770). */
export const MAX_PUBLISHED_KEYS = HUB_FIXED_LIMITS.maxPublishedKeys;

const FINGERPRINT_FILE = /^([0-9A-F]{40}|[0-9A-F]{64})\.asc$/;

/** Reads an operator's key file, refusing files too large to be a key. */
export async function readSigningKeyFile(path: string): Promise<string> {
  const bytes = await readFile(path);
  if (bytes.length > MAX_KEY_FILE_BYTES) {
    throw new Error(
      `signing key ${path}: ${bytes.length} bytes, more than a key file holds (${MAX_KEY_FILE_BYTES})`,
    );
  }
  return bytes.toString("utf8");
}

/**
 * The generated secret key of a data folder: read when present, otherwise made by `generate` and
 * written (readable by the hub's user only). Two hubs starting at once on one folder keep one key.
 */
export async function writeGeneratedKey(dataDir: string, generate: () => Promise<string>): Promise<string> {
  const dir = join(dataDir, "signing");
  const path = join(dir, "hub-key.asc");
  const existing = await readOptional(path);
  if (existing !== undefined) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const armored = await generate();
  try {
    await writeFile(path, armored, { flag: "wx", mode: 0o600 });
    return armored;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    return readSigningKeyFile(path);
  }
}

/** Publishes a public key under its fingerprint (kept as it is when already there). */
export async function writePublishedKey(
  dataDir: string,
  fingerprint: string,
  armored: string,
): Promise<void> {
  const dir = join(dataDir, "signing", "public");
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(join(dir, `${fingerprint}.asc`), armored, { flag: "wx", mode: 0o644 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
}

/** Every published public key of a data folder, by fingerprint order; other files are ignored. */
export async function readPublishedKeys(
  dataDir: string,
): Promise<{ fingerprint: string; armored: string }[]> {
  const dir = join(dataDir, "signing", "public");
  const names = (await readdir(dir)).filter((n) => FINGERPRINT_FILE.test(n)).sort();
  if (names.length > MAX_PUBLISHED_KEYS) {
    throw new Error(`${dir}: ${names.length} published keys, more than ${MAX_PUBLISHED_KEYS}`);
  }
  const keys: { fingerprint: string; armored: string }[] = [];
  for (const name of names) {
    keys.push({ fingerprint: name.slice(0, -4), armored: await readSigningKeyFile(join(dir, name)) });
  }
  return keys;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readSigningKeyFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

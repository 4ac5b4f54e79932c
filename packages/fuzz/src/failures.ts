import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What went wrong with one input. */
export type FailureKind = "crash" | "hang" | "memory" | "invariant" | "worker-died";

export interface FailureRecord {
  kind: FailureKind;
  /** Groups failures of one cause: the invariant's name, or the error's first line without numbers. */
  signature: string;
  message: string;
  /** How the input was made (`mutation of pickle/os_system_p0.pkl`, `torch-zip(crc)`). */
  origin: string;
  /** Where the input was saved. */
  file: string;
}

/** Failing inputs kept per signature: enough to see variety, not a disk full of one bug. */
const KEEP_PER_SIGNATURE = 5;

export function signatureOf(kind: FailureKind, detail: string): string {
  // An invariant's name is its cause; other failures are told apart by their first line.
  const first = kind === "invariant" ? (detail.split(":")[0] ?? "") : (detail.split("\n")[0] ?? "");
  return `${kind}: ${first.replace(/0x[0-9a-f]+|\d+/gi, "N").slice(0, 160)}`;
}

/**
 * Saves a failing input under `dir` as `<kind>-<sha256 prefix>.bin`, with a `.json` beside it saying
 * what failed and how the input was made. Returns the record, with `file` empty when this signature
 * already has enough saved examples.
 */
export function saveFailure(
  dir: string,
  kind: FailureKind,
  detail: string,
  origin: string,
  bytes: Uint8Array,
): FailureRecord {
  const signature = signatureOf(kind, detail);
  const record: FailureRecord = { kind, signature, message: detail.slice(0, 4000), origin, file: "" };
  mkdirSync(dir, { recursive: true });
  const tag = createHash("sha256").update(signature).digest("hex").slice(0, 8);
  const already = readdirSync(dir).filter((f) => f.endsWith(`.${tag}.json`)).length;
  if (already >= KEEP_PER_SIGNATURE) return record;
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const file = join(dir, `${kind}-${hash}.bin`);
  writeFileSync(file, bytes);
  record.file = file;
  writeFileSync(join(dir, `${kind}-${hash}.${tag}.json`), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

import { dtypeBits } from "./safetensors-dtypes.js";

/** One broken rule, with a stable id (`safetensors/<rule>`) and a message naming key and values. */
export interface SafetensorsProblem {
  rule: string;
  message: string;
}

/** What a header describes, for the report. */
export interface SafetensorsSummary {
  tensors: number;
  /** Sum of element counts (exact, as a bigint: it is a product of up to 64-bit numbers). */
  parameters: bigint;
  /** Tensor count per dtype. */
  dtypes: Record<string, number>;
  /** `__metadata__`, when present and valid. */
  metadata: Record<string, string> | undefined;
  /** Where the tensor data ends (relative to the data section), when every entry is valid. */
  dataEnd: number | undefined;
}

interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

const U64_MAX = (1n << 64n) - 1n;
const ENTRY_FIELDS = new Set(["dtype", "shape", "data_offsets"]);

/**
 * Checks a parsed safetensors header as the reference reader does, and stricter: every entry has
 * exactly `dtype`, `shape` and `data_offsets`, with a known dtype; sorted by offset, entries start
 * at 0 and are contiguous; each one's byte length equals shape x dtype bits / 8 (computed without
 * overflow, in whole bytes); the data ends exactly at `dataBytes`; `__metadata__` maps strings to strings.
 * `dataBytes` is the number of bytes after the header in the file.
 */
export function validateSafetensorsHeader(
  header: Record<string, unknown>,
  dataBytes: number,
): { problems: SafetensorsProblem[]; summary: SafetensorsSummary } {
  const problems: SafetensorsProblem[] = [];
  const summary: SafetensorsSummary = {
    tensors: 0,
    parameters: 0n,
    dtypes: {},
    metadata: undefined,
    dataEnd: undefined,
  };
  const entries: TensorEntry[] = [];
  let entriesValid = true;

  for (const [name, value] of Object.entries(header)) {
    if (name === "__metadata__") {
      const metadata = checkMetadata(value, problems);
      if (metadata) summary.metadata = metadata;
      continue;
    }
    const entry = checkEntry(name, value, problems);
    if (!entry) {
      entriesValid = false;
      continue;
    }
    entries.push(entry);
    summary.tensors++;
    summary.dtypes[entry.dtype] = (summary.dtypes[entry.dtype] ?? 0) + 1;
  }
  // Layout checks compare entries with each other: with a broken entry they would only echo it.
  if (!entriesValid) return { problems, summary };

  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const entry of entries) {
    if (entry.begin > expected) {
      problems.push({
        rule: "safetensors/offset-gap",
        message: `tensor ${q(entry.name)} starts at data offset ${entry.begin}, leaving bytes ${expected}..${entry.begin} unused`,
      });
    } else if (entry.begin < expected) {
      problems.push({
        rule: "safetensors/offset-overlap",
        message: `tensor ${q(entry.name)} starts at data offset ${entry.begin}, inside the previous tensor (which ends at ${expected})`,
      });
    }
    expected = entry.end;
    const elements = checkedProduct(entry.shape);
    const bits = elements === undefined ? undefined : elements * BigInt(dtypeBits(entry.dtype) ?? 0);
    if (elements === undefined || bits === undefined || bits > U64_MAX) {
      problems.push({
        rule: "safetensors/size-overflow",
        message: `tensor ${q(entry.name)}: shape [${entry.shape.join(", ")}] of ${entry.dtype} overflows 64 bits`,
      });
      continue;
    }
    summary.parameters += elements;
    if (bits % 8n !== 0n) {
      problems.push({
        rule: "safetensors/misaligned-size",
        message: `tensor ${q(entry.name)}: ${bits} bits of ${entry.dtype} do not fill whole bytes`,
      });
      continue;
    }
    const length = BigInt(entry.end - entry.begin);
    if (bits / 8n !== length) {
      problems.push({
        rule: "safetensors/size-mismatch",
        message: `tensor ${q(entry.name)}: shape [${entry.shape.join(", ")}] of ${entry.dtype} needs ${bits / 8n} bytes, but data_offsets [${entry.begin}, ${entry.end}] span ${length}`,
      });
    }
  }
  summary.dataEnd = expected;
  if (expected < dataBytes) {
    problems.push({
      rule: "safetensors/trailing-bytes",
      message: `${dataBytes - expected} bytes follow the last tensor (data ends at ${expected}, the file has ${dataBytes} data bytes); a valid file ends with its data`,
    });
  } else if (expected > dataBytes) {
    problems.push({
      rule: "safetensors/truncated",
      message: `tensor data ends at offset ${expected}, but the file has only ${dataBytes} data bytes`,
    });
  }
  return { problems, summary };
}

function checkMetadata(value: unknown, problems: SafetensorsProblem[]): Record<string, string> | undefined {
  if (!isObject(value)) {
    problems.push({ rule: "safetensors/invalid-metadata", message: "__metadata__ is not an object" });
    return undefined;
  }
  const out: Record<string, string> = {};
  let valid = true;
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === "string") out[key] = v;
    else {
      valid = false;
      problems.push({
        rule: "safetensors/invalid-metadata",
        message: `__metadata__ key ${q(key)} has a ${describe(v)} value; only strings are allowed`,
      });
    }
  }
  return valid ? out : undefined;
}

function checkEntry(name: string, value: unknown, problems: SafetensorsProblem[]): TensorEntry | undefined {
  const bad = (rule: string, message: string): undefined => {
    problems.push({ rule: `safetensors/${rule}`, message: `tensor ${q(name)}: ${message}` });
    return undefined;
  };
  if (!isObject(value)) return bad("invalid-entry", `entry is a ${describe(value)}, not an object`);
  for (const key of Object.keys(value)) {
    if (!ENTRY_FIELDS.has(key)) return bad("unknown-field", `unexpected field ${q(key)}`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype === undefined || shape === undefined || offsets === undefined) {
    const missing = [...ENTRY_FIELDS].filter((f) => value[f] === undefined);
    return bad("invalid-entry", `missing ${missing.join(", ")}`);
  }
  if (typeof dtype !== "string" || dtypeBits(dtype) === undefined) {
    return bad("unknown-dtype", `dtype ${JSON.stringify(dtype)} is not a safetensors dtype`);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    return bad("invalid-shape", `shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return bad("invalid-offsets", `data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) return bad("invalid-offsets", `data_offsets [${begin}, ${end}] end before they begin`);
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Product of dimensions, or undefined past 64 bits (as the reference's checked_mul). */
function checkedProduct(shape: readonly number[]): bigint | undefined {
  let product = 1n;
  for (const dim of shape) {
    product *= BigInt(dim);
    if (product > U64_MAX) return undefined;
  }
  return product;
}

/** A JSON number usable as a size: a non-negative integer held exactly by a double. */
function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "list";
  return typeof v;
}

/** A name quoted for a message, cut short so a hostile key cannot flood the report. */
function q(name: string): string {
  return JSON.stringify(name.length > 200 ? `${name.slice(0, 200)}...` : name);
}

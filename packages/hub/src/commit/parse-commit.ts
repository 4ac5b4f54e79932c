import { badInput, HubError } from "../hub-error.js";
import type { HubLimits } from "../limits.js";
import { assertRepoPath } from "../names.js";
import { isLfsOid } from "../store/lfs-store.js";

/** One operation of a commit, validated. */
export type CommitOperation =
  | { kind: "file"; path: string; content: Buffer }
  | { kind: "lfsFile"; path: string; oid: string; size: number | undefined }
  | { kind: "deletedFile"; path: string }
  | { kind: "deletedFolder"; path: string };

/** A commit request, validated, before it is applied. */
export interface ParsedCommit {
  summary: string;
  description: string;
  parentCommit: string | undefined;
  operations: CommitOperation[];
}

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_SUMMARY_CHARS = 10_000;
const MAX_DESCRIPTION_CHARS = 100_000;

/**
 * Parses the Hub's NDJSON commit body: a `header` line, then `file`, `lfsFile`, `deletedFile` and
 * `deletedFolder` lines. Everything is checked before anything is written: paths (no traversal,
 * absolute paths or `.git`), strict base64, oids, line sizes, operation count, duplicate paths.
 * Throws a 400 `HubError` naming the offending line.
 */
export function parseCommit(body: string, limits: HubLimits): ParsedCommit {
  const lines = body.split("\n").filter((l) => l.trim() !== "");
  if (lines.length === 0) throw badInput("empty commit body: a header line is required");
  if (lines.length - 1 > limits.maxCommitOperations) {
    throw badInput(`too many operations: ${lines.length - 1} > ${limits.maxCommitOperations}`);
  }
  let header: ParsedCommit | undefined;
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (Buffer.byteLength(line) > limits.maxCommitLineBytes) {
      throw new HubError(
        413,
        "PayloadTooLarge",
        `${where} is longer than ${limits.maxCommitLineBytes} bytes`,
      );
    }
    const { key, value } = parseLine(line, where);
    if (index === 0) {
      if (key !== "header") throw badInput(`${where}: the first line must be the header`);
      header = parseHeader(value, where);
      return;
    }
    if (!header) return;
    const op = parseOperation(key, value, where, limits);
    if (seen.has(op.path)) throw badInput(`${where}: ${op.path} appears twice in this commit`);
    seen.add(op.path);
    header.operations.push(op);
  });
  if (!header) throw badInput("missing header");
  const parsed: ParsedCommit = header;
  if (parsed.operations.length === 0) throw badInput("a commit needs at least one operation");
  return parsed;
}

function parseLine(line: string, where: string): { key: string; value: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw badInput(`${where} is not valid JSON`);
  }
  if (!isObject(json) || typeof json.key !== "string" || !isObject(json.value)) {
    throw badInput(`${where} must be {"key": string, "value": object}`);
  }
  return { key: json.key, value: json.value };
}

function parseHeader(value: Record<string, unknown>, where: string): ParsedCommit {
  const { summary, description, parentCommit } = value;
  if (typeof summary !== "string" || summary.trim() === "" || summary.length > MAX_SUMMARY_CHARS) {
    throw badInput(`${where}: summary must be a non-empty string of at most ${MAX_SUMMARY_CHARS} characters`);
  }
  if (
    description !== undefined &&
    description !== null &&
    (typeof description !== "string" || description.length > MAX_DESCRIPTION_CHARS)
  ) {
    throw badInput(`${where}: description must be a string of at most ${MAX_DESCRIPTION_CHARS} characters`);
  }
  if (
    parentCommit !== undefined &&
    parentCommit !== null &&
    (typeof parentCommit !== "string" || !/^[0-9a-f]{40}$/.test(parentCommit))
  ) {
    throw badInput(`${where}: parentCommit must be a 40-digit commit id`);
  }
  return {
    summary,
    description: typeof description === "string" ? description : "",
    parentCommit: typeof parentCommit === "string" ? parentCommit : undefined,
    operations: [],
  };
}

/** Parses one operation line's `key` and `value`; `where` names it in errors. */
export function parseOperation(
  key: string,
  value: Record<string, unknown>,
  where: string,
  limits: HubLimits,
): CommitOperation {
  switch (key) {
    case "file": {
      const path = assertRepoPath(value.path, limits);
      if (value.encoding !== "base64") throw badInput(`${where}: ${path}: encoding must be "base64"`);
      const content = value.content;
      if (typeof content !== "string" || !BASE64_RE.test(content)) {
        throw badInput(`${where}: ${path}: content is not valid base64`);
      }
      return { kind: "file", path, content: Buffer.from(content, "base64") };
    }
    case "lfsFile": {
      const path = assertRepoPath(value.path, limits);
      if (value.algo !== undefined && value.algo !== "sha256")
        throw badInput(`${where}: ${path}: algo must be "sha256"`);
      if (!isLfsOid(value.oid)) throw badInput(`${where}: ${path}: oid must be 64 lowercase hex digits`);
      const size = value.size;
      if (size !== undefined && (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0)) {
        throw badInput(`${where}: ${path}: size must be a non-negative integer`);
      }
      return { kind: "lfsFile", path, oid: value.oid, size };
    }
    case "deletedFile":
      return { kind: "deletedFile", path: assertRepoPath(value.path, limits) };
    case "deletedFolder":
      return {
        kind: "deletedFolder",
        path: assertRepoPath(
          typeof value.path === "string" ? value.path.replace(/\/+$/, "") : value.path,
          limits,
        ),
      };
    default:
      throw badInput(`${where}: unknown operation "${key.slice(0, 40)}"`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

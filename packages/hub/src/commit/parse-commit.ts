import { badInput, type HubError } from "../hub-error.js";
import type { HubLimits } from "../limits.js";
import { HUB_FIXED_LIMITS } from "../limits.js";
import { assertRepoPath } from "../names.js";
import { isLfsOid } from "../store/lfs-store.js";
import { Base64Decoder, Base64Error } from "./base64-decoder.js";

/** One operation of a commit, validated. */
export type CommitOperation =
  | { kind: "file"; path: string; content: Buffer }
  /** An inline file too large to keep in memory, already written to git while it arrived. */
  | { kind: "storedFile"; path: string; oid: string; sha256: string; size: number }
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

const MAX_SUMMARY_CHARS = HUB_FIXED_LIMITS.maxCommitSummaryChars;
const MAX_DESCRIPTION_CHARS = HUB_FIXED_LIMITS.maxCommitDescriptionChars;

/** Parses one commit line's JSON text into its `key` and `value`; `where` names it in errors. */
export function parseLine(line: string, where: string): { key: string; value: Record<string, unknown> } {
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

/** Validates the `header` line's value. */
export function parseHeader(value: Record<string, unknown>, where: string): ParsedCommit {
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
      const path = fileLinePath(value, where, limits);
      const content = value.content;
      if (typeof content !== "string") throw badInput(`${where}: ${path}: content must be a base64 string`);
      const decoder = new Base64Decoder();
      try {
        // utf8, not latin1: a character above U+00FF must stay an invalid byte, not wrap into the alphabet.
        const bytes = decoder.push(Buffer.from(content, "utf8"));
        return { kind: "file", path, content: Buffer.concat([bytes, decoder.end()]) };
      } catch (err) {
        throw invalidBase64(err, where, path);
      }
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

/** The path of a `file` line, checked with its `encoding`. */
export function fileLinePath(value: Record<string, unknown>, where: string, limits: HubLimits): string {
  const path = assertRepoPath(value.path, limits);
  if (value.encoding !== "base64") throw badInput(`${where}: ${path}: encoding must be "base64"`);
  return path;
}

/** The 400 for a `file` line whose content is not strict base64. */
export function invalidBase64(err: unknown, where: string, path: string): HubError {
  if (!(err instanceof Base64Error)) throw err;
  return badInput(`${where}: ${path}: content is not valid base64 (${err.message})`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

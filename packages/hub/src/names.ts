import { isDotGitName } from "./git/dotgit-name.js";
import { badInput, HubError } from "./hub-error.js";
import type { HubLimits } from "./limits.js";
import { HUB_FIXED_LIMITS } from "./limits.js";

/** Repository kinds the hub serves (Spaces are out of scope). */
export type RepoType = "model" | "dataset";

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_NAME_LENGTH = HUB_FIXED_LIMITS.maxRepoNameChars;

/**
 * Checks a user, organisation or repository name against the Hub's rules: letters, digits, `-`, `_`,
 * `.`; no `--` or `..`; no `-` or `.` at either end; at most 96 characters; not ending in `.git`.
 */
export function isValidName(name: string): boolean {
  return (
    name.length <= MAX_NAME_LENGTH &&
    NAME_RE.test(name) &&
    !name.includes("--") &&
    !name.includes("..") &&
    !/[-.]$/.test(name) &&
    !name.toLowerCase().endsWith(".git")
  );
}

/** Throws a 400 `InvalidRepoName` unless `name` follows the Hub's rules. */
export function assertValidName(name: string, what: string): void {
  if (!isValidName(name)) {
    throw new HubError(
      400,
      "InvalidRepoName",
      `${what} "${name.slice(0, 120)}" is invalid: use letters, digits, '-', '_' and '.'; '--' and '..' are forbidden; '-' and '.' cannot start or end it; at most ${MAX_NAME_LENGTH} characters`,
    );
  }
}

const REV_RE = /^[A-Za-z0-9_][A-Za-z0-9._/-]*$/;

/** Checks a revision (branch name or commit id) before it reaches git: no options, no `..`, no `@{`. */
export function isValidRevision(rev: string): boolean {
  return (
    rev.length <= 255 &&
    REV_RE.test(rev) &&
    !rev.includes("..") &&
    !rev.endsWith(".lock") &&
    !rev.endsWith("/")
  );
}

/**
 * Checks the name of a branch or tag to create: a valid revision that git accepts as a ref name
 * (no `//`, no segment starting with `.` or ending in `.lock`), that cannot be mistaken for
 * something else (a full commit id, `HEAD`, a full ref name such as `refs/pr/1`).
 */
export function isValidRefName(name: string): boolean {
  return (
    isValidRevision(name) &&
    !/^[0-9a-f]{40}$/.test(name) &&
    name !== "HEAD" &&
    !name.startsWith("refs/") &&
    name
      .split("/")
      .every((segment) => segment !== "" && !segment.startsWith(".") && !segment.endsWith(".lock"))
  );
}

/**
 * The full ref a commit to `rev` moves: `refs/pr/N` as is, `refs/heads/x` as is, a branch name
 * under `refs/heads/`; undefined for anything else (tags and commit ids cannot be committed to).
 */
export function writableRef(rev: string): string | undefined {
  if (/^refs\/pr\/[1-9][0-9]{0,8}$/.test(rev)) return rev;
  const branch = rev.startsWith("refs/heads/") ? rev.slice("refs/heads/".length) : rev;
  return isValidRefName(branch) ? `refs/heads/${branch}` : undefined;
}

/**
 * Validates a path inside a repository as the hub stores it: relative, `/`-separated, no empty,
 * `.` or `..` segment, no segment that is `.git` on any disk (`isDotGitName`: `.GIT`, `.git.`, `git~1`,
 * `.g\u200cit`...), no backslash, control character or NUL.
 * Returns the path unchanged; throws a 400 `InvalidPath` naming the problem.
 */
export function assertRepoPath(path: unknown, limits: Pick<HubLimits, "maxPathBytes">): string {
  if (typeof path !== "string" || path.length === 0)
    throw invalidPath(String(path), "it is empty or not a string");
  if (Buffer.byteLength(path) > limits.maxPathBytes) {
    throw invalidPath(path, `it is longer than ${limits.maxPathBytes} bytes`);
  }
  if (path.startsWith("/")) throw invalidPath(path, "absolute paths are not allowed");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses
  if (/[\u0000-\u001f\u007f\\]/.test(path))
    throw invalidPath(path, "it contains a control character or a backslash");
  for (const segment of path.split("/")) {
    if (segment === "" || segment === "." || segment === "..") {
      throw invalidPath(path, "empty, '.' and '..' segments are not allowed");
    }
    if (isDotGitName(segment)) {
      throw invalidPath(path, `'${segment}' is git's '.git' folder on some disks (as git fsck's hasDotgit)`);
    }
  }
  return path;
}

function invalidPath(path: string, why: string): HubError {
  return new HubError(400, "InvalidPath", `invalid path "${path.slice(0, 200)}": ${why}`);
}

/** Parses `model`/`dataset` from a client's `type` field (absent means model). */
export function parseRepoType(type: unknown): RepoType {
  if (type === undefined || type === null || type === "model") return "model";
  if (type === "dataset") return "dataset";
  throw badInput(`unsupported repository type: ${String(type).slice(0, 40)} (models and datasets only)`);
}

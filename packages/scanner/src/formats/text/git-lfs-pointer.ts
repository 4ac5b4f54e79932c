import { FIXED_LIMITS } from "../../limits.js";

/**
 * A Git LFS pointer file (https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md): what a clone
 * without LFS holds in place of a large file. At most 1024 bytes, `version` first, an `oid` and a
 * `size` line.
 */
const POINTER =
  /^version https:\/\/git-lfs\.github\.com\/spec\/v1\n(?:[a-z0-9.-]+ [^\n]*\n)*?oid sha256:(?<oid>[0-9a-f]{64})\n(?:[a-z0-9.-]+ [^\n]*\n)*?size (?<size>\d{1,20})\n/;

/** The object a Git LFS pointer names, or undefined when `bytes` (a whole file) is not one. */
export function readGitLfsPointer(
  bytes: Uint8Array,
  size: number,
): { oid: string; size: string } | undefined {
  if (size > FIXED_LIMITS.maxLfsPointerBytes || bytes.length < size) return undefined;
  const m = POINTER.exec(new TextDecoder("utf-8", { fatal: false }).decode(bytes));
  const oid = m?.groups?.oid;
  const declared = m?.groups?.size;
  return oid !== undefined && declared !== undefined ? { oid, size: declared } : undefined;
}

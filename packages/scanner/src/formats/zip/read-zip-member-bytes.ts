import type { Limits } from "../../limits.js";
import { type ByteSource, readFully } from "../../reader/byte-source.js";
import { crc32 } from "../../reader/crc32.js";
import { type InflateEnding, InflateSource } from "../compression/inflate-source.js";
import type { ContainerBudget } from "../container-budget.js";
import { ContainerError } from "../container-error.js";
import { openZipMember } from "./open-zip-member.js";
import type { ZipEntry, ZipIssue, ZipLocalHeader } from "./zip-types.js";

/**
 * Reads a whole member into memory (a pickle member: the loader reads it whole too) and checks it
 * against the central directory: CRC (which PyTorch's reader ignores, so a wrong one hides nothing
 * from it but may make another reader skip the member) and inflated size.
 */
export async function readZipMemberBytes(
  source: ByteSource,
  entry: ZipEntry,
  local: ZipLocalHeader,
  budget: ContainerBudget,
  limits: Limits,
): Promise<{ bytes: Uint8Array; issues: ZipIssue[] }> {
  if (entry.uncompressedSize > limits.maxMemberBytes) {
    throw new ContainerError(
      "container/member-too-large",
      `${JSON.stringify(entry.name)} is ${entry.uncompressedSize} bytes, more than the limit of ${limits.maxMemberBytes} read into memory`,
      local.offset,
    );
  }
  const member = openZipMember(source, entry, local, budget, limits);
  const bytes = (await readFully(member, 0, member.size)).slice();
  const issues: ZipIssue[] = [];
  if (member instanceof InflateSource) {
    const issue = inflateEndingIssue(entry, local, await member.finish());
    if (issue) issues.push(issue);
  }
  const actual = crc32(bytes);
  if (actual !== entry.crc32) {
    issues.push({
      rule: "zip/crc-mismatch",
      severity: "suspicious",
      message: `${JSON.stringify(entry.name)} has CRC 0x${actual.toString(16).padStart(8, "0")}, its directory entry says 0x${entry.crc32.toString(16).padStart(8, "0")} (PyTorch ignores it; other readers refuse the member)`,
      offset: local.dataOffset,
      entry: entry.name,
    });
  }
  return { bytes, issues };
}

/**
 * The issue for a deflated member that did not inflate to exactly its declared size (undefined when it
 * did): cut (`zip/truncated-member`, error) or shorter or longer (`zip/size-mismatch`, suspicious).
 */
export function inflateEndingIssue(
  entry: ZipEntry,
  local: ZipLocalHeader,
  ending: InflateEnding,
): ZipIssue | undefined {
  if (ending === "exact") return undefined;
  return {
    rule: ending === "truncated" ? "zip/truncated-member" : "zip/size-mismatch",
    severity: ending === "truncated" ? "error" : "suspicious",
    message:
      ending === "truncated"
        ? `the compressed data of ${JSON.stringify(entry.name)} ends before its deflate stream does`
        : `${JSON.stringify(entry.name)} inflates to ${ending === "long" ? "more" : "fewer"} bytes than the ${entry.uncompressedSize} its directory entry declares`,
    offset: local.dataOffset,
    entry: entry.name,
  };
}

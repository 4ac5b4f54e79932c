import { type ByteSource, SliceSource } from "../../reader/byte-source.js";
import { budgetFor, withBudget } from "../container-budget.js";
import { type ContainerIssue, issueFromError, reportIssues } from "../container-issue.js";
import type { ParseContext } from "../format-parser.js";
import type { TarEntry, TarListing } from "./read-tar.js";

/** Regular-file types whose data is a member. */
const FILE_TYPES = new Set(["0", "7"]);

/** Issues about the members themselves: duplicate names (tarfile's `getmember` takes the last one) and cut data. */
export function checkTarMembers(entries: readonly TarEntry[], size: number): ContainerIssue[] {
  const issues: ContainerIssue[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) {
      issues.push({
        rule: "tar/duplicate-entry",
        severity: "suspicious",
        message: `${JSON.stringify(entry.name)} appears more than once; tarfile reads the last one, other readers the first`,
        offset: entry.headerOffset,
        entry: entry.name,
      });
    }
    seen.add(entry.name);
    if (FILE_TYPES.has(entry.type) && entry.dataOffset + entry.size > size) {
      issues.push({
        rule: "tar/truncated-member",
        severity: "error",
        message: `${JSON.stringify(entry.name)} declares ${entry.size} bytes but the file ends first`,
        offset: entry.headerOffset,
        entry: entry.name,
      });
    }
  }
  return issues;
}

/** The data of a regular member, drawing on its archive's budget. */
export function tarMemberSource(source: ByteSource, entry: TarEntry, ctx: ParseContext): ByteSource {
  const size = Math.max(0, Math.min(entry.size, source.size - entry.dataOffset));
  return withBudget(new SliceSource(source, entry.dataOffset, size), budgetFor(source, ctx.limits));
}

/** Scans every regular member of a listed archive by content. */
export async function scanTar(source: ByteSource, listing: TarListing, ctx: ParseContext): Promise<void> {
  reportIssues(ctx, [...listing.issues, ...checkTarMembers(listing.entries, source.size)]);
  ctx.info("entries", listing.entries.length);
  for (const entry of listing.entries) {
    if (!FILE_TYPES.has(entry.type)) continue;
    try {
      await ctx.scanMember(entry.name, tarMemberSource(source, entry, ctx));
    } catch (err) {
      reportIssues(ctx, [issueFromError(err, entry.name)]);
    }
  }
}

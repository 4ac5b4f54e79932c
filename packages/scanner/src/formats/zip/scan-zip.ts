import type { ByteSource } from "../../reader/byte-source.js";
import { MemorySource, readFully } from "../../reader/byte-source.js";
import { InflateSource } from "../compression/inflate-source.js";
import { budgetFor, withBudget } from "../container-budget.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { ParseContext } from "../format-parser.js";
import { isPickleName, looksLikeProtoPickle } from "../pickle-member.js";
import { openZipMember } from "./open-zip-member.js";
import type { ZipArchive } from "./read-zip-archive.js";
import { readZipMemberBytes } from "./read-zip-member-bytes.js";
import type { ZipEntry, ZipLocalHeader } from "./zip-types.js";

/** STOP, the last byte of a pickle. */
const STOP = 0x2e;

/**
 * `pytorch`: only pickle members are read (tensor data never is, beyond two bytes at each end).
 * `all`: every member is scanned by content, recursively (npz, archives users upload).
 */
export type ZipScanMode = "pytorch" | "all";

/**
 * Scans the members of an archive already read with `readZipArchive`: reports its issues, then every
 * member that holds a pickle (by name, or PROTO...STOP bytes) is read whole, checked and analysed;
 * in `all` mode every other member is scanned by content too.
 */
export async function scanZip(
  source: ByteSource,
  archive: ZipArchive,
  ctx: ParseContext,
  mode: ZipScanMode,
): Promise<void> {
  const budget = budgetFor(source, ctx.limits);
  reportIssues(ctx, archive.issues);
  ctx.info("entries", archive.directory.entries.length);
  if (archive.directory.zip64) ctx.info("zip64", true);
  for (const entry of archive.directory.entries) {
    const local = archive.locals.get(entry.index);
    if (!local || isDirectory(entry)) continue;
    try {
      if (await holdsPickle(source, entry, local, ctx)) {
        const { bytes, issues } = await readZipMemberBytes(source, entry, local, budget, ctx.limits);
        reportIssues(ctx, issues);
        await ctx.scanMember(entry.name, withBudget(new MemorySource(bytes), budget), "pickle");
      } else if (mode === "all") {
        const member = openZipMember(source, entry, local, budget, ctx.limits);
        await ctx.scanMember(entry.name, member);
      }
    } catch (err) {
      reportIssues(ctx, [issueFromError(err, entry.name)]);
    }
  }
}

async function holdsPickle(
  source: ByteSource,
  entry: ZipEntry,
  local: ZipLocalHeader,
  ctx: ParseContext,
): Promise<boolean> {
  if (isPickleName(entry.name)) return true;
  if (entry.uncompressedSize < 2) return false;
  if (entry.method === 0 && local.dataHead.length >= 2 && !looksLikeProtoPickle(local.dataHead, STOP)) {
    return false; // the common case (tensor data), decided without another read
  }
  const member = openZipMember(source, entry, local, budgetFor(source, ctx.limits), ctx.limits);
  const head = await readFully(member, 0, 2);
  if (member instanceof InflateSource) {
    // The last byte of a deflated member costs a full inflate: decide on PROTO alone.
    return looksLikeProtoPickle(head, STOP);
  }
  const last = (await readFully(member, member.size - 1, 1))[0];
  return looksLikeProtoPickle(head, last);
}

function isDirectory(entry: ZipEntry): boolean {
  return entry.name.endsWith("/") && entry.uncompressedSize === 0;
}

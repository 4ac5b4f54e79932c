import { FIXED_LIMITS } from "../../limits.js";
import { analysePickle } from "../../pickle/analyse-pickle.js";
import type { ByteSource } from "../../reader/byte-source.js";
import { MemorySource, readFully } from "../../reader/byte-source.js";
import { InflateSource } from "../compression/inflate-source.js";
import { budgetFor, withBudget } from "../container-budget.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { ParseContext } from "../format-parser.js";
import { isPickleName, looksLikeProtoPickle } from "../pickle-member.js";
import { checkTorchScriptCode } from "../pytorch/torchscript-code.js";
import { openZipMember } from "./open-zip-member.js";
import type { ZipArchive } from "./read-zip-archive.js";
import { inflateEndingIssue, readZipMemberBytes } from "./read-zip-member-bytes.js";
import type { ZipEntry, ZipLocalHeader } from "./zip-types.js";

/** Zip compression method 0: the member's bytes are stored as they are. */
const STORED_METHOD = 0;

/** STOP, the last byte of a pickle. */
const STOP = 0x2e;

/**
 * `pytorch`: pickle members and small side files (code, `extra/`, `version`) are read; tensor data
 * (`<root>/data/<key>`) never is, beyond its first bytes.
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
  reportIssues(ctx, archive.issues);
  ctx.info("entries", archive.directory.entries.length);
  if (archive.directory.zip64) ctx.info("zip64", true);
  const scanned = new Set<string>();
  for (const entry of archive.directory.entries) {
    await scanEntry(source, entry, archive.locals.get(entry.index), ctx, mode, scanned);
  }
  // Members only Python's zipfile sees (it shifts every offset): scanned too, under their names.
  const python = archive.pythonView;
  if (python) {
    for (const entry of python.directory.entries) {
      await scanEntry(source, entry, python.locals.get(entry.index), ctx, mode, scanned);
    }
  }
}

async function scanEntry(
  source: ByteSource,
  entry: ZipEntry,
  local: ZipLocalHeader | undefined,
  ctx: ParseContext,
  mode: ZipScanMode,
  scanned: Set<string>,
): Promise<void> {
  if (!local || isDirectory(entry)) return;
  const key = `${local.dataOffset}:${entry.compressedSize}:${entry.uncompressedSize}:${entry.method}`;
  if (scanned.has(key)) return;
  scanned.add(key);
  const budget = budgetFor(source, ctx.limits);
  try {
    const named = isPickleName(entry.name);
    if (named || (await holdsPickle(source, entry, local, ctx))) {
      if (entry.uncompressedSize > FIXED_LIMITS.wholeReadZipMemberBytes) {
        // Streamed through the pickle parser, which reads only what it needs (and declines what is
        // not a pickle: a large tensor can look like one by its bytes), never buffered whole: a
        // 1 GiB member costs tens of MB. Its CRC is not checked (PyTorch ignores it too).
        const member = openZipMember(source, entry, local, budget, ctx.limits);
        await ctx.scanMember(entry.name, member, "pickle");
        if (member instanceof InflateSource) {
          const issue = inflateEndingIssue(entry, local, await member.finish());
          if (issue) reportIssues(ctx, [issue]);
        }
        return;
      }
      const { bytes, issues } = await readZipMemberBytes(source, entry, local, budget, ctx.limits);
      reportIssues(ctx, issues);
      await ctx.scanMember(entry.name, withBudget(new MemorySource(bytes), budget), "pickle");
    } else if (mode === "pytorch" && TORCHSCRIPT_CODE.test(entry.name) && isSmallSideFile(entry)) {
      const { bytes, issues } = await readZipMemberBytes(source, entry, local, budget, ctx.limits);
      reportIssues(ctx, issues);
      const text = decodeUtf8(bytes);
      // TorchScript source: checked for the operators it reaches, and read as text (secrets). Bytes
      // that are not text are detected by content like any other member.
      if (text !== undefined) checkTorchScriptCode(text, entry.name, ctx);
      await ctx.scanMember(
        entry.name,
        withBudget(new MemorySource(bytes), budget),
        text !== undefined ? "text" : undefined,
      );
    } else if (mode === "pytorch" && entry.method === STORED_METHOD && TENSOR_MEMBER.test(entry.name)) {
      // A storage PyTorch maps straight into a tensor: numbers, never read as text by any loader.
      ctx.tensorData(local.dataOffset, entry.compressedSize);
    } else if (mode === "all" || isSmallSideFile(entry)) {
      const member = openZipMember(source, entry, local, budget, ctx.limits);
      // A stored member is the file's own bytes: the tensor data it holds (an .npz array) maps to them.
      const at = entry.method === STORED_METHOD ? local.dataOffset : undefined;
      await ctx.scanMember(entry.name, member, undefined, at);
      // A member read to its end that inflated short or long, or was cut: said, not passed over.
      if (member instanceof InflateSource && member.ending !== undefined) {
        const issue = inflateEndingIssue(entry, local, member.ending);
        if (issue) reportIssues(ctx, [issue]);
      }
    }
  } catch (err) {
    reportIssues(ctx, [issueFromError(err, entry.name)]);
  }
}

async function holdsPickle(
  source: ByteSource,
  entry: ZipEntry,
  local: ZipLocalHeader,
  ctx: ParseContext,
): Promise<boolean> {
  if (entry.uncompressedSize < 2) return false;
  if (entry.method === 0 && local.dataHead.length >= 2 && !looksLikeProtoPickle(local.dataHead, STOP)) {
    return false; // the common case (tensor data), decided without another read
  }
  const member = openZipMember(source, entry, local, budgetFor(source, ctx.limits), ctx.limits);
  const head = await readFully(member, 0, 2);
  // The last byte of a deflated member costs a full inflate: decide on PROTO alone there.
  const last = member instanceof InflateSource ? STOP : (await readFully(member, member.size - 1, 1))[0];
  if (!looksLikeProtoPickle(head, last)) return false;
  // Tensor bytes can start and end like a pickle by chance. No loader unpickles such a member, so it
  // counts as a pickle only when following it gets somewhere: a STOP, an import or a call. This reads
  // only up to where the stream breaks, which for tensor data is within the first bytes.
  const probe = await analysePickle(member, 0, { limits: ctx.limits });
  return probe.complete || probe.imports.length > 0 || probe.calls.length > 0;
}

/** TorchScript source of a `torch.jit.save` archive: `<root>/code/**.py`. */
const TORCHSCRIPT_CODE = /^[^/]+\/code\/.+\.py$/;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Tensor data of a PyTorch archive: `<root>/data/<key>`. */
const TENSOR_MEMBER = /^[^/]+\/data\/[^/]+$/;

/** TorchScript code, `extra/` files and the like: small, and where a leaked token would sit. */
function isSmallSideFile(entry: ZipEntry): boolean {
  return !TENSOR_MEMBER.test(entry.name) && entry.uncompressedSize <= FIXED_LIMITS.maxSideFileBytes;
}

function isDirectory(entry: ZipEntry): boolean {
  return entry.name.endsWith("/") && entry.uncompressedSize === 0;
}

import type { Limits } from "../../limits.js";
import { FIXED_LIMITS } from "../../limits.js";
import { analysePickle } from "../../pickle/analyse-pickle.js";
import type { PickleAnalysis } from "../../pickle/types.js";
import { type ByteSource, readFully, SliceSource } from "../../reader/byte-source.js";
import { ContainerError } from "../container-error.js";
import { issueFromError, reportIssues } from "../container-issue.js";
import type { FormatParser, ParseContext } from "../format-parser.js";
import { NotThisFormatError } from "../not-this-format.js";
import { reportPickle } from "../pickle-member.js";
import { startsLikeTar } from "../tar/parse-tar-header.js";
import type { TarEntry } from "../tar/read-tar.js";
import { readTarCached } from "../tar/read-tar-cached.js";
import { checkTarMembers } from "../tar/scan-tar.js";
import { readIntPickle } from "./read-int-pickle.js";
import { storageElementSize } from "./storage-element-size.js";

/** Members `torch.load` reads from the old tar layout; `storages` and `tensors` mix pickles and raw data. */
const REQUIRED = ["storages", "tensors", "pickle"];
/** Members read in a fixed way: `pickle` and `sys_info` are one pickle each. */
const ROLES = new Set([...REQUIRED, "sys_info"]);

/**
 * PyTorch's oldest layout: a tar of `sys_info`, `pickle`, `tensors` and `storages`, read by `torch.load`
 * through `tarfile` (which takes the last member of a name). `pickle` and `sys_info` are pickles; in
 * `storages` and `tensors` every pickle is followed by raw data whose length the pickle before it
 * and the data's own header give, so each pickle is found exactly where the loader reads it.
 * Offsets in findings are offsets in the tar file.
 */
export const pytorchTarFormat: FormatParser = {
  id: "pytorch-tar",
  sniff: (head) => startsLikeTar(head),
  async parse(source, ctx) {
    let listing: Awaited<ReturnType<typeof readTarCached>>;
    try {
      listing = await readTarCached(source, ctx.limits);
    } catch (err) {
      if (err instanceof ContainerError) throw new NotThisFormatError(err.message);
      throw err;
    }
    const names = new Set(listing.entries.map((e) => e.name));
    if (!REQUIRED.every((n) => names.has(n))) throw new NotThisFormatError("not PyTorch's tar layout");
    reportIssues(ctx, [...listing.issues, ...checkTarMembers(listing.entries, source.size)]);
    const files = new Map<string, TarEntry>();
    for (const e of listing.entries) if (isFile(e)) files.set(e.name, e); // tarfile takes the last
    for (const entry of listing.entries) {
      const role = ROLES.has(entry.name) ? entry.name : undefined;
      let data: TarEntry | undefined = isFile(entry) ? entry : undefined;
      if (role && !data && (entry.type === "1" || entry.type === "2")) {
        // tarfile's extractfile follows links: the loader reads the target's data under this role.
        data = files.get(entry.linkName.replace(/^\.\//, ""));
        ctx.finding({
          check: "format",
          rule: "pytorch/linked-member",
          severity: "suspicious",
          message: `the ${role} member is a link to ${JSON.stringify(entry.linkName)}, which torch.load reads in its place`,
          location: { offset: entry.headerOffset },
        });
      }
      if (!data) continue;
      // Bounded to the member: the loader reads an extracted file that ends there.
      const member = new SliceSource(source, 0, Math.min(source.size, data.dataOffset + data.size));
      try {
        if (role === "storages") await walk(member, data, ctx, skipStorage);
        else if (role === "tensors") await walk(member, data, ctx, skipTensorHeader);
        else if (role) await onePickle(member, data.dataOffset, ctx);
        else {
          const size = member.size - data.dataOffset;
          await ctx.scanMember(entry.name, new SliceSource(source, data.dataOffset, size));
        }
      } catch (err) {
        reportIssues(ctx, [issueFromError(err, entry.name)]);
      }
    }
  },
};

function isFile(entry: TarEntry): boolean {
  return entry.type === "0" || entry.type === "7";
}

async function onePickle(member: ByteSource, at: number, ctx: ParseContext): Promise<PickleAnalysis> {
  const analysis = await analysePickle(member, at, { limits: ctx.limits });
  reportPickle(ctx, analysis);
  if (!analysis.complete) {
    throw new ContainerError(
      "pytorch/legacy-incomplete",
      `a pickle of this PyTorch tar does not end cleanly`,
      at,
    );
  }
  return analysis;
}

/** Skips the raw data after one record's pickle; returns where the next pickle starts. */
type SkipData = (member: ByteSource, at: number, record: PickleAnalysis) => Promise<number>;

/** `count` pickle, then `count` x (record pickle, raw data), then (for storages) one more pickle. */
async function walk(member: ByteSource, entry: TarEntry, ctx: ParseContext, skip: SkipData): Promise<void> {
  const countPickle = await onePickle(member, entry.dataOffset, ctx);
  const count = readIntPickle(
    await readFully(
      member,
      entry.dataOffset,
      Math.min(FIXED_LIMITS.maxCountPickleBytes, countPickle.end - entry.dataOffset),
    ),
  );
  if (count === undefined) {
    throw new ContainerError(
      "pytorch/legacy-unreadable",
      `the ${entry.name} member does not start with a count; the pickles after it cannot be located`,
      entry.dataOffset,
    );
  }
  bound(count, ctx.limits, entry);
  let pos = countPickle.end;
  for (let i = 0; i < count; i++) {
    const record = await onePickle(member, pos, ctx);
    pos = await skip(member, record.end, record);
  }
  if (skip === skipStorage) pos = (await onePickle(member, pos, ctx)).end; // storage views
  if (pos < member.size) {
    ctx.finding({
      check: "format",
      rule: "pytorch/trailing-data",
      severity: "suspicious",
      message: `${member.size - pos} bytes at the end of the ${entry.name} member are not read by torch.load`,
      location: { offset: pos },
    });
  }
}

function bound(count: number, limits: Limits, entry: TarEntry): void {
  if (count > limits.maxPicklesPerFile) {
    throw new ContainerError(
      "pytorch/too-many-records",
      `the ${entry.name} member declares ${count} records, more than the limit of ${limits.maxPicklesPerFile}`,
      entry.dataOffset,
    );
  }
}

/** A storage: int64 element count, then count x element size bytes (the size from the record's storage class). */
const skipStorage: SkipData = async (member, at, record) => {
  const size = storageElementSize(record);
  if (size === undefined) {
    throw new ContainerError(
      "pytorch/legacy-unreadable",
      "a storage record names no known storage class; the pickles after it cannot be located",
      at,
    );
  }
  return at + 8 + readInt64(await readFully(member, at, 8), at) * size;
};

/** A tensor header: int32 ndim, 4 unused bytes, ndim sizes, ndim strides and the storage offset (int64s). */
const skipTensorHeader: SkipData = async (member, at) => {
  const head = await readFully(member, at, 4);
  const ndim = head.length === 4 ? new DataView(head.buffer, head.byteOffset, 4).getInt32(0, true) : -1;
  if (ndim < 0 || ndim > 64)
    throw new ContainerError("pytorch/legacy-unreadable", "a tensor header is cut or invalid", at);
  return at + 8 + 16 * ndim + 8;
};

function readInt64(bytes: Uint8Array, at: number): number {
  if (bytes.length < 8) throw new ContainerError("pytorch/legacy-unreadable", "a storage size is cut", at);
  const value = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigInt64(0, true);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new ContainerError("pytorch/legacy-unreadable", "a storage size is out of range", at);
  }
  return Number(value);
}

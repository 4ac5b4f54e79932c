import type { HubContext } from "../context.js";
import type { TreeEntry } from "../git/git-repo.js";
import { scanKeyOf } from "../scan/scan-key.js";
import type { ScanState } from "../scan/security-status.js";

/** What the hub knows about a blob: its content hash and, for LFS pointers, the object's size. */
export interface BlobFacts {
  sha256: string;
  size: number;
  lfs: boolean;
}

/** A tree entry with its blob facts and scan row (when the hub wrote the blob). */
export interface FileFacts {
  entry: TreeEntry;
  blob: BlobFacts | undefined;
  scan: ScanState | undefined;
}

const CHUNK = 500;

/** Looks up blob facts and scan rows for many tree entries at once. */
export async function fileFacts(ctx: HubContext, entries: readonly TreeEntry[]): Promise<FileFacts[]> {
  const oids = [...new Set(entries.filter((e) => e.type === "blob").map((e) => e.oid))];
  const blobs = new Map<string, BlobFacts>();
  for (let i = 0; i < oids.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom("blobs")
      .selectAll()
      .where("git_oid", "in", oids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) blobs.set(r.git_oid, { sha256: r.sha256, size: Number(r.size), lfs: r.lfs === 1 });
  }
  // Each path reads the scan of its own key: the same bytes may have another verdict under another name.
  const keyOf = (entry: TreeEntry) => {
    const blob = entry.type === "blob" ? blobs.get(entry.oid) : undefined;
    return blob ? scanKeyOf(blob.sha256, entry.path) : undefined;
  };
  const keys = [...new Set(entries.map(keyOf).filter((k) => k !== undefined))];
  const scans = new Map<string, ScanState>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await ctx.db
      .selectFrom("scans")
      .leftJoin("scan_identities", "scan_identities.id", "scans.identity_id")
      .select([
        "key",
        "state",
        "verdict",
        "infected",
        "report",
        "error",
        "rescan",
        "finished_at",
        "scanner_version",
        "policy_digest",
        "clamav",
      ])
      .where("key", "in", keys.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      const { scanner_version, policy_digest, clamav, finished_at, ...state } = r;
      const scannedWith =
        scanner_version !== null && policy_digest !== null && clamav !== null
          ? { scannerVersion: scanner_version, policyDigest: policy_digest, clamav }
          : undefined;
      scans.set(r.key, { ...state, scannedWith, finishedAt: finished_at });
    }
  }
  return entries.map((entry) => {
    const blob = entry.type === "blob" ? blobs.get(entry.oid) : undefined;
    const key = keyOf(entry);
    return { entry, blob, scan: key !== undefined ? scans.get(key) : undefined };
  });
}

/** The size a client sees: the LFS object's size for pointers, else the blob's. */
export function visibleSize(facts: FileFacts): number {
  return facts.blob?.lfs ? facts.blob.size : facts.entry.size;
}

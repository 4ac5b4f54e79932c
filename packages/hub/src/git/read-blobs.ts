import { HUB_FIXED_LIMITS } from "../limits.js";
import { runGit } from "./run-git.js";

/** Blob bytes read by one `git cat-file --batch` at most (the rest goes to further calls). */
const MAX_BATCH_BYTES = HUB_FIXED_LIMITS.maxBlobBatchBytes;

/**
 * The sizes of blobs, asked of one `git cat-file --batch-check` instead of one git per blob (a push
 * of thousands of files would otherwise spawn thousands of processes). Throws if one is missing.
 */
export async function blobSizes(
  gitDir: string,
  oids: readonly string[],
  env: Record<string, string>,
): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  if (oids.length === 0) return sizes;
  const out = await runGit(gitDir, ["cat-file", "--batch-check"], { env, input: `${oids.join("\n")}\n` });
  for (const line of out.toString("utf8").split("\n")) {
    if (line === "") continue;
    const m = /^([0-9a-f]{40}) blob (\d+)$/.exec(line);
    if (!m)
      throw new Error(`git cat-file --batch-check: unexpected line ${JSON.stringify(line.slice(0, 100))}`);
    sizes.set(m[1] as string, Number(m[2]));
  }
  return sizes;
}

/**
 * The contents of blobs whose sizes are known (`blobSizes`), read by `git cat-file --batch` in as
 * few calls as keep each call's output under 256 MiB.
 */
export async function readBlobs(
  gitDir: string,
  sizes: ReadonlyMap<string, number>,
  env: Record<string, string>,
): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  let group: string[] = [];
  let groupBytes = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const out = await runGit(gitDir, ["cat-file", "--batch"], { env, input: `${group.join("\n")}\n` });
    let pos = 0;
    for (const oid of group) {
      const eol = out.indexOf(0x0a, pos);
      const head = out.subarray(pos, eol).toString("utf8");
      const size = sizes.get(oid);
      if (head !== `${oid} blob ${size}` || size === undefined) {
        throw new Error(`git cat-file --batch: unexpected header ${JSON.stringify(head.slice(0, 100))}`);
      }
      contents.set(oid, out.subarray(eol + 1, eol + 1 + size));
      pos = eol + 1 + size + 1; // the content is followed by a newline
    }
    group = [];
    groupBytes = 0;
  };
  for (const [oid, size] of sizes) {
    if (groupBytes + size > MAX_BATCH_BYTES) await flush();
    group.push(oid);
    groupBytes += size;
  }
  await flush();
  return contents;
}

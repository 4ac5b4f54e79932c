import { readFile } from "node:fs/promises";
import { join } from "node:path";

const LOOSE_REF = /^([0-9a-f]{40})\n?$/;

/**
 * What the loose ref file `<gitDir>/<ref>` holds (the object id git's files backend writes there),
 * read without starting git; undefined when there is no such file or it holds anything else (a
 * packed or symbolic ref). Only a hint for a cache: git's own compare-and-swap stays the check.
 * `ref` must be a validated full ref name (`refs/heads/main`).
 */
export async function looseRef(gitDir: string, ref: string): Promise<string | undefined> {
  try {
    const text = await readFile(join(gitDir, ref), "latin1");
    return LOOSE_REF.exec(text)?.[1];
  } catch {
    return undefined;
  }
}

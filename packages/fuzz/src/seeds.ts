import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One starting input for the corpus. */
export interface Seed {
  name: string;
  bytes: Uint8Array;
}

/** Folders never read for seeds (build output, dependencies, fuzz output). */
const SKIP = new Set(["node_modules", "dist", ".git", ".fuzz", ".bench"]);

/**
 * Every regular file under `dirs` (recursively, sorted) of at most `maxBytes` bytes: model files
 * from the corpora and fixtures the project's tests use. Missing folders are skipped.
 */
export function loadSeeds(dirs: readonly string[], maxBytes: number): Seed[] {
  const seeds: Seed[] = [];
  const visit = (root: string, dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      const st = statSync(path, { throwIfNoEntry: false });
      if (st?.isDirectory()) visit(root, path);
      else if (st?.isFile() && st.size > 0 && st.size <= maxBytes)
        seeds.push({ name: relative(join(root, ".."), path), bytes: new Uint8Array(readFileSync(path)) });
    }
  };
  for (const dir of dirs) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (st?.isFile()) seeds.push({ name: dir, bytes: new Uint8Array(readFileSync(dir)) });
    else visit(dir, dir);
  }
  return seeds;
}

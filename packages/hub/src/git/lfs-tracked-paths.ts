import { mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import { runGit } from "./run-git.js";

/**
 * Which of `paths` the `.gitattributes` files of `commit` send through git-lfs (`filter=lfs`), as
 * git-lfs itself decides: git reads the attributes, with all of its own rules (nested
 * `.gitattributes`, later lines overriding earlier ones, `!filter`, macros), so the hub matches no
 * pattern itself. git 2.39 has no `check-attr --source`, so the commit's tree is read into a
 * throw-away index (`read-tree`) that `check-attr --cached` then consults. `env` may point git at a
 * push's quarantine; the index is written under `tmpDir` and removed.
 */
export async function lfsTrackedPaths(
  gitDir: string,
  commit: string,
  paths: readonly string[],
  tmpDir: string,
  env: Record<string, string> = {},
): Promise<Set<string>> {
  const tracked = new Set<string>();
  if (paths.length === 0) return tracked;
  const dir = await mkdtemp(join(tmpDir, "attr-"));
  try {
    const withIndex = { ...env, GIT_INDEX_FILE: join(dir, "index") };
    await runGit(gitDir, ["read-tree", commit], { env: withIndex });
    const out = await runGit(gitDir, ["check-attr", "--cached", "-z", "--stdin", "filter"], {
      env: withIndex,
      input: `${paths.join("\0")}\0`,
    });
    // -z output: path NUL attribute NUL value NUL, per path.
    const fields = out.toString("utf8").split("\0");
    for (let i = 0; i + 2 < fields.length; i += 3) {
      if (fields[i + 2] === "lfs") tracked.add(fields[i] as string);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return tracked;
}

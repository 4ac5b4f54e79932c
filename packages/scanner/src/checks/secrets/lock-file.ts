/** Dependency lock files: full of `integrity`/`checksum` hashes next to key names. */
const LOCK_FILES = new Set([
  "package-lock.json",
  "npm-shrinkwrap.json",
  "yarn.lock",
  "pnpm-lock.yaml",
  "bun.lock",
  "poetry.lock",
  "pipfile.lock",
  "uv.lock",
  "pdm.lock",
  "conda-lock.yml",
  "cargo.lock",
  "composer.lock",
  "gemfile.lock",
  "go.sum",
]);

/** True when `path`'s file name is a dependency lock file (case-insensitive). */
export function isLockFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1).toLowerCase();
  return LOCK_FILES.has(name);
}

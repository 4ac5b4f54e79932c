import { isLockFile } from "./checks/secrets/lock-file.js";

/**
 * What of a file's path `scanSource` depends on, as a short string: `""` when nothing, `"lock-file"`
 * when the file name is a dependency lock file (the secrets check skips key-name detectors there).
 * Two scans of the same bytes under paths with the same key give the same report but for `path`, so
 * a cache of scan results must be keyed on the content AND this key, or a verdict can be dodged by
 * pushing the bytes under a lenient name first. Any new use of the path in a check belongs here.
 */
export function scanPathKey(path: string): string {
  return isLockFile(path) ? "lock-file" : "";
}

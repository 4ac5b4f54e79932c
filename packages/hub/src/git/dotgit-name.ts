/**
 * Code points HFS+ ignores when it compares names, so `.g\u200cit` is `.git` on a Mac disk (git's
 * `next_hfs_char` in utf8.c skips the same list).
 */
const HFS_IGNORED = new Set([
  0x200c, 0x200d, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x206a, 0x206b, 0x206c, 0x206d,
  0x206e, 0x206f, 0xfeff,
]);

/**
 * True when a path segment would be git's own `.git` folder on some disk, by the rules git applies
 * when it checks out or fscks a tree (`verify_path` with `core.protectNTFS` and `core.protectHFS`,
 * and fsck's `hasDotgit`): `.git` in any case; on NTFS `.git` or its 8.3 short name `git~1` followed
 * only by dots and spaces (which Windows drops); on HFS+ `.git` with ignorable code points anywhere.
 * A repository holding such a name is refused by `git fsck` and attacks whoever clones it.
 */
export function isDotGitName(segment: string): boolean {
  return isNtfsDotGit(segment) || isHfsDotGit(segment);
}

/** git's `is_ntfs_dotgit`: `.git` or `git~1` (case-insensitive), then only `.` and ` `. */
function isNtfsDotGit(segment: string): boolean {
  let rest: string;
  // Only ASCII letters fold: `toLowerCase` could map other characters onto them (as git does not).
  if (/^\.[gG][iI][tT]/.test(segment)) rest = segment.slice(4);
  else if (/^[gG][iI][tT]~1/.test(segment)) rest = segment.slice(5);
  else return false;
  return /^[. ]*$/.test(rest);
}

/** git's `is_hfs_dotgit`: `.git` (ASCII case-insensitive) once HFS+'s ignored code points are dropped. */
function isHfsDotGit(segment: string): boolean {
  let kept = "";
  for (const ch of segment) {
    const cp = ch.codePointAt(0) ?? 0;
    if (HFS_IGNORED.has(cp)) continue;
    kept += ch;
    if (kept.length > 4) return false;
  }
  return /^\.[gG][iI][tT]$/.test(kept);
}

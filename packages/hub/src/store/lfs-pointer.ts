/** The git-LFS pointer file stored in git for an LFS object (https://git-lfs.com/spec/v1). */
export function lfsPointer(oid: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`);
}

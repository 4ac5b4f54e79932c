import { createHash } from "node:crypto";

/** The git object id a blob with this content gets (sha1 of `blob <size>\0<content>`). */
export function blobOid(content: Uint8Array): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** The git-LFS pointer file stored in git for an LFS object (https://git-lfs.com/spec/v1). */
export function lfsPointer(oid: string, size: number): Buffer {
  return Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${size}\n`);
}

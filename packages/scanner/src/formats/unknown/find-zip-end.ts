/** Largest zip end record with its comment: 22 bytes plus a comment of at most 65535. */
export const ZIP_END_SEARCH_BYTES = 22 + 0xffff;

/**
 * File offset of a zip end-of-central-directory record in `tail` (the last bytes of a file,
 * starting at file offset `base`), or undefined. Zip readers (Python's zipfile, torch.load's miniz)
 * find an archive by this record at the end of the file, whatever precedes it, which is how a zip
 * hides behind an image or any other prefix. A match must leave room for the comment it declares.
 */
export function findZipEnd(tail: Uint8Array, base: number): number | undefined {
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] !== 0x50 || tail[i + 1] !== 0x4b || tail[i + 2] !== 0x05 || tail[i + 3] !== 0x06) continue;
    const commentLength = (tail[i + 20] as number) | ((tail[i + 21] as number) << 8);
    if (i + 22 + commentLength <= tail.length) return base + i;
  }
  return undefined;
}

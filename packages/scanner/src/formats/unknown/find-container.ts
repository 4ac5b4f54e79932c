const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/**
 * Containers that can carry pickles or other code (compressed streams joblib and PyTorch use,
 * archives, NumPy arrays whose object dtype is a pickle), by the magic at their start.
 */
const CONTAINER_MAGICS: { kind: string; at: number; bytes: number[] }[] = [
  { kind: "zip archive", at: 0, bytes: [0x50, 0x4b, 0x03, 0x04] },
  { kind: "gzip stream", at: 0, bytes: [0x1f, 0x8b] },
  { kind: "bzip2 stream", at: 0, bytes: ascii("BZh") },
  { kind: "xz stream", at: 0, bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { kind: "lz4 frame", at: 0, bytes: [0x04, 0x22, 0x4d, 0x18] },
  { kind: "zlib stream", at: 0, bytes: [0x78, 0x01] },
  { kind: "zlib stream", at: 0, bytes: [0x78, 0x5e] },
  { kind: "zlib stream", at: 0, bytes: [0x78, 0x9c] },
  { kind: "zlib stream", at: 0, bytes: [0x78, 0xda] },
  { kind: "NumPy array", at: 0, bytes: [0x93, ...ascii("NUMPY")] },
  { kind: "tar archive", at: 257, bytes: ascii("ustar") },
  { kind: "7-Zip archive", at: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { kind: "RAR archive", at: 0, bytes: [...ascii("Rar!"), 0x1a, 0x07] },
];

/** The kind of container `head` (a file's first bytes) starts with, or undefined. */
export function findContainer(head: Uint8Array): string | undefined {
  return CONTAINER_MAGICS.find((m) => m.bytes.every((b, i) => head[m.at + i] === b))?.kind;
}

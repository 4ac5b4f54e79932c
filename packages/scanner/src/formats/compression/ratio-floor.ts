/**
 * The compression-ratio limit applies once a member expands past this many bytes: small files of
 * zeros legitimately compress a thousandfold, and below this size no ratio can exhaust memory.
 */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

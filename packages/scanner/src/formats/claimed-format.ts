import type { FormatId } from "../report/types.js";

/**
 * File name endings that say which loader a file is meant for. A name never decides how content is
 * read (a pickle named `.jpg` is still a pickle); it only decides how content that fits no format
 * is reported: a `.safetensors` file the safetensors loader would refuse is malformed (`error`),
 * and a `.pkl` file whose stream breaks stays a broken pickle (`error`) rather than text.
 */
const CLAIMS: readonly (readonly [RegExp, FormatId])[] = [
  [/\.safetensors$/i, "safetensors"],
  [/\.(?:pkl|pickle|joblib|dill|pt|ckpt)$/i, "pickle"],
];

/** Compression suffixes a loader strips (`model.pkl.gz` is a pickle, gzip-compressed). */
const COMPRESSION_SUFFIX = /\.(?:gz|gzip|bz2|xz|lzma|lz4|z)$/i;

/** The format `name` claims by its ending, if any. */
export function formatClaimedBy(name: string | undefined): FormatId | undefined {
  if (name === undefined) return undefined;
  for (const [ending, format] of CLAIMS) if (ending.test(name)) return format;
  return undefined;
}

/**
 * The name a decompressed member inherits: its container's name without the compression suffix
 * (`model.pkl.gz` -> `model.pkl`), so that the member's claim is the one the file name makes.
 */
export function nameInsideCompressed(name: string | undefined): string | undefined {
  return name?.replace(COMPRESSION_SUFFIX, "");
}

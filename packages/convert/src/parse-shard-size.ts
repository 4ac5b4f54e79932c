const UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KIB: 2 ** 10,
  MIB: 2 ** 20,
  GIB: 2 ** 30,
  TIB: 2 ** 40,
};

/** Default shard size, as `transformers`' `save_pretrained`. */
export const DEFAULT_SHARD_SIZE = "5GB";

/**
 * Parses a shard size the way `transformers`' `convert_file_size_to_int` does: `5GB` is 5*10^9 bytes,
 * `5GiB` 5*2^30, a bare number is bytes. Throws for anything else or a size below 1 byte.
 */
export function parseShardSize(size: string | number): number {
  if (typeof size === "number") {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new Error(`shard size ${size} is not a positive number of bytes`);
    return size;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(size);
  const unit = UNITS[(m?.[2] ?? "").toUpperCase() || "B"];
  if (!m || unit === undefined)
    throw new Error(`shard size ${JSON.stringify(size)} is not a size such as 5GB, 500MB or 2GiB`);
  const bytes = Math.floor(Number(m[1]) * unit);
  if (!Number.isSafeInteger(bytes) || bytes < 1)
    throw new Error(`shard size ${JSON.stringify(size)} is out of range`);
  return bytes;
}

/** The flags every command that opens a hub's storage takes. */
export interface StorageFlags {
  data: string;
  database?: string;
}

/** `--data DIR`: the hub's data folder. */
export const DATA_OPTION = ["--data <dir>", "the hub's data folder", "modelgate-data"] as const;

/**
 * `--database URL`. The URL is not a commander default (help would print it, password included):
 * `storageOf` falls back to `$MODELGATE_DATABASE_URL` instead.
 */
export const DATABASE_OPTION = [
  "--database <url>",
  "PostgreSQL database (postgres://user:password@host:port/name) instead of SQLite in the data folder (default: $MODELGATE_DATABASE_URL)",
] as const;

/** The hub storage the flags name (see `@modelgate/hub`'s `HubStorage`). */
export function storageOf(flags: StorageFlags): { dataDir: string; databaseUrl: string | undefined } {
  const url = flags.database ?? process.env.MODELGATE_DATABASE_URL;
  return { dataDir: flags.data, databaseUrl: url === "" ? undefined : url };
}

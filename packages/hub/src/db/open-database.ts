import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect } from "kysely";
import pg from "pg";
import { ImmediateSqliteDialect } from "./immediate-sqlite-dialect.js";
import { migrationProvider } from "./migrations.js";
import type { Database } from "./schema.js";

/**
 * Where a hub keeps its state: the data folder (repositories, LFS objects, temporary files) and its
 * database, SQLite inside the data folder unless `databaseUrl` names a PostgreSQL database.
 */
export interface HubStorage {
  dataDir: string;
  /** `postgres://user@host:port/db` (or `postgresql://`): PostgreSQL instead of `hub.sqlite` in `dataDir`. */
  databaseUrl?: string | undefined;
}

/** The database engines the hub runs on. */
export type DatabaseDialect = "sqlite" | "postgres";

/** The engine `storage` names. Throws on a database URL that is not a PostgreSQL one. */
export function databaseDialect(storage: HubStorage): DatabaseDialect {
  if (storage.databaseUrl === undefined) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(storage.databaseUrl)) return "postgres";
  throw new Error(
    "the database must be a postgres:// or postgresql:// URL (or none, for SQLite in the data folder)",
  );
}

/** PostgreSQL connections per hub process: scans and requests share them; a request waits for a free one. */
const POSTGRES_POOL_SIZE = 10;

/** PostgreSQL's type id of `bigint` (int8), which `count(*)` also returns. */
const INT8_OID = 20;

/**
 * Opens (creating if needed) the hub's database and brings its schema up to date. Routes only see the
 * returned Kysely instance: the same queries run on SQLite and PostgreSQL. Several processes may open
 * one PostgreSQL database at once (Kysely's migrator takes an advisory lock while it migrates).
 */
export async function openDatabase(storage: HubStorage): Promise<Kysely<Database>> {
  const dialect = databaseDialect(storage);
  const db = dialect === "postgres" ? openPostgres(storage.databaseUrl ?? "") : openSqlite(storage.dataDir);
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}

function openSqlite(dataDir: string): Kysely<Database> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(join(dataDir, "hub.sqlite"));
  // WAL lets readers run while a commit writes; NORMAL sync is durable at each checkpoint under WAL.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
}

function openPostgres(connectionString: string): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: POSTGRES_POOL_SIZE,
    // Sizes and counts are bigint; node-postgres gives them as strings unless told. Every one the hub
    // stores is far below 2^53, so a number is exact; a larger one is refused rather than rounded.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? parseSafeInteger
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server ends (a restart, an administrator) is dropped from the pool and the
  // next query opens another; without a listener, node-postgres would throw it and end the process.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`database integer ${text} is beyond 2^53`);
  return value;
}

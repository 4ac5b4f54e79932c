import { mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator } from "kysely";
import { ImmediateSqliteDialect } from "./immediate-sqlite-dialect.js";
import { migrationProvider } from "./migrations.js";
import type { Database } from "./schema.js";

/**
 * Opens (creating if needed) the hub's SQLite database in `dataDir` and brings its schema up to date.
 * Routes only see the returned Kysely instance, so a PostgreSQL dialect can replace this function.
 */
export async function openDatabase(dataDir: string): Promise<Kysely<Database>> {
  mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(join(dataDir, "hub.sqlite"));
  // WAL lets readers run while a commit writes; NORMAL sync is durable at each checkpoint under WAL.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return db;
}

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";
import type { HubStorage } from "../src/db/open-database.js";
import { TEMPLATE_DATABASE } from "./template-database.js";

/** A hub's storage for one test: a fresh data folder and, in the `hub-postgres` project, a fresh database. */
export interface TestStorage extends HubStorage {
  /** Removes the data folder and drops the database. */
  remove(): Promise<void>;
}

/** Which database this test run uses: `postgres` in the `hub-postgres` project, else SQLite. */
export function testDatabase(): "sqlite" | "postgres" {
  return inject("postgresUrl") ? "postgres" : "sqlite";
}

async function onServer(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Makes the storage of one test hub (SQLite in the folder, or its own PostgreSQL database). */
export async function createTestStorage(): Promise<TestStorage> {
  const dataDir = await mkdtemp(join(tmpdir(), "modelgate-hub-"));
  const adminUrl = inject("postgresUrl");
  if (!adminUrl) {
    return { dataDir, remove: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const name = `hub_${randomBytes(8).toString("hex")}`;
  await onServer(adminUrl, `CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async remove() {
      await rm(dataDir, { recursive: true, force: true });
      await onServer(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

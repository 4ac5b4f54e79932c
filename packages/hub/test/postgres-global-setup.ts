import pg from "pg";
import type { TestProject } from "vitest/node";
import { startTestPostgres } from "../../../scripts/test-postgres.mjs";
import { openDatabase } from "../src/db/open-database.js";
import { TEMPLATE_DATABASE } from "./template-database.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The admin URL of the throw-away PostgreSQL server the hub tests run on (the `hub-postgres` project). */
    postgresUrl: string;
  }
}

/**
 * Global setup of the `hub-postgres` test project: one PostgreSQL server for the run, and a database
 * the hub's migrations brought up to date, which each test hub's own database is copied from.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestPostgres();
  try {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await client.end();
    const url = new URL(server.url);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    // The data folder is unused with PostgreSQL; the migrations run here, on a database of their own.
    const db = await openDatabase({ dataDir: "unused", databaseUrl: url.toString() });
    await db.destroy();
  } catch (err) {
    await server.stop();
    throw err;
  }
  project.provide("postgresUrl", server.url);
  return () => server.stop();
}

import type { Kysely, Migration, MigrationProvider } from "kysely";

/** Schema migrations, in order. Written with Kysely's schema builder so PostgreSQL can run them too. */
const MIGRATIONS: Record<string, Migration> = {
  "0001_initial": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("accounts")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("name", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("fullname", "text", (c) => c.notNull())
        .addColumn("policy", "text")
        .addColumn("quarantine", "integer")
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("memberships")
        .addColumn("org_id", "integer", (c) => c.notNull())
        .addColumn("user_id", "integer", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("memberships_pk", ["org_id", "user_id"])
        .execute();
      await db.schema
        .createTable("tokens")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("user_id", "integer", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull().unique())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("repos")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("namespace", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("owner_id", "integer", (c) => c.notNull())
        .addColumn("private", "integer", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("repos_unique", ["type", "namespace", "name"])
        .execute();
      await db.schema
        .createTable("blobs")
        .addColumn("git_oid", "text", (c) => c.primaryKey())
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("lfs", "integer", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("scans")
        .addColumn("sha256", "text", (c) => c.primaryKey())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("verdict", "text")
        .addColumn("infected", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("report", "text")
        .addColumn("error", "text")
        .addColumn("source", "text", (c) => c.notNull())
        .addColumn("size", "bigint", (c) => c.notNull())
        .addColumn("queued_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .execute();
      await db.schema.createIndex("scans_state").on("scans").column("state").execute();
      await db.schema
        .createTable("scan_waiters")
        .addColumn("sha256", "text", (c) => c.notNull())
        .addColumn("repo_id", "integer", (c) => c.notNull())
        .addColumn("commit_oid", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("scan_waiters_sha").on("scan_waiters").column("sha256").execute();
      await db.schema
        .createTable("events")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("owner_id", "integer", (c) => c.notNull())
        .addColumn("repo_id", "integer", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("path", "text", (c) => c.notNull())
        .addColumn("commit_oid", "text", (c) => c.notNull())
        .addColumn("detail", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_owner").on("events").column("owner_id").execute();
      await db.schema
        .createTable("settings")
        .addColumn("key", "text", (c) => c.primaryKey())
        .addColumn("value", "text", (c) => c.notNull())
        .execute();
    },
  },
  "0002_lfs_links": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("lfs_links")
        .addColumn("repo_id", "integer", (c) => c.notNull())
        .addColumn("oid", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("lfs_links_pk", ["repo_id", "oid"])
        .execute();
    },
  },
  "0003_scan_keys": {
    // Scans are shared by content AND the path facts the scanner reads (see `scanKeyOf`); the path a
    // scan ran under is kept (never served) so a scan interrupted by a restart runs under it again.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("scans").renameColumn("sha256", "key").execute();
      await db.schema.alterTable("scans").addColumn("name", "text").execute();
      await db.schema.alterTable("scan_waiters").renameColumn("sha256", "key").execute();
    },
  },
  "0004_discussions": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("discussions")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("repo_id", "integer", (c) => c.notNull())
        .addColumn("num", "integer", (c) => c.notNull())
        .addColumn("title", "text", (c) => c.notNull())
        .addColumn("author_id", "integer", (c) => c.notNull())
        .addColumn("is_pr", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("target_branch", "text")
        .addColumn("merge_commit", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addUniqueConstraint("discussions_num", ["repo_id", "num"])
        .execute();
      await db.schema
        .createTable("discussion_events")
        .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
        .addColumn("discussion_id", "integer", (c) => c.notNull())
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("author_id", "integer", (c) => c.notNull())
        .addColumn("data", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("discussion_events_discussion")
        .on("discussion_events")
        .column("discussion_id")
        .execute();
    },
  },
  "0005_repo_settings": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("repos").addColumn("gated", "text").execute();
      await db.schema
        .createTable("repo_redirects")
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("namespace", "text", (c) => c.notNull())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("repo_id", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("repo_redirects_pk", ["type", "namespace", "name"])
        .execute();
    },
  },
};

/** Supplies the built-in migrations to Kysely's `Migrator`. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};

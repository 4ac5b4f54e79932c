import {
  type ColumnDefinitionBuilder,
  type CreateTableBuilder,
  type Kysely,
  type Migration,
  type MigrationProvider,
  sql,
} from "kysely";
import type { DatabaseDialect } from "./open-database.js";

/**
 * An auto-numbered integer primary key: SQLite's `integer primary key autoincrement` (ids never reused),
 * PostgreSQL's `serial` (a sequence, which never reuses ids either).
 */
function addIdColumn<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  dialect: DatabaseDialect,
): CreateTableBuilder<T, C | "id"> {
  return dialect === "postgres"
    ? table.addColumn("id", "serial", (c: ColumnDefinitionBuilder) => c.primaryKey())
    : table.addColumn("id", "integer", (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
}

/**
 * Schema migrations, in order, for one dialect. Written with Kysely's schema builder so both engines
 * run the same steps; only auto-numbered ids and the audit log's triggers are spelt per dialect.
 */
function migrations(dialect: DatabaseDialect): Record<string, Migration> {
  return {
    "0001_initial": {
      async up(db: Kysely<unknown>) {
        await addIdColumn(db.schema.createTable("accounts"), dialect)
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
        await addIdColumn(db.schema.createTable("tokens"), dialect)
          .addColumn("user_id", "integer", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull().unique())
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await addIdColumn(db.schema.createTable("repos"), dialect)
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
        await addIdColumn(db.schema.createTable("events"), dialect)
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
        await addIdColumn(db.schema.createTable("discussions"), dialect)
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
        await addIdColumn(db.schema.createTable("discussion_events"), dialect)
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
    "0006_accounts": {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable("accounts").addColumn("password_hash", "text").execute();
        await db.schema
          .alterTable("accounts")
          .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable("accounts").addColumn("totp_secret", "text").execute();
        await db.schema.alterTable("accounts").addColumn("totp_pending", "text").execute();
        await db.schema.alterTable("accounts").addColumn("totp_last_step", "integer").execute();
        await db.schema
          .alterTable("accounts")
          .addColumn("require_2fa", "integer", (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable("tokens").addColumn("scopes", "text").execute();
        await db.schema.alterTable("tokens").addColumn("expires_at", "text").execute();
        await db.schema.alterTable("tokens").addColumn("last_used_at", "text").execute();
        await db.schema.alterTable("tokens").addColumn("revoked_at", "text").execute();
        await db.schema.alterTable("tokens").addColumn("revoked_reason", "text").execute();
        await db.schema.alterTable("tokens").addColumn("leak_fingerprint", "text").execute();
        await db.schema.createIndex("tokens_leak").on("tokens").column("leak_fingerprint").execute();
        await db.schema
          .createTable("token_addresses")
          .addColumn("token_id", "integer", (c) => c.notNull())
          .addColumn("address", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("token_addresses_pk", ["token_id", "address"])
          .execute();
        await db.schema
          .createTable("sessions")
          .addColumn("hash", "text", (c) => c.primaryKey())
          .addColumn("user_id", "integer", (c) => c.notNull())
          .addColumn("csrf", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("expires_at", "text", (c) => c.notNull())
          .addColumn("address", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
        await db.schema
          .createTable("recovery_codes")
          .addColumn("user_id", "integer", (c) => c.notNull())
          .addColumn("hash", "text", (c) => c.notNull())
          .addColumn("used_at", "text")
          .addPrimaryKeyConstraint("recovery_codes_pk", ["user_id", "hash"])
          .execute();
        await db.schema
          .createTable("auth_failures")
          .addColumn("subject", "text", (c) => c.notNull())
          .addColumn("at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("auth_failures_subject")
          .on("auth_failures")
          .columns(["subject", "at"])
          .execute();
        await db.schema
          .createTable("invitations")
          .addColumn("hash", "text", (c) => c.primaryKey())
          .addColumn("created_by", "integer", (c) => c.notNull())
          .addColumn("org", "text")
          .addColumn("expires_at", "text", (c) => c.notNull())
          .addColumn("used_at", "text")
          .execute();
        await addIdColumn(db.schema.createTable("notifications"), dialect)
          .addColumn("user_id", "integer", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("message", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("dismissed_at", "text")
          .execute();
        await addIdColumn(db.schema.createTable("audit_log"), dialect)
          .addColumn("account_id", "integer", (c) => c.notNull())
          .addColumn("actor", "text")
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("address", "text")
          .addColumn("detail", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("audit_log_account")
          .on("audit_log")
          .columns(["account_id", "id"])
          .execute();
        await appendOnlyTriggers(db, dialect);
      },
    },
    "0007_signing_keys": {
      // Signed commits: users' GPG and SSH signing keys, the e-mail addresses vouched for on their
      // accounts, branches that require verified signatures, and verification results per commit.
      async up(db: Kysely<unknown>) {
        await addIdColumn(db.schema.createTable("signing_keys"), dialect)
          .addColumn("user_id", "integer", (c) => c.notNull())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("fingerprint", "text", (c) => c.notNull().unique())
          .addColumn("public_key", "text", (c) => c.notNull())
          .addColumn("user_ids", "text", (c) => c.notNull())
          .addColumn("expires_at", "text")
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("signing_keys_user").on("signing_keys").column("user_id").execute();
        await db.schema
          .createTable("signing_key_ids")
          .addColumn("key_id", "text", (c) => c.notNull())
          .addColumn("signing_key_id", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("signing_key_ids_pk", ["key_id", "signing_key_id"])
          .execute();
        await db.schema
          .createTable("account_emails")
          .addColumn("email", "text", (c) => c.primaryKey())
          .addColumn("account_id", "integer", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex("account_emails_account")
          .on("account_emails")
          .column("account_id")
          .execute();
        await db.schema
          .createTable("signed_branch_rules")
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("scope_id", "integer", (c) => c.notNull())
          .addColumn("pattern", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("signed_branch_rules_pk", ["scope", "scope_id", "pattern"])
          .execute();
        await db.schema
          .createTable("commit_signatures")
          .addColumn("commit_oid", "text", (c) => c.primaryKey())
          .addColumn("generation", "integer", (c) => c.notNull())
          .addColumn("valid_until", "text")
          .addColumn("result", "text", (c) => c.notNull())
          .execute();
      },
    },
    // The signed-commit branch rules become one table of branch rules, each row naming its rule
    // (`signed-commits`, `no-force-push`): one settings model, API, page and command line for both.
    "0008_branch_rules": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("branch_rules")
          .addColumn("rule", "text", (c) => c.notNull())
          .addColumn("scope", "text", (c) => c.notNull())
          .addColumn("scope_id", "integer", (c) => c.notNull())
          .addColumn("pattern", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("branch_rules_pk", ["rule", "scope", "scope_id", "pattern"])
          .execute();
        await sql`insert into branch_rules (rule, scope, scope_id, pattern)
          select 'signed-commits', scope, scope_id, pattern from signed_branch_rules`.execute(db);
        await db.schema.dropTable("signed_branch_rules").execute();
      },
    },
    "0009_rescans": {
      // Rescans: the identity (scanner version, import policy digest, ClamAV database) of every result,
      // the background rescan's claim on a result, and the repositories each content was pushed to.
      async up(db: Kysely<unknown>) {
        await addIdColumn(db.schema.createTable("scan_identities"), dialect)
          .addColumn("scanner_version", "text", (c) => c.notNull())
          .addColumn("policy_digest", "text", (c) => c.notNull())
          .addColumn("clamav", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addUniqueConstraint("scan_identities_unique", ["scanner_version", "policy_digest", "clamav"])
          .execute();
        await db.schema.alterTable("scans").addColumn("identity_id", "integer").execute();
        await db.schema.alterTable("scans").addColumn("rescan", "text").execute();
        await db.schema.alterTable("scans").addColumn("rescan_at", "text").execute();
        // Stale results of one identity, newest first, without reading the others.
        await db.schema
          .createIndex("scans_identity")
          .on("scans")
          .columns(["identity_id", "queued_at"])
          .execute();
        await db.schema
          .createTable("scan_sites")
          .addColumn("key", "text", (c) => c.notNull())
          .addColumn("repo_id", "integer", (c) => c.notNull())
          .addColumn("path", "text", (c) => c.notNull())
          .addColumn("commit_oid", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("scan_sites_pk", ["key", "repo_id"])
          .execute();
      },
    },
  };
}

/** Append-only: the database itself refuses to change or remove an audit log entry. */
async function appendOnlyTriggers(db: Kysely<unknown>, dialect: DatabaseDialect): Promise<void> {
  if (dialect === "sqlite") {
    await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END`.execute(
      db,
    );
    return;
  }
  // PostgreSQL triggers call a function; TRUNCATE skips row triggers, so it has its own statement trigger.
  await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(
    db,
  );
  await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(
    db,
  );
  await sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`.execute(
    db,
  );
}

/** Supplies the built-in migrations for `dialect` to Kysely's `Migrator`. */
export function migrationProvider(dialect: DatabaseDialect): MigrationProvider {
  return {
    async getMigrations() {
      return migrations(dialect);
    },
  };
}

import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from "kysely";

/**
 * SQLite with every transaction begun `IMMEDIATE` (it takes the write lock at once) instead of
 * Kysely's deferred `BEGIN`. Several hub processes may share one SQLite file: a deferred transaction
 * that reads and then writes (a discussion's next number, a repository's creation) would fail with
 * SQLITE_BUSY at once if another process wrote in between, since SQLite cannot upgrade a stale read
 * snapshot; an immediate one waits for the lock (`busy_timeout`) and then reads current data.
 * See https://www.sqlite.org/lang_transaction.html.
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

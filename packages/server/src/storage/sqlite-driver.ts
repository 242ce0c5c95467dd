/**
 * Kysely's SQLite driver, made to wait for another process's write lock without freezing the
 * server (docs/security.md, Storage readiness). better-sqlite3 is synchronous: with a long
 * busy_timeout, one statement waiting for a lock held by another process (a CLI, a backup
 * tool, a sqlite3 shell) blocks the event loop — every socket, every request — for the whole
 * wait. Here SQLite's own wait is short and the rest is an async retry with backoff: the
 * waiting request waits, everything else goes on (reads never need the lock in WAL mode).
 * After `lockWaitMs` the request fails with a plain 503.
 *
 * One connection, as Kysely's own driver: a transaction has it to itself (others' statements
 * wait until it ends), statements outside transactions run as they come. Write transactions
 * start with BEGIN IMMEDIATE, so they take the lock up front (and wait for it here) rather
 * than fail half-way; read-only ones (`setAccessMode('read only')`) take no lock at all.
 */
import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryCompiler,
  type QueryResult,
  type SqliteDatabase,
  type TransactionSettings
} from 'kysely';
import { StorageBusyError } from '../errors.js';

export interface LockWaitOptions {
  /** How long a statement may wait for another process's lock before failing (503). */
  lockWaitMs: number;
  /** Called each time a statement found the database locked and will retry. */
  onLockWait?: () => void;
}

const RETRYABLE = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT']);

export function lockWaitingSqliteDialect(database: SqliteDatabase, options: LockWaitOptions): Dialect {
  return {
    createAdapter: () => new TransactionalDdlSqliteAdapter(),
    createDriver: () => new LockWaitingSqliteDriver(database, options),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler()
  };
}

/**
 * SQLite runs DDL inside transactions; saying so makes Kysely's Migrator apply the pending
 * migrations in one write transaction (BEGIN IMMEDIATE here): all or none, and a second
 * process starting on the same file waits for the first instead of migrating beside it.
 */
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class Connection implements DatabaseConnection {
  constructor(private readonly driver: LockWaitingSqliteDriver) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.driver.execute<R>(this, query);
  }
  streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    return this.driver.stream<R>(this, query);
  }
}

class LockWaitingSqliteDriver implements Driver {
  /** Settles when the transaction holding the connection ends. */
  private transaction: Promise<void> | null = null;
  private endTransaction: (() => void) | null = null;
  private owner: Connection | null = null;
  /** True once BEGIN has succeeded (before that, others' statements may still run). */
  private begun = false;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: LockWaitOptions
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this);
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    while (this.transaction) await this.transaction;
    this.transaction = new Promise((resolve) => (this.endTransaction = resolve));
    this.owner = connection as Connection;
    try {
      await this.execute(this.owner, CompiledQuery.raw(settings.accessMode === 'read only' ? 'begin' : 'begin immediate'));
      this.begun = true;
    } catch (error) {
      this.finish();
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw('commit'));
    this.finish(); // a failed commit is followed by Kysely's rollback, which finishes
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.execute(connection as Connection, CompiledQuery.raw('rollback'));
    } finally {
      this.finish();
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`savepoint "${name}"`));
    void compile;
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(connection as Connection, CompiledQuery.raw(`release "${name}"`));
  }

  async destroy(): Promise<void> {
    this.db.close();
  }

  async execute<R>(connection: Connection, query: CompiledQuery): Promise<QueryResult<R>> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      await this.turn(connection);
      try {
        return this.run<R>(query); // synchronous: nothing else runs between turn() and here
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (!code.startsWith('SQLITE_BUSY')) throw error;
        if (!RETRYABLE.has(code) || Date.now() - started >= this.options.lockWaitMs) throw new StorageBusyError();
        this.options.onLockWait?.();
        await new Promise((r) => setTimeout(r, Math.min(100, 5 * 2 ** attempt)));
      }
    }
  }

  async *stream<R>(connection: Connection, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    await this.turn(connection);
    if (!SelectQueryNode.is(query.query)) throw new Error('SQLite streams only select queries');
    for (const row of this.db.prepare(query.sql).iterate(query.parameters as unknown[])) yield { rows: [row as R] };
  }

  /** Waits while another caller's transaction holds the connection. */
  private async turn(connection: Connection): Promise<void> {
    while (this.begun && this.owner !== connection && this.transaction) await this.transaction;
  }

  private run<R>(query: CompiledQuery): QueryResult<R> {
    const statement = this.db.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: []
    };
  }

  private finish() {
    const end = this.endTransaction;
    this.transaction = null;
    this.endTransaction = null;
    this.owner = null;
    this.begun = false;
    end?.();
  }
}

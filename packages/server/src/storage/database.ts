/**
 * Opens the database the settings name — an embedded SQLite file by default, PostgreSQL when
 * DATABASE_URL is set — and brings its schema up to date. Both dialects run the same Kysely
 * queries, so there is one storage implementation and one set of migrations.
 */
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.js';
import { probePostgres, probeSqlite } from './probe.js';
import type { Database } from './schema.js';
import { lockWaitingSqliteDialect } from './sqlite-driver.js';
import type { Dialect } from './dialect.js';

export type { Dialect };

export interface OpenDatabase {
  db: Kysely<Database>;
  dialect: Dialect;
  /** A real write (readiness): resolves, or rejects with what is wrong. */
  probe(waitMs: number): Promise<void>;
  /** How often a statement found SQLite locked by another process and waited. */
  lockWaits(): number;
  close(): Promise<void>;
}

/** How long one statement may wait for another process's SQLite lock before a 503. */
const SQLITE_LOCK_WAIT_MS = 5000;

export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  /** SQLite file name inside dataDir. */
  fileName?: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<OpenDatabase> {
  const opened = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(options);
  await migrateToLatest(opened.db, opened.dialect);
  return opened;
}

function openSqlite(options: DatabaseOptions): OpenDatabase {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, options.fileName ?? 'pitboard.sqlite');
  const handle = new BetterSqlite3(file);
  // WAL: readers never block the writer. synchronous=NORMAL: a commit is in the OS before the
  // call returns, so a killed process loses nothing (FULL would add power-loss safety at an
  // fsync per commit; docs/deploy.md says how to choose it).
  handle.pragma('journal_mode = WAL');
  handle.pragma(`synchronous = ${process.env.SQLITE_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL'}`);
  handle.pragma('foreign_keys = ON');
  // SQLite's own wait blocks the event loop, so it stays short; longer waits are async
  // retries in the driver (sqlite-driver.ts).
  handle.pragma('busy_timeout = 10');
  let lockWaits = 0;
  const dialect = lockWaitingSqliteDialect(cachingStatements(handle), { lockWaitMs: SQLITE_LOCK_WAIT_MS, onLockWait: () => lockWaits++ });
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    dialect: 'sqlite',
    probe: (waitMs) => probeSqlite(file, waitMs),
    lockWaits: () => lockWaits,
    close: async () => {
      await db.destroy();
    }
  };
}

/**
 * Kysely prepares every query it runs; better-sqlite3 statements can be reused, and preparing
 * was a tenth of the server's time per edit. Bounded: `IN (…)` lists make new texts.
 */
function cachingStatements(handle: BetterSqlite3.Database): SqliteDatabase {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => handle.close(),
    prepare: (text: string) => {
      let statement = statements.get(text);
      if (!statement) {
        if (statements.size >= 500) statements.clear();
        statement = handle.prepare(text);
        statements.set(text, statement);
      }
      return statement as unknown as SqliteStatement;
    }
  };
}

function openPostgres(url: string): OpenDatabase {
  // int8 (bigserial ids, count(*)) as JS numbers: our values stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    probe: (waitMs) => probePostgres(db, waitMs),
    lockWaits: () => 0,
    close: async () => {
      await db.destroy();
    }
  };
}

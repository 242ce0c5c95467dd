/**
 * A database's schema as plain data (tables, columns with their types, indexes), read from
 * the database itself, to compare with the committed snapshot in test/schema/.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import path from 'node:path';
import pg from 'pg';
import type { Dialect } from '../../src/storage/dialect.js';
import type { TestDatabase } from './server.js';

// Tables the `Database` type does not describe (bookkeeping, an old layout).
export type AnyDb = Kysely<any>;

export interface SchemaSnapshot {
  tables: Record<string, { columns: Record<string, string>; indexes: Record<string, string> }>;
}

/** A plain Kysely on a test database, without the server's migrations. */
export function rawDatabase(where: TestDatabase): { db: AnyDb; dialect: Dialect } {
  if (where.databaseUrl) {
    return { db: new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: where.databaseUrl, max: 2 }) }) }), dialect: 'postgres' };
  }
  const database = new BetterSqlite3(path.join(where.dataDir, 'pitboard.sqlite'));
  return { db: new Kysely({ dialect: new SqliteDialect({ database }) }), dialect: 'sqlite' };
}

export async function describeSchema(db: AnyDb, dialect: Dialect): Promise<SchemaSnapshot> {
  const tables: SchemaSnapshot['tables'] = {};
  for (const table of (await db.introspection.getTables()).sort((a, b) => a.name.localeCompare(b.name))) {
    const columns: Record<string, string> = {};
    for (const c of table.columns) {
      columns[c.name] = [c.dataType, c.isNullable ? 'null' : 'not null', c.hasDefaultValue ? 'default' : '', c.isAutoIncrementing ? 'auto' : '']
        .filter(Boolean)
        .join(' ');
    }
    tables[table.name] = { columns, indexes: await indexesOf(db, dialect, table.name) };
  }
  return { tables };
}

async function indexesOf(db: AnyDb, dialect: Dialect, table: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  if (dialect === 'postgres') {
    const rows = await sql<{ indexname: string; indexdef: string }>`
      select indexname, indexdef from pg_indexes where schemaname = current_schema() and tablename = ${table} order by indexname`.execute(db);
    for (const r of rows.rows) out[r.indexname] = r.indexdef;
    return out;
  }
  const list = await sql<{ name: string; unique: number; origin: string }>`select name, "unique", origin from pragma_index_list(${table}) order by name`.execute(db);
  for (const index of list.rows) {
    const columns = await sql<{ name: string }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db);
    out[index.name] = `${index.unique ? 'unique ' : ''}(${columns.rows.map((c) => c.name).join(', ')}) ${index.origin}`;
  }
  return out;
}

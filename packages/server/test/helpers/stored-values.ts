/**
 * Every value the database holds, read straight from its tables (SQLite or PostgreSQL): to
 * check that a secret is stored nowhere, whichever table or column it might have reached.
 */
import type { Kysely } from 'kysely';
import { openDatabase } from '../../src/storage/database.js';

export async function storedTables(where: { databaseUrl: string | null; dataDir: string }): Promise<Map<string, { columns: string[]; text: string }>> {
  const opened = await openDatabase(where);
  try {
    const out = new Map<string, { columns: string[]; text: string }>();
    for (const table of await opened.db.introspection.getTables()) {
      const rows = await (opened.db as unknown as Kysely<Record<string, Record<string, unknown>>>).selectFrom(table.name).selectAll().execute();
      const text = (rows as Record<string, unknown>[])
        .flatMap((r) => Object.values(r))
        .map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : String(v)))
        .join('\n');
      out.set(table.name, { columns: table.columns.map((c) => c.name), text });
    }
    return out;
  } finally {
    await opened.close();
  }
}

/** The tables whose stored values contain `needle` anywhere. */
export async function tablesHolding(where: { databaseUrl: string | null; dataDir: string }, needle: string): Promise<string[]> {
  return [...(await storedTables(where))].filter(([, t]) => t.text.includes(needle)).map(([name]) => name);
}

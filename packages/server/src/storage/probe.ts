/**
 * A real write to the database, for readiness (`/healthz`, docs/security.md): a tiny row is
 * upserted and committed. On SQLite it goes through a fresh connection to the file, so what
 * it sees is the file as it is now (corrupt, unwritable, disk full), not pages cached by the
 * server's own connection. A lock held by another process is waited for asynchronously, up to
 * `waitMs`, never by blocking the event loop.
 */
import BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

const UPSERT = 'insert into health_probe (id, checked_at) values (1, $1) on conflict (id) do update set checked_at = excluded.checked_at';

export async function probeSqlite(file: string, waitMs: number): Promise<void> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = new BetterSqlite3(file, { fileMustExist: true, timeout: 0 });
      try {
        handle.exec('begin immediate');
        handle.prepare(UPSERT.replace('$1', '?')).run(new Date().toISOString());
        handle.exec('commit');
      } finally {
        handle.close();
      }
      return;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') || Date.now() - started >= waitMs) throw error;
      await new Promise((r) => setTimeout(r, Math.min(100, 10 * 2 ** attempt)));
    }
  }
}

// The table comes from a migration (20261202T0800_health_probe).
export async function probePostgres(db: Kysely<Database>, waitMs: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql.raw(`set local statement_timeout = ${Math.max(1, Math.floor(waitMs))}`).execute(trx);
    await sql`insert into health_probe (id, checked_at) values (1, ${new Date().toISOString()}) on conflict (id) do update set checked_at = excluded.checked_at`.execute(trx);
  });
}

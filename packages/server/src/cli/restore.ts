/**
 * `restore FILE`: puts a `backup FILE` copy back as the SQLite database. The server must be
 * stopped (a running server keeps the old file open). An existing database is kept beside it
 * as `pitboard.sqlite.before-restore-<time>` rather than overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Config } from '../config.js';

const NEEDED_TABLES = ['users', 'jobs', 'documents'];
/** The migrations' record: Kysely's since the Migrator came (storage/migrate.ts), the earlier runner's before. */
const MIGRATION_RECORDS = ['kysely_migration', 'schema_migrations'];

export async function restoreBackup(config: Config, file: string | undefined, usage: string): Promise<number> {
  if (!file) {
    process.stderr.write(`restore needs a backup file\n${usage}\n`);
    return 2;
  }
  if (config.databaseUrl) {
    process.stderr.write('restore puts back the embedded SQLite database; for PostgreSQL use pg_restore (docs/deploy.md)\n');
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`no file at ${path.resolve(file)}\n`);
    return 1;
  }
  const missing = missingTables(file);
  if (missing) {
    process.stderr.write(`${path.resolve(file)} is not a Pitboard backup: ${missing}\n`);
    return 1;
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const target = path.join(config.dataDir, 'pitboard.sqlite');
  if (fs.existsSync(target)) {
    const kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target, kept);
    process.stdout.write(`kept the current database as ${kept}\n`);
  }
  // A stale write-ahead log belongs to the database just moved away, never to the backup.
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true });
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }
  process.stdout.write(`restored ${path.resolve(file)} to ${target}; start the server\n`);
  return 0;
}

/** Why the file is not a Pitboard database, or null when it is one. */
function missingTables(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const names = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    const missing = NEEDED_TABLES.filter((t) => !names.has(t));
    if (!MIGRATION_RECORDS.some((t) => names.has(t))) missing.push(MIGRATION_RECORDS[0]!);
    return missing.length ? `it has no ${missing.join(', ')} table${missing.length === 1 ? '' : 's'}` : null;
  } catch {
    return 'it is not a SQLite database';
  } finally {
    db?.close();
  }
}

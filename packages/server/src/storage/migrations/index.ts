/**
 * The schema migrations, oldest first. A migration is a file here named
 * `<yyyymmdd>T<hhmm>_<what>.ts` exporting `up(db, dialect)`; it is registered by ONE line below
 * and one entry in `test/migrations.released.json` (docs/architecture.md, "Migrations").
 * Migrations only add tables, columns and indexes: a released one is never edited or removed
 * (test/storage.migrations.test.ts fails if one is). Loaded lazily: Kysely's Migrator asks for
 * them once, at start-up.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export interface MigrationModule {
  // A migration sees the schema of its own time, not today's `Database` type (Kysely's advice).
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: Record<string, () => Promise<MigrationModule>> = {
  '20261126T2200_initial': () => import('./20261126T2200_initial.js'),
  '20261126T2300_notifications': () => import('./20261126T2300_notifications.js'),
  '20261202T0700_job_seq': () => import('./20261202T0700_job_seq.js'),
  '20261202T0800_health_probe': () => import('./20261202T0800_health_probe.js'),
  '20261202T1000_approvals': () => import('./20261202T1000_approvals.js'),
  '20261202T1010_photos': () => import('./20261202T1010_photos.js'),
  '20261202T1020_workshop_day': () => import('./20261202T1020_workshop_day.js'),
  '20261202T1030_search': () => import('./20261202T1030_search.js'),
  '20261202T1040_push': () => import('./20261202T1040_push.js')
};

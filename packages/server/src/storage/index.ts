import { openDatabase, type DatabaseOptions, type OpenDatabase } from './database.js';
import { kyselyStorage } from './kysely-storage.js';
import type { Storage } from './storage.js';

export type * from './storage.js';
export type { OverdueAlerts, OverdueJob } from './overdue-alerts.js';
export type * from './photo-storage.js';
export type { JobSearch } from './job-search.js';
export type { StatusSpan } from './status-history.js';

/** Opens (and migrates) the configured database behind the Storage interface. */
export async function openStorage(options: DatabaseOptions): Promise<Storage> {
  return (await openStorageWithDatabase(options)).storage;
}

/**
 * The Storage interface and the opened database under it, for the areas that keep their own
 * small stores beside it (push subscriptions, job import); closing `storage` closes both.
 */
export async function openStorageWithDatabase(options: DatabaseOptions): Promise<{ storage: Storage; database: OpenDatabase }> {
  const database = await openDatabase(options);
  return { storage: kyselyStorage(database), database };
}

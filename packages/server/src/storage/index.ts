import { openDatabase, type DatabaseOptions } from './database.js';
import { KyselyStorage } from './kysely-storage.js';
import type { Storage } from './storage.js';

export type * from './storage.js';
export type { JobSearch } from './job-search.js';
export type { StatusSpan } from './status-history.js';

/** Opens (and migrates) the configured database behind the Storage interface. */
export async function openStorage(options: DatabaseOptions): Promise<Storage> {
  return new KyselyStorage(await openDatabase(options));
}

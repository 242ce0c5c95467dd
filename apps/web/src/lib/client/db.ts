/**
 * The device's local store (IndexedDB through Dexie + y-dexie), one database per signed-in
 * user so a shared shop tablet never shows one mechanic's replicas to another.
 *
 * y-dexie facts this relies on (checked in y-dexie 4.4.0's dist/y-dexie.js):
 * - `doc: Y.Doc` in a schema adds a hidden updates table `$jobs.doc_updates` ('++i,k'): one row
 *   per Yjs update {k: job id, u: update (V2), f: 1}, written on every `updateV2` of the doc
 *   whose origin is not the DexieYProvider itself (so server updates are stored too).
 * - The row owns the Y.Doc: `DexieYProvider.getOrCreateDocument(db, 'jobs', 'doc', id)` returns
 *   the cached instance; `DexieYProvider.load(doc)` / `release(doc)` are reference counted and
 *   the last release destroys the doc. If the parent row is missing while loading, the doc is
 *   destroyed at once, so the row must exist before `load`.
 * - Deleting a row deletes its update rows: not y-dexie's middleware (it only intercepts
 *   add/put) but Dexie 4.4's core (`builtInDeletionTrigger` on Table.delete/bulkDelete/clear and
 *   Collection.delete; rw transactions on `jobs` include `$jobs.doc_updates` automatically).
 *   `dropJobRows` still deletes them explicitly, in the same transaction, so an older Dexie
 *   cannot leave them behind (a re-added row would otherwise resurrect the old document).
 * - Write failures (e.g. QuotaExceededError) surface as the provider's 'error' event.
 * - y-dexie loads a doc through a Dexie liveQuery (`where({k: id})`). Dexie 4.4's liveQuery cache
 *   keeps that result for 3 s after its last subscriber left, adds later rows to it, but watches
 *   only the keys of its first result: an explicit transaction deleting the later rows (our
 *   drops) left it stale, and a job re-opened at once got its dropped document back (discarded
 *   edits returned; replica/refused-edits.test.ts). Nothing else here uses liveQuery: the cache is off.
 */
import type { NotificationMessage } from '@pitboard/job-model';
import { Dexie, type EntityTable, type Table } from 'dexie';
import yDexie from 'y-dexie';
import type * as Y from 'yjs';

/** A job the user may open, as the list shows it (the contract's job row), with its document. */
export interface JobRecord {
  id: string;
  number?: number;
  bike?: string;
  /** The status the server last reported; screens derive their own from the replica when open. */
  status?: string;
  progress?: { done: number; total: number };
  assigneeId?: string | null;
  updatedAt?: string;
  /** Set when the job is on the user's list (assigned to them); manager-opened replicas have none. */
  listed?: 0 | 1;
  stuckReason?: string | null;
  doc: Y.Doc;
}

/** A local edit not yet confirmed by the server: the Yjs clock its client reached with it. */
export interface EditRecord {
  seq?: number;
  jobId: string;
  client: number;
  clock: number;
  at: string;
}

/** What this device knows about the server's copy of a job. */
export interface SyncRecord {
  jobId: string;
  /** The server's state vector, as it last told us (Yjs encoding). */
  serverSV?: Uint8Array;
  lastSyncedAt?: string;
}

/** A notification as the server sends it (one definition: @pitboard/job-model), stored as is. */
export type StoredNotification = NotificationMessage;

export interface KeyValue {
  key: string;
  value: unknown;
}

export type LocalDb = Dexie & {
  jobs: EntityTable<JobRecord, 'id'>;
  edits: EntityTable<EditRecord, 'seq'>;
  sync: EntityTable<SyncRecord, 'jobId'>;
  notifications: EntityTable<StoredNotification, 'id'>;
  kv: EntityTable<KeyValue, 'key'>;
};

export const UPDATES_TABLE = '$jobs.doc_updates';

const dbs = new Map<string, LocalDb>();

export function dbName(userId: string): string {
  return `pitboard-${userId}`;
}

/** The local database of a user (opened lazily by Dexie on first use). */
export function localDb(userId: string): LocalDb {
  let db = dbs.get(userId);
  if (db) return db;
  db = new Dexie(dbName(userId), { addons: [yDexie], cache: 'disabled' }) as LocalDb;
  db.version(1).stores({
    jobs: 'id, listed, doc: Y.Doc',
    edits: '++seq, jobId',
    sync: 'jobId',
    notifications: 'id, seq, createdAt',
    kv: 'key'
  });
  dbs.set(userId, db);
  return db;
}

export function updatesTable(db: LocalDb): Table<{ i?: number; k: string; u: Uint8Array; f?: number }, number> {
  return db.table(UPDATES_TABLE);
}

/** Deletes a job's replica: its row, its Yjs update rows, its edits and sync record. */
export async function dropJobRows(db: LocalDb, jobId: string): Promise<void> {
  await db.transaction('rw', [db.jobs, db.edits, db.sync, updatesTable(db)], async () => {
    await updatesTable(db).where('k').equals(jobId).delete();
    await db.edits.where('jobId').equals(jobId).delete();
    await db.sync.delete(jobId);
    await db.jobs.delete(jobId);
  });
}

/**
 * Deletes a job's replica like `dropJobRows` but keeps its row in the user's job list (number,
 * bike, status…): the job may well still be theirs, and the list must show it offline. In one
 * transaction, so no reader sees the job half gone.
 */
export async function resetJobRows(db: LocalDb, jobId: string): Promise<void> {
  await db.transaction('rw', [db.jobs, db.edits, db.sync, updatesTable(db)], async () => {
    const row = await db.jobs.get(jobId);
    await updatesTable(db).where('k').equals(jobId).delete();
    await db.edits.where('jobId').equals(jobId).delete();
    await db.sync.delete(jobId);
    await db.jobs.delete(jobId);
    if (row?.listed !== 1) return;
    const { id, number, bike, status, progress, assigneeId, updatedAt, listed, stuckReason } = row;
    await db.jobs.add({ id, number, bike, status, progress, assigneeId, updatedAt, listed, stuckReason } as JobRecord);
  });
}

/** Forget every open handle (tests, sign-out). */
export function closeLocalDbs(): void {
  for (const db of dbs.values()) db.close();
  dbs.clear();
}

/** True for the errors a full disk or quota produces, in every browser's spelling. */
export function isQuotaError(error: unknown): boolean {
  const e = error as { name?: string; inner?: { name?: string }; message?: string } | null;
  const names = [e?.name, e?.inner?.name];
  return names.includes('QuotaExceededError') || /quota/i.test(e?.message ?? '');
}

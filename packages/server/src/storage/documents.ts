/**
 * Documents: each Yjs document is a snapshot plus an append-only log of accepted updates
 * (docs/architecture.md, "How an edit flows").
 */
import type { Kysely } from 'kysely';
import * as Y from 'yjs';
import { bytes } from './bytes.js';
import type { Dialect } from './dialect.js';
import { Prepared } from './prepared.js';
import type { Database } from './schema.js';

export interface DocumentStore {
  /** The stored state (snapshot merged with the log), or null for a document never stored. */
  loadDocument(name: string): Promise<Uint8Array | null>;
  /** Durably appends one accepted update. Resolves only once it is committed. */
  appendUpdate(name: string, update: Uint8Array): Promise<void>;
  /**
   * Stores `state` as the snapshot and deletes the logged updates it already contains
   * (`contains` decides), in one transaction. Updates logged but not yet in `state` stay.
   */
  compactDocument(name: string, state: Uint8Array, contains: (update: Uint8Array) => boolean): Promise<void>;
  countLoggedUpdates(name: string): Promise<number>;
  /** Names of documents with logged updates not yet folded into their snapshot. */
  documentsWithLoggedUpdates(): Promise<string[]>;
}

/** Rows per INSERT (3 parameters each; SQLite allows 32,766, PostgreSQL 65,535). */
const APPEND_BATCH_MAX = 1000;

interface PendingAppend {
  row: { name: string; data: Uint8Array; created_at: string };
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** The store, and `drain` for closing: appends still waiting are written first. */
export function documentStore(db: Kysely<Database>, dialect: Dialect): DocumentStore & { drain(): Promise<void> } {
  // The INSERT for each batch size, built once (prepared.ts); bounded, as batch sizes vary under load.
  const appendQueries = new Map<number, Prepared<unknown[]>>();
  const appends: PendingAppend[] = [];
  let appendsScheduled: NodeJS.Immediate | null = null;

  const insertOf = (n: number) => {
    let insert = appendQueries.get(n);
    if (!insert) {
      insert = new Prepared<unknown[]>((arg) =>
        db.insertInto('document_updates').values(Array.from({ length: n }, (_, i) => ({ name: arg(3 * i), data: arg(3 * i + 1), created_at: arg(3 * i + 2) })))
      );
      if (appendQueries.size >= 100) appendQueries.clear();
      appendQueries.set(n, insert);
    }
    return insert;
  };

  async function flushAppends(): Promise<void> {
    appendsScheduled = null;
    while (appends.length > 0) {
      const batch = appends.splice(0, APPEND_BATCH_MAX);
      try {
        await insertOf(batch.length).run(db, batch.flatMap((a) => [a.row.name, a.row.data, a.row.created_at]));
        for (const a of batch) a.resolve();
      } catch (error) {
        for (const a of batch) a.reject(error);
      }
    }
  }

  const consistentRead = <T>(read: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
    const tx = db.transaction();
    // SQLite: read only, so it takes no write lock (sqlite-driver.ts).
    return (dialect === 'postgres' ? tx.setIsolationLevel('repeatable read') : tx.setAccessMode('read only')).execute(read);
  };

  return {
    async loadDocument(name) {
      // Snapshot and log must be read as of one moment: a compaction committing between two
      // separate reads would hide the updates it folded (the old snapshot, the trimmed log).
      const { snapshot, log } = await consistentRead(async (trx) => ({
        snapshot: await trx.selectFrom('documents').select('state').where('name', '=', name).executeTakeFirst(),
        log: await trx.selectFrom('document_updates').select('data').where('name', '=', name).orderBy('id').execute()
      }));
      const parts = [...(snapshot ? [snapshot.state] : []), ...log.map((r) => r.data)].map(bytes);
      if (parts.length === 0) return null;
      return parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    },

    /**
     * Group commit: the updates appended in one turn of the event loop (every message the server
     * read from its sockets in that turn) go into one INSERT, one commit; each caller resumes only
     * after it. Under load, batches grow by themselves; alone, an update waits for nothing.
     */
    appendUpdate(name, update) {
      return new Promise((resolve, reject) => {
        appends.push({ row: { name, data: update, created_at: new Date().toISOString() }, resolve, reject });
        appendsScheduled ??= setImmediate(() => void flushAppends());
      });
    },

    async compactDocument(name, state, contains) {
      await db.transaction().execute(async (trx) => {
        const now = new Date().toISOString();
        // Merge with what is stored instead of overwriting it: a slower, older compaction (another
        // instance, say) must never replace a newer snapshot with less.
        let q = trx.selectFrom('documents').select('state').where('name', '=', name);
        if (dialect === 'postgres') q = q.forUpdate();
        const stored = await q.executeTakeFirst();
        const merged = stored ? Y.mergeUpdates([bytes(stored.state), state]) : state;
        await trx
          .insertInto('documents')
          .values({ name, state: merged, updated_at: now })
          .onConflict((oc) => oc.column('name').doUpdateSet({ state: merged, updated_at: now }))
          .execute();
        const logged = await trx.selectFrom('document_updates').select(['id', 'data']).where('name', '=', name).execute();
        const folded = logged.filter((r) => contains(bytes(r.data))).map((r) => Number(r.id));
        for (let i = 0; i < folded.length; i += 500) {
          await trx.deleteFrom('document_updates').where('id', 'in', folded.slice(i, i + 500)).execute();
        }
      });
    },

    async countLoggedUpdates(name) {
      const r = await db
        .selectFrom('document_updates')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async documentsWithLoggedUpdates() {
      const rows = await db.selectFrom('document_updates').select('name').distinct().execute();
      return rows.map((r) => r.name);
    },

    async drain() {
      if (appendsScheduled) clearImmediate(appendsScheduled);
      await flushAppends();
    }
  };
}

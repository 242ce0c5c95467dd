/**
 * The local replica of one job document. The job lives in IndexedDB as its Yjs document
 * (Dexie + y-dexie); a replica opens from there at once and then syncs through a `Link`
 * (Hocuspocus in the browser).
 *
 * Order of an edit: the job-model operation changes the doc → y-dexie queues the update row
 * → the replica records the edit (a Dexie transaction that also spans the updates table, so it
 * commits after y-dexie's write) → only then is the update sent. If the write fails (full
 * quota), the update is still sent and the failure is shown: never a silent loss. A copy waits
 * in localStorage meanwhile (wal.ts).
 *
 * Long file: loading, recording and sending in order share one replica's state (the doc, its
 * pending clock, the link); the parts that stand alone already live beside it in replica/.
 *
 * Pending = local edits whose Yjs clock the server's state vector does not cover yet. The
 * server tells its state vector in every SyncStep1 (on connect, and when we `verify()` after
 * acknowledgements), so the count is exact and survives reloads (edits are stored), unlike the
 * provider's `unsyncedChanges` counter.
 *
 * Refused edits: when the server refuses a replica's edits for good (the job went to someone
 * else, a change the role may not make), they stay pending and stored until the user discards
 * them (`ReplicaStore.discardPendingEdits`): the job's rows go and it opens again from the server.
 */
import * as Y from 'yjs';
import { DexieYProvider } from 'y-dexie';
import { readJob } from '@pitboard/job-model';
import { isQuotaError, updatesTable, type EditRecord, type JobRecord } from '../db';
import type { CloseKind, Link } from '../link';
import { PendingEdits } from './pending-edits';
import { ServerVerdict } from './verdict';
import { unsentWriting, type UnsentWriting } from './unsent-writing';
import { storageErrorText, type ReplicaHost } from './host';

const WAL_ORIGIN = Symbol('pitboard-wal');

export function clockOf(doc: Y.Doc): number {
  return Y.getState(doc.store, doc.clientID);
}

export class Replica {
  readonly doc: Y.Doc;
  lastSyncedAt: Date | null = null;
  /** Local edits the server does not have yet. */
  get pending(): number {
    return this.ledger.count;
  }

  /** What the server last said about this document (verdict.ts). */
  private readonly verdict = new ServerVerdict();
  /** The server refused us (reassigned, not allowed…), or the session is gone: its words, for people. */
  get error(): string | null {
    return this.verdict.error;
  }
  /** What `error` means, from the reason's code (never its words). */
  get errorKind(): CloseKind | null {
    return this.verdict.errorKind;
  }
  get needsSignIn(): boolean {
    return this.verdict.needsSignIn;
  }
  /** The server closed the document for a reason that passes; it opens again by itself. */
  get catchingUp(): boolean {
    return this.verdict.catchingUp;
  }
  connected = false;
  loaded = false;
  /** The job's content is stored in IndexedDB: the job opens on this device with no network. */
  onDevice = false;
  storageError: string | null = null;
  readonly ready: Promise<void>;
  refs = 0;

  private readonly ledger = new PendingEdits();
  private link: Link | null = null;
  private unsent: Uint8Array[] = [];
  private flushQueued = false;
  private chain: Promise<void> = Promise.resolve();
  private verifyTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** What the server last said it has (its state vector); empty until it said anything. */
  private serverState = new Map<number, number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ReplicaHost,
    readonly jobId: string
  ) {
    this.doc = DexieYProvider.getOrCreateDocument(store.db, 'jobs', 'doc', jobId);
    this.ready = this.init();
    this.ready.catch((e) => this.fail(e));
  }

  private async init(): Promise<void> {
    const { db } = this.store;
    // A discard of this job still under way: its rows must be gone before this replica reads them.
    await this.store.discarded(this.jobId);
    if (this.closed) return;
    await db.transaction('rw', db.jobs, async () => {
      if (!(await db.jobs.get(this.jobId))) await db.jobs.add({ id: this.jobId } as JobRecord);
    });
    if (this.closed) return;
    const provider = DexieYProvider.load(this.doc);
    provider.on('error', (e: unknown) => this.fail(e));
    await provider.whenLoaded;
    const [sync, edits] = await Promise.all([db.sync.get(this.jobId), db.edits.where('jobId').equals(this.jobId).toArray()]);
    // Discarded while loading: nothing more may be written for it (the WAL replay would).
    if (this.closed) return;
    this.ledger.load(edits);
    this.lastSyncedAt = sync?.lastSyncedAt ? new Date(sync.lastSyncedAt) : null;
    if (sync?.serverSV) {
      this.serverState = Y.decodeStateVector(sync.serverSV);
      this.ledger.confirm(this.serverState);
    }
    this.onDevice = !!readJob(this.doc).id;
    this.doc.on('update', this.onUpdate);
    this.replayWal();
    this.loaded = true;
    if (this.closed) return;
    if (this.store.connect) this.link = this.store.connect(`job:${this.jobId}`, this.doc, this.hooks);
    this.emit();
  }

  private readonly hooks = {
    onServerState: (sv: Uint8Array) => this.onServerState(sv),
    onAck: () => this.scheduleVerify(150),
    onSynced: () => this.onSynced(),
    onAuthenticated: () => {
      this.verdict.authenticated();
      this.emit();
    },
    onAuthFailed: (reason: string) => {
      this.verdict.authFailed(reason);
      this.emit();
    },
    onRefused: (reason: string) => {
      this.verdict.closed(reason);
      this.emit();
    },
    onConnected: (connected: boolean) => {
      if (this.connected === connected) return;
      this.connected = connected;
      this.emit();
    }
  };

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The server refused this device's edits and will go on refusing them (reassigned, not
   * allowed): they stay pending until the user discards them. Not a session problem (those
   * sync after signing in); passing closes (rate limit) never set `error`.
   */
  get refused(): boolean {
    return this.pending > 0 && !!this.error && !this.needsSignIn;
  }

  /** The server says this user may not open the job any more (reassigned, deleted). */
  get lostAccess(): boolean {
    return this.verdict.lostAccess;
  }

  /** Notes (and a stuck reason) written here that the server lacks, by its last state vector: what a discard would lose. */
  unsentWriting(): UnsentWriting[] {
    if (!this.loaded || this.doc.isDestroyed) return [];
    return unsentWriting(this.doc, this.serverState);
  }

  /** Edits whose IndexedDB write did not finish last time (wal.ts). */
  private replayWal() {
    for (const entry of this.store.wal.replay(this.jobId)) {
      try {
        Y.applyUpdate(this.doc, entry.update, WAL_ORIGIN);
        if (!this.ledger.has(entry.client, entry.clock)) this.ledger.add({ jobId: this.jobId, client: entry.client, clock: entry.clock, at: entry.at });
        else entry.remove();
      } catch {
        entry.remove();
      }
    }
    this.flush();
  }

  private emit() {
    for (const l of this.listeners) l();
    this.store.changed();
  }

  private fail(error: unknown) {
    if (this.closed) return; // a discarded or closed replica's document is gone on purpose
    this.storageError = storageErrorText(error, isQuotaError(error));
    this.emit();
  }

  /** Applies a job-model operation in one go; it is stored, counted as pending and sent. */
  change(op: (doc: Y.Doc) => void): void {
    const before = clockOf(this.doc);
    const firstUpdate = this.unsent.length;
    op(this.doc);
    const after = clockOf(this.doc);
    if (after === before) return;
    const edit: EditRecord = { jobId: this.jobId, client: this.doc.clientID, clock: after, at: new Date().toISOString() };
    const produced = this.unsent.slice(firstUpdate);
    if (produced.length) this.store.wal.write(edit, produced.length === 1 ? produced[0]! : Y.mergeUpdates(produced));
    this.ledger.add(edit);
    this.flush();
    this.emit();
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (this.link && origin === this.link.origin) return; // came from the server
    this.unsent.push(update);
    this.queueFlush();
  };

  private queueFlush() {
    if (this.flushQueued) return;
    this.flushQueued = true;
    // A microtask: runs after the operation returned (so its edit is recorded) and after
    // y-dexie's listener issued the update row's write.
    queueMicrotask(() => this.flush());
  }

  private flush() {
    this.flushQueued = false;
    const updates = this.unsent.splice(0);
    const edits = this.ledger.takeQueued();
    if (!updates.length && !edits.length) return;
    const { db } = this.store;
    // Started at once (not behind earlier writes): the window in which closing the tab could
    // lose the record is as small as IndexedDB allows. The transaction spans the updates table,
    // so IndexedDB runs it after y-dexie's pending write of the same update: when it commits,
    // the update is on disk.
    const { wal } = this.store;
    const written = db
      .transaction('rw', [db.edits, updatesTable(db)], async () => {
        if (edits.length) await db.edits.bulkAdd(edits);
        else await updatesTable(db).count();
      })
      .then(() => wal.committed(edits))
      .catch((e) => this.fail(e));
    // Sends stay in order (the server refuses an update that depends on one it lacks).
    this.chain = this.chain
      .then(() => written)
      .then(() => {
        for (const u of updates) this.link?.send(u);
      });
  }

  /** Resolves when every change made so far is written to IndexedDB (and handed to the link). */
  async saved(): Promise<void> {
    if (this.flushQueued) await new Promise<void>((r) => queueMicrotask(r));
    await this.chain;
  }

  private onServerState(bytes: Uint8Array) {
    const sv = Y.decodeStateVector(bytes);
    this.serverState = sv;
    const { db } = this.store;
    const seqs = this.ledger
      .confirm(sv)
      .map((e) => e.seq)
      .filter((s): s is number => typeof s === 'number');
    if (seqs.length) void this.chain.then(() => db.edits.bulkDelete(seqs)).catch((e) => this.fail(e));
    // Edits written but whose seq was unknown when confirmed: remove by clock.
    void this.chain
      .then(() =>
        db.edits
          .where('jobId')
          .equals(this.jobId)
          .filter((e) => (sv.get(e.client) ?? 0) >= e.clock)
          .delete()
      )
      .catch((e) => this.fail(e));
    const record = { jobId: this.jobId, serverSV: bytes, ...(this.pending === 0 ? { lastSyncedAt: new Date().toISOString() } : {}) };
    if (this.pending === 0) this.lastSyncedAt = new Date();
    else this.scheduleVerify(1500);
    this.verdict.heard();
    void db.sync
      .update(this.jobId, record)
      .then((n) => (n ? undefined : db.sync.put(this.lastSyncedAt ? { ...record, lastSyncedAt: this.lastSyncedAt.toISOString() } : record)))
      .catch((e) => this.fail(e));
    this.emit();
  }

  /**
   * The server's content is in the document; y-dexie has issued its write. A transaction over
   * the same table starts only after that write commits, so when it ends the job is on disk.
   */
  private onSynced() {
    const { db } = this.store;
    void db
      .transaction('r', updatesTable(db), () => updatesTable(db).count())
      .then(() => {
        const onDevice = !!readJob(this.doc).id;
        if (onDevice === this.onDevice || this.closed) return;
        this.onDevice = onDevice;
        this.emit();
      })
      .catch((e) => this.fail(e));
  }

  /** Asks the server for its state vector soon (debounced) while edits are pending. */
  private scheduleVerify(ms: number) {
    if (this.pending === 0 || !this.link || this.closed) return;
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(() => {
      this.verifyTimer = null;
      if (this.pending > 0 && this.connected && !this.error) {
        this.link?.verify();
        this.scheduleVerify(3000);
      }
    }, ms);
  }

  /** Stops syncing and unloads the document (the store calls it when the last user releases). */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    await this.ready.catch(() => undefined);
    await this.saved();
    this.stopSyncing();
    // y-dexie counts loads; the last release destroys the doc (a microtask later).
    DexieYProvider.release(this.doc);
  }

  private stopSyncing(forget = false) {
    this.doc.off('update', this.onUpdate);
    // The Hocuspocus provider goes before the doc, so it never sends from a destroyed one.
    this.link?.destroy({ forget });
    this.link = null;
  }

  /**
   * For a discard: stops syncing and destroys the document now, not after the writes finish.
   * y-dexie forgets a destroyed doc at once, so a replica of this job opened from here on gets a
   * new Y.Doc (and a new Yjs client id) instead of the one holding the refused edits; release()
   * would destroy it only a microtask later. Resolves when writes already started are done.
   */
  async abandon(): Promise<void> {
    this.closed = true;
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    this.stopSyncing(true);
    if (!this.doc.isDestroyed) this.doc.destroy();
    // Edits not handed to IndexedDB yet are not written at all.
    this.unsent = [];
    this.ledger.clear();
    await this.ready.catch(() => undefined);
    await this.saved().catch(() => undefined);
    await this.closing?.catch(() => undefined);
  }
}

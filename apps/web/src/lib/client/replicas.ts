/**
 * Long file: still five parts together (write-ahead log, replica, store, list cache, registry);
 * issue 11 splits them into files of one concern each.
 *
 * Local replicas of job documents. Each job the user works on lives
 * in IndexedDB as its Yjs document (Dexie + y-dexie); a replica opens from there at once and
 * then syncs through a `Link` (Hocuspocus in the browser).
 *
 * Order of an edit: the job-model operation changes the doc → y-dexie queues the update row
 * → the replica records the edit (a Dexie transaction that also spans the updates table, so it
 * commits after y-dexie's write) → only then is the update sent. If the write fails (full
 * quota), the update is still sent and the failure is shown: never a silent loss.
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
import { notesArray, parseCloseReason, readJob, stuckMap, type JobSummary as JobRowSummary } from '@pitboard/job-model';
import { dropJobRows, isQuotaError, resetJobRows, localDb, updatesTable, type EditRecord, type JobRecord, type LocalDb } from './db';
import { closeKind, type CloseKind, type Connect, type Link } from './link';
const WAL_ORIGIN = Symbol('pitboard-wal');

export function clockOf(doc: Y.Doc): number {
  return Y.getState(doc.store, doc.clientID);
}

/**
 * A synchronous write-ahead copy of each local edit in localStorage, removed as soon as the
 * edit is committed to IndexedDB. IndexedDB writes are asynchronous: a tab closed or navigated
 * away within milliseconds of an edit could abort them (seen in Chromium: a full navigation
 * right after a tick lost it). On the next open the replica replays what is left here.
 */
const WAL_PREFIX = 'pitboard:wal:';
function walPrefix(userId: string, jobId: string) {
  return `${WAL_PREFIX}${userId}:${jobId}:`;
}
function walKey(userId: string, e: { jobId: string; client: number; clock: number }) {
  return `${walPrefix(userId, e.jobId)}${e.client}:${e.clock}`;
}
function walKeys(ls: Storage, userId: string, jobId: string): string[] {
  const prefix = walPrefix(userId, jobId);
  const keys: string[] = [];
  for (let i = 0; i < ls.length; i++) {
    const k = ls.key(i);
    if (k?.startsWith(prefix)) keys.push(k);
  }
  return keys;
}
function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const STORAGE_FULL_MESSAGE =
  'This device is out of storage: recent changes are not saved on it. Stay online until they reach the server, or free some space.';

/** Text the user wrote on this device that the server does not have (so a discard need not lose it). */
export interface UnsentWriting {
  kind: 'note' | 'stuck';
  text: string;
}

export class Replica {
  readonly doc: Y.Doc;
  /** Local edits the server does not have yet. */
  pending = 0;
  lastSyncedAt: Date | null = null;
  /** The server refused us (reassigned, not allowed…), or the session is gone: its words, for people. */
  error: string | null = null;
  /** What `error` means, from the reason's code (never its words). */
  errorKind: CloseKind | null = null;
  needsSignIn = false;
  /** The server closed the document for a reason that passes (`closeKind`); it opens again by itself. */
  catchingUp = false;
  connected = false;
  loaded = false;
  /** The job's content is stored in IndexedDB: the job opens on this device with no network. */
  onDevice = false;
  storageError: string | null = null;
  readonly ready: Promise<void>;
  refs = 0;

  private edits: EditRecord[] = [];
  private link: Link | null = null;
  private unsent: Uint8Array[] = [];
  private newEdits: EditRecord[] = [];
  private flushQueued = false;
  private chain: Promise<void> = Promise.resolve();
  private verifyTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** What the server last said it has (its state vector); empty until it said anything. */
  private serverState = new Map<number, number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: ReplicaStore,
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
    this.edits = edits;
    this.lastSyncedAt = sync?.lastSyncedAt ? new Date(sync.lastSyncedAt) : null;
    if (sync?.serverSV) {
      this.serverState = Y.decodeStateVector(sync.serverSV);
      this.confirm(this.serverState, false);
    }
    this.pending = this.edits.length;
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
      this.needsSignIn = false;
      this.catchingUp = false;
      this.setError(null);
      this.emit();
    },
    onAuthFailed: (reason: string) => {
      this.setError(reason);
      this.needsSignIn = this.errorKind === 'sign-in';
      this.emit();
    },
    onRefused: (reason: string) => {
      // Not an error to show: the link opens the document again, and its edits follow.
      if (closeKind(reason) === 'passing') {
        this.catchingUp = true;
        this.emit();
        return;
      }
      this.setError(reason);
      if (this.errorKind === 'sign-in') this.needsSignIn = true;
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
    return !!this.error && this.errorKind === 'lost-access';
  }

  /** Keeps a server's reason: its words for people, its meaning from its code. */
  private setError(reason: string | null): void {
    if (reason === null) {
      this.error = null;
      this.errorKind = null;
      return;
    }
    const parsed = parseCloseReason(reason);
    this.error = parsed.text;
    this.errorKind = closeKind(parsed);
  }

  /**
   * Notes (and a stuck reason) written on this device that the server does not have, judged by
   * the server's last state vector: what a discard would lose.
   */
  unsentWriting(): UnsentWriting[] {
    if (!this.loaded || this.doc.isDestroyed) return [];
    const sv = this.serverState;
    const unsent = (id: Y.ID | undefined) => !!id && (sv.get(id.client) ?? 0) <= id.clock;
    const out: UnsentWriting[] = [];
    for (const note of notesArray(this.doc).toArray()) {
      if (!(note instanceof Y.Map)) continue;
      const text = note.get('text');
      if (typeof text === 'string' && unsent(note._item?.id)) out.push({ kind: 'note', text });
    }
    const stuck = stuckMap(this.doc);
    const reason = stuck.get('reason');
    if (typeof reason === 'string' && reason && unsent(stuck._map.get('reason')?.id)) out.push({ kind: 'stuck', text: reason });
    return out;
  }

  /** Edits whose IndexedDB write did not finish last time (see WAL_PREFIX). */
  private replayWal() {
    const ls = storage();
    if (!ls) return;
    const prefix = walPrefix(this.store.userId, this.jobId);
    for (const key of walKeys(ls, this.store.userId, this.jobId)) {
      try {
        const [client, clock] = key.slice(prefix.length).split(':').map(Number) as [number, number];
        const { u, at } = JSON.parse(ls.getItem(key) ?? 'null') as { u: string; at: string };
        Y.applyUpdate(this.doc, fromBase64(u), WAL_ORIGIN);
        if (!this.edits.some((e) => e.client === client && e.clock === clock)) {
          const edit: EditRecord = { jobId: this.jobId, client, clock, at };
          this.edits.push(edit);
          this.newEdits.push(edit);
        } else ls.removeItem(key);
      } catch {
        ls.removeItem(key);
      }
    }
    this.pending = this.edits.length;
    this.flush();
  }

  private emit() {
    for (const l of this.listeners) l();
    this.store.changed();
  }

  private fail(error: unknown) {
    if (this.closed) return; // a discarded or closed replica's document is gone on purpose
    if (isQuotaError(error)) this.storageError = STORAGE_FULL_MESSAGE;
    else this.storageError = `Could not save on this device: ${(error as Error)?.message ?? String(error)}`;
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
    if (produced.length) {
      try {
        const update = produced.length === 1 ? produced[0]! : Y.mergeUpdates(produced);
        storage()?.setItem(walKey(this.store.userId, edit), JSON.stringify({ u: toBase64(update), at: edit.at }));
      } catch {
        /* localStorage full or unavailable: IndexedDB alone */
      }
    }
    this.edits.push(edit);
    this.newEdits.push(edit);
    this.pending = this.edits.length;
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
    const edits = this.newEdits.splice(0);
    if (!updates.length && !edits.length) return;
    const { db } = this.store;
    // Started at once (not behind earlier writes): the window in which closing the tab could
    // lose the record is as small as IndexedDB allows. The transaction spans the updates table,
    // so IndexedDB runs it after y-dexie's pending write of the same update: when it commits,
    // the update is on disk.
    const userId = this.store.userId;
    const written = db
      .transaction('rw', [db.edits, updatesTable(db)], async () => {
        if (edits.length) await db.edits.bulkAdd(edits);
        else await updatesTable(db).count();
      })
      .then(() => {
        const ls = storage();
        for (const e of edits) ls?.removeItem(walKey(userId, e));
      })
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

  private confirm(sv: Map<number, number>, persist: boolean): EditRecord[] {
    const confirmed: EditRecord[] = [];
    const remaining: EditRecord[] = [];
    for (const e of this.edits) ((sv.get(e.client) ?? 0) >= e.clock ? confirmed : remaining).push(e);
    this.edits = remaining;
    this.pending = remaining.length;
    if (persist && confirmed.length) {
      const { db } = this.store;
      const done = new Set(confirmed);
      // Edits still being written are confirmed too: drop them from the write queue as well.
      this.newEdits = this.newEdits.filter((e) => !done.has(e));
      const seqs = confirmed.map((e) => e.seq).filter((s): s is number => typeof s === 'number');
      void this.chain.then(() => db.edits.bulkDelete(seqs)).catch((e) => this.fail(e));
    }
    return confirmed;
  }

  private onServerState(bytes: Uint8Array) {
    const sv = Y.decodeStateVector(bytes);
    this.serverState = sv;
    this.confirm(sv, true);
    // Edits written but whose seq was unknown when confirmed: remove by clock.
    const { db } = this.store;
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
    if (!this.needsSignIn && this.errorKind === 'sign-in') this.setError(null);
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
    this.newEdits = [];
    this.pending = 0;
    this.edits = [];
    await this.ready.catch(() => undefined);
    await this.saved().catch(() => undefined);
    await this.closing?.catch(() => undefined);
  }
}

/** A row of the mechanic's job list, as kept on the device: the part of the server's row it shows. */
export type ListedJob = Pick<JobRowSummary, 'id' | 'number' | 'bike' | 'status' | 'progress' | 'assigneeId' | 'updatedAt' | 'stuckReason'>;

/** A job whose local edits the server refused (for the status bar: where to resolve it). */
export interface RefusedJob {
  jobId: string;
  number: number | null;
  bike: string;
  reason: string;
}

/** Every replica of one user on this device. */
export class ReplicaStore {
  readonly replicas = new Map<string, Replica>();
  private readonly listeners = new Set<() => void>();
  private kept = new Set<string>();
  private notifyQueued = false;
  private readonly discarding = new Map<string, Promise<void>>();

  constructor(
    readonly userId: string,
    readonly db: LocalDb,
    readonly connect: Connect | null
  ) {}

  /** The replica of a job (opened if needed); call `release` when done. */
  acquire(jobId: string): Replica {
    let r = this.replicas.get(jobId);
    if (!r) {
      r = new Replica(this, jobId);
      this.replicas.set(jobId, r);
    }
    r.refs++;
    return r;
  }

  async release(replica: Replica): Promise<void> {
    replica.refs--;
    // A discarded replica is closed already, and its job may have a new one by now.
    if (this.replicas.get(replica.jobId) !== replica) return;
    if (replica.refs > 0) return;
    // Keep syncing until the server has every edit, even when no screen shows the job; refused
    // edits too: they stay counted (and findable from the status bar) until discarded.
    if (replica.pending > 0) {
      replica.refs++;
      this.kept.add(replica.jobId);
      return;
    }
    this.replicas.delete(replica.jobId);
    // A collected job whose edits the server has is of no use offline any more (a manager
    // opening old jobs must not fill the device), nor is one the user may no longer open: drop
    // its replica.
    const collected = replica.loaded && !replica.error && !!readJob(replica.doc).collectedAt;
    const useless = collected || (replica.loaded && replica.lostAccess);
    await replica.close();
    if (useless && replica.pending === 0 && !this.replicas.has(replica.jobId)) await dropJobRows(this.db, replica.jobId).catch(() => undefined);
    this.changed();
  }

  /** Keeps these jobs' replicas open and syncing (a mechanic's whole list), releases the others kept before. */
  async keep(jobIds: string[]): Promise<void> {
    const next = new Set(jobIds);
    for (const id of next) if (!this.kept.has(id)) this.acquire(id);
    const dropped = [...this.kept].filter((id) => !next.has(id));
    this.kept = next;
    for (const id of dropped) {
      const r = this.replicas.get(id);
      if (r) await this.release(r);
    }
  }

  /** Re-opens replicas that still have edits the server lacks (after a reload). */
  async resumePending(): Promise<string[]> {
    const ids = (await this.db.edits.orderBy('jobId').uniqueKeys()) as string[];
    for (const id of ids) {
      if (!this.kept.has(id)) {
        this.kept.add(id);
        this.acquire(id);
      }
    }
    return ids;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(): void {
    if (this.notifyQueued) return;
    this.notifyQueued = true;
    queueMicrotask(() => {
      this.notifyQueued = false;
      for (const l of this.listeners) l();
    });
  }

  get pending(): number {
    let n = 0;
    for (const r of this.replicas.values()) n += r.pending;
    return n;
  }

  get lastSyncedAt(): Date | null {
    let t: Date | null = null;
    for (const r of this.replicas.values()) if (r.lastSyncedAt && (!t || r.lastSyncedAt > t)) t = r.lastSyncedAt;
    return t;
  }

  get needsSignIn(): boolean {
    for (const r of this.replicas.values()) if (r.needsSignIn) return true;
    return false;
  }

  get storageError(): string | null {
    for (const r of this.replicas.values()) if (r.storageError) return r.storageError;
    return null;
  }

  /** Open replicas whose edits the server refused; each waits for the user to discard them. */
  refusedJobs(): RefusedJob[] {
    const out: RefusedJob[] = [];
    for (const r of this.replicas.values()) {
      if (!r.refused) continue;
      const facts = r.loaded && !r.doc.isDestroyed ? readJob(r.doc) : null;
      out.push({ jobId: r.jobId, number: facts?.number ?? null, bike: facts?.bike ?? '', reason: r.error ?? '' });
    }
    return out;
  }

  /**
   * Drops this device's edits of a job the server refused, for good: the replica is closed,
   * its document, edit records and sync record are deleted (its place in the job list stays),
   * its write-ahead copies in localStorage are removed, so nothing counts as pending any more,
   * after a reload too. Whoever holds the old replica must acquire the job again: it then opens
   * from the server as it is (or is refused, if the user may no longer open it). A replica kept
   * for the list is re-opened here.
   */
  discardPendingEdits(jobId: string): Promise<void> {
    const running = this.discarding.get(jobId);
    if (running) return running;
    const open = this.replicas.get(jobId);
    this.replicas.delete(jobId);
    // Synchronously: from here on, acquire() makes a new replica, which waits for `discarded`.
    const abandoned = open?.abandon() ?? Promise.resolve();
    const work = (async () => {
      await abandoned;
      await resetJobRows(this.db, jobId);
      const ls = storage();
      if (ls) for (const key of walKeys(ls, this.userId, jobId)) ls.removeItem(key);
    })();
    const done = work.finally(() => {
      this.discarding.delete(jobId);
      this.changed();
    });
    this.discarding.set(jobId, done);
    // The list keeps this job open: its new replica exists at once (so the list's reference
    // counting is unchanged) and loads once the rows are gone.
    if (this.kept.has(jobId)) this.acquire(jobId);
    this.changed();
    return done;
  }

  /** Resolves once no discard of this job is under way (whether it worked or not). */
  discarded(jobId: string): Promise<void> {
    return (this.discarding.get(jobId) ?? Promise.resolve()).catch(() => undefined);
  }

  /** The user's job list as last seen (works offline). */
  async listedJobs(): Promise<ListedJob[]> {
    const rows = await this.db.jobs.where('listed').equals(1).toArray();
    return rows.filter((r) => typeof r.number === 'number').map((r) => ({
      id: r.id,
      number: r.number!,
      bike: r.bike ?? '',
      status: r.status ?? 'assigned',
      progress: r.progress ?? { done: 0, total: 0 },
      assigneeId: r.assigneeId ?? null,
      updatedAt: r.updatedAt ?? '',
      stuckReason: r.stuckReason ?? null
    }));
  }

  /** Stores the server's list (complete = it is the whole list, so missing jobs left it). */
  async saveList(rows: ListedJob[], complete: boolean): Promise<void> {
    const ids = new Set(rows.map((r) => r.id));
    await this.db.transaction('rw', this.db.jobs, async () => {
      for (const row of rows) {
        const values = { id: row.id, number: row.number, bike: row.bike, status: row.status, progress: row.progress, assigneeId: row.assigneeId, updatedAt: row.updatedAt, stuckReason: row.stuckReason ?? null, listed: 1 as const };
        const n = await this.db.jobs.update(row.id, values);
        if (!n) await this.db.jobs.add(values as JobRecord);
      }
      if (complete) {
        const stale = await this.db.jobs.where('listed').equals(1).filter((r) => !ids.has(r.id)).primaryKeys();
        for (const id of stale) await this.db.jobs.update(id, { listed: 0 });
      }
    });
  }

  /** Updates one row of the list (a live row from the inbox). */
  async saveRow(row: ListedJob, listed: boolean): Promise<void> {
    const values = { id: row.id, number: row.number, bike: row.bike, status: row.status, progress: row.progress, assigneeId: row.assigneeId, updatedAt: row.updatedAt, stuckReason: row.stuckReason ?? null, listed: listed ? (1 as const) : (0 as const) };
    await this.db.transaction('rw', this.db.jobs, async () => {
      const n = await this.db.jobs.update(row.id, values);
      if (!n && listed) await this.db.jobs.add(values as JobRecord);
    });
  }

  /**
   * Drops a replica the user no longer needs (collected, or no longer theirs) — only when the
   * server has all its edits. Returns whether it was dropped.
   */
  async dropIfSynced(jobId: string): Promise<boolean> {
    const open = this.replicas.get(jobId);
    if (open && (open.pending > 0 || open.refs > (this.kept.has(jobId) ? 1 : 0))) return false;
    if (!open && (await this.db.edits.where('jobId').equals(jobId).count()) > 0) return false;
    if (open) {
      this.kept.delete(jobId);
      this.replicas.delete(jobId);
      await open.close();
    }
    await dropJobRows(this.db, jobId);
    this.changed();
    return true;
  }

  async close(): Promise<void> {
    const all = [...this.replicas.values()];
    this.replicas.clear();
    this.kept.clear();
    await Promise.all(all.map((r) => r.close()));
  }
}

const stores = new Map<string, ReplicaStore>();

/** The replica store of a user in this tab (browser only). */
export function replicasFor(userId: string, connect: Connect | null): ReplicaStore {
  let s = stores.get(userId);
  if (!s) {
    s = new ReplicaStore(userId, localDb(userId), connect);
    stores.set(userId, s);
  }
  return s;
}

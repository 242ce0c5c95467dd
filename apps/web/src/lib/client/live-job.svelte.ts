/**
 * A job document open in the page: its facts as reactive state, the connection state, the
 * number of local changes the server does not have yet and the time of the last sync.
 *
 * Offline-first: the document is the job's IndexedDB replica (replica/replica.ts). It opens from the
 * device at once, then syncs; edits land in IndexedDB before they are sent; status is always
 * derived from the merged facts (job-model `deriveStatus`).
 */
import { deriveStatus, progressOf, readJob, type JobFacts, type JobStatus, type Progress } from '@pitboard/job-model';
import * as Y from 'yjs';
import { currentUser, replicaStore, resolveUser } from './account';
import { connectionState, onConnectionState, type ConnectionState } from './connection';
import type { Replica } from './replica/replica';
import type { ReplicaStore } from './replica/store';
import type { UnsentWriting } from './replica/unsent-writing';

export class LiveJob {
  facts = $state<JobFacts | null>(null);
  status = $derived<JobStatus | null>(this.facts ? deriveStatus(this.facts) : null);
  progress = $derived<Progress>(this.facts ? progressOf(this.facts) : { done: 0, total: 0 });
  connection = $state<ConnectionState>(connectionState());
  /** Local changes the server does not have yet (exact: checked against the server's state vector). */
  pending = $state(0);
  lastSyncedAt = $state<Date | null>(null);
  /** Set when the server refused us (e.g. the job was reassigned, the session expired). */
  error = $state<string | null>(null);
  /** The session is gone: local changes wait until the user signs in again. */
  needsSignIn = $state(false);
  /** IndexedDB could not store a change (e.g. full quota); the change was still sent. */
  storageError = $state<string | null>(null);
  /** The job's content is stored on this device (it opens offline). */
  onDevice = $state(false);
  /** The replica is loaded from the device (facts may still be null if it never synced). */
  loaded = $state(false);
  /** The server refused this device's edits for good: they wait for `discardPendingEdits`. */
  refused = $state(false);
  /** The server says this user may not open the job any more (reassigned). */
  lostAccess = $state(false);
  /** The server paused the job (sending too fast); it opens again by itself. */
  catchingUp = $state(false);
  /** `discardPendingEdits` is under way: edits are not taken meanwhile. */
  discarding = $state(false);
  private replica: Replica | null = null;
  private store: ReplicaStore | null = null;
  private userId: string | null = null;
  // Edits made before the replica is open; applied to it once, then a fresh one takes its place.
  private placeholder = new Y.Doc();
  private readonly cleanups: (() => void)[] = [];
  /** Listeners on the current replica (replaced after a discard). */
  private replicaCleanups: (() => void)[] = [];
  private closed = false;
  readonly ready: Promise<void>;

  constructor(
    readonly jobId: string,
    userId?: string
  ) {
    this.cleanups.push(onConnectionState((s) => (this.connection = s)));
    const id = userId ?? currentUser()?.id;
    if (id) this.ready = this.attach(id);
    else
      this.ready = resolveUser().then((u) => {
        if (!u) throw new Error('not signed in');
        return this.attach(u.id);
      });
    this.ready.catch((e: Error) => (this.error = e.message));
  }

  /** The job's Y.Doc (the replica's, once open). Change it through `change()`. */
  get doc(): Y.Doc {
    return this.replica?.doc ?? this.placeholder;
  }

  private async attach(userId: string): Promise<void> {
    if (this.closed) return;
    this.userId = userId;
    this.store = replicaStore(userId);
    const replica = this.store.acquire(this.jobId);
    this.replica = replica;
    const sync = () => {
      this.pending = replica.pending;
      this.lastSyncedAt = replica.lastSyncedAt;
      this.error = replica.error;
      this.needsSignIn = replica.needsSignIn;
      this.storageError = replica.storageError;
      this.onDevice = replica.onDevice;
      this.refused = replica.refused;
      this.lostAccess = replica.lostAccess;
      this.catchingUp = replica.catchingUp;
    };
    this.replicaCleanups.push(replica.subscribe(sync));
    sync();
    await replica.ready;
    if (this.replica !== replica) return; // closed or discarded meanwhile
    const refresh = () => {
      const facts = readJob(replica.doc);
      this.facts = facts.id ? facts : null;
    };
    replica.doc.on('update', refresh);
    this.replicaCleanups.push(() => replica.doc.off('update', refresh));
    // Anything changed on the placeholder before the replica was open is kept.
    const early = this.placeholder;
    this.placeholder = new Y.Doc();
    if (Y.encodeStateVector(early).length > 1) replica.change((d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(early)));
    refresh();
    sync();
    this.loaded = true;
  }

  private detach(): Replica | null {
    for (const c of this.replicaCleanups.splice(0)) c();
    const replica = this.replica;
    this.replica = null;
    return replica;
  }

  /** Notes (and a stuck reason) written here that the server does not have. */
  unsentWriting(): UnsentWriting[] {
    return this.replica?.unsentWriting() ?? [];
  }

  /**
   * Drops this device's edits of the job (after the server refused them) and opens the job
   * again from the server: pending goes to 0, here and after a reload. If the user may no
   * longer open the job, `lostAccess` says so once the server has answered.
   */
  async discardPendingEdits(): Promise<void> {
    const store = this.store;
    const userId = this.userId;
    if (!store || !userId || this.discarding || this.closed) return;
    this.discarding = true;
    // Our reference to the old replica ends with it: the store closes it, no release.
    this.detach();
    this.facts = null;
    this.loaded = false;
    this.pending = 0;
    this.error = null;
    this.refused = false;
    this.lostAccess = false;
    try {
      await store.discardPendingEdits(this.jobId);
    } finally {
      // Re-open whatever happened: a failed discard shows its edits (and the refusal) again.
      this.discarding = false;
      await this.attach(userId);
    }
  }

  /** Applies a job-model operation to the document: stored on the device, then synced. */
  change(op: (doc: Y.Doc) => void): void {
    if (this.discarding) throw new Error('Your changes are being discarded: try again in a moment.');
    if (this.replica?.loaded) this.replica.change(op);
    else if (this.replica) void this.replica.ready.then(() => this.replica?.change(op));
    else op(this.placeholder);
  }

  /** Resolves when every change so far is in IndexedDB. */
  async saved(): Promise<void> {
    await this.replica?.saved();
  }

  close(): void {
    this.closed = true;
    for (const c of this.cleanups.splice(0)) c();
    const replica = this.detach();
    if (replica && this.store) void this.store.release(replica);
  }
}

export function openJob(jobId: string, userId?: string): LiveJob {
  return new LiveJob(jobId, userId);
}

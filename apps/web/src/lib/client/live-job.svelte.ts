/**
 * A job document open in the page: its facts as reactive state, the connection state, the
 * number of local changes the server does not have yet and the time of the last sync.
 *
 * Offline-first: the document is the job's IndexedDB replica (replicas.ts). It opens from the
 * device at once, then syncs; edits land in IndexedDB before they are sent; status is always
 * derived from the merged facts (job-model `deriveStatus`).
 */
import { deriveStatus, progressOf, readJob, type JobFacts, type JobStatus, type Progress } from '@pitboard/job-model';
import * as Y from 'yjs';
import { currentUser, replicaStore, resolveUser } from './account';
import { connectionState, onConnectionState, type ConnectionState } from './connection';
import type { Replica, ReplicaStore } from './replicas';

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
  /** The document reached the device from the server at least once (or came from the replica). */
  private replica: Replica | null = null;
  private store: ReplicaStore | null = null;
  private readonly placeholder = new Y.Doc();
  private readonly cleanups: (() => void)[] = [];
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
    };
    this.cleanups.push(replica.subscribe(sync));
    await replica.ready;
    const refresh = () => {
      const facts = readJob(replica.doc);
      this.facts = facts.id ? facts : null;
    };
    replica.doc.on('update', refresh);
    this.cleanups.push(() => replica.doc.off('update', refresh));
    // Anything changed on the placeholder before the replica was open is kept.
    if (Y.encodeStateVector(this.placeholder).length > 1) replica.change((d) => Y.applyUpdate(d, Y.encodeStateAsUpdate(this.placeholder)));
    refresh();
    sync();
    this.loaded = true;
  }

  /** Applies a job-model operation to the document: stored on the device, then synced. */
  change(op: (doc: Y.Doc) => void): void {
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
    if (this.replica && this.store) void this.store.release(this.replica);
    this.replica = null;
  }
}

export function openJob(jobId: string, userId?: string): LiveJob {
  return new LiveJob(jobId, userId);
}

/**
 * Every replica of one user on this device: opened on demand, reference counted, kept syncing
 * while edits are pending (a mechanic's list too), dropped when of no use offline, and the
 * discard of edits the server refused for good.
 */
import { readJob } from '@pitboard/job-model';
import { dropJobRows, resetJobRows, type LocalDb } from '../db';
import type { Connect } from '../link';
import type { ReplicaHost } from './host';
import { JobListCache } from './list-cache';
import { Replica } from './replica';
import { EditWal } from './wal';

/** A job whose local edits the server refused (for the status bar: where to resolve it). */
export interface RefusedJob {
  jobId: string;
  number: number | null;
  bike: string;
  reason: string;
}

/** Every replica of one user on this device. */
export class ReplicaStore implements ReplicaHost {
  readonly replicas = new Map<string, Replica>();
  private readonly listeners = new Set<() => void>();
  private kept = new Set<string>();
  private notifyQueued = false;
  private readonly discarding = new Map<string, Promise<void>>();

  /** The write-ahead copies of this user's edits (wal.ts). */
  readonly wal: EditWal;
  /** The job list as last seen, for offline use (list-cache.ts). */
  readonly list: JobListCache;

  constructor(
    readonly userId: string,
    readonly db: LocalDb,
    readonly connect: Connect | null
  ) {
    this.wal = new EditWal(userId);
    this.list = new JobListCache(db);
  }

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
      this.wal.clear(jobId);
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

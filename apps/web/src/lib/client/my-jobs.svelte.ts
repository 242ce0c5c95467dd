/**
 * A mechanic's job list: shown from the device at once (IndexedDB), refreshed from
 * `GET /api/jobs` when online and kept live by the inbox's job rows. Every listed job's
 * replica is kept open and syncing; replicas of jobs that left the list (collected, assigned
 * to someone else) are dropped once the server has all their edits.
 */
import { readJob, deriveStatus, type JobFacts, type JobStatus } from '@pitboard/job-model';
import type { JobRowSummary } from './inbox.svelte';
import type { ListedJob } from './replica/list-cache';
import type { Replica } from './replica/replica';
import type { ReplicaStore } from './replica/store';

/**
 * The earliest promise first (the promised time is read from the device's replica, so the
 * order holds offline), then the most urgent: stuck, sent back by QC, in progress, assigned.
 */
function byPromise(a: MyJob, b: MyJob): number {
  const [pa, pb] = [a.facts?.promisedAt, b.facts?.promisedAt];
  if (pa && pb) return pa.localeCompare(pb);
  return pa ? -1 : pb ? 1 : 0;
}

const RANK: Record<string, number> = { stuck: 0, in_progress: 2, assigned: 3, quality_check: 4, intake: 5, ready_for_pickup: 6, collected: 7 };

export interface MyJob extends ListedJob {
  /** Derived from the replica's merged facts when the device has them. */
  status: JobStatus | string;
  qcFailed: boolean;
  facts: JobFacts | null;
}

export function urgency(job: Pick<MyJob, 'status' | 'qcFailed'>): number {
  if (job.status === 'in_progress' && job.qcFailed) return 1;
  return RANK[job.status] ?? 9;
}

export class MyJobs {
  rows = $state<ListedJob[]>([]);
  /** Bumped when any kept replica changes, so derived views re-read the docs. */
  version = $state(0);
  loadedFromDevice = $state(false);
  refreshedAt = $state<Date | null>(null);
  refreshError = $state<string | null>(null);
  /** A listener on each kept replica's doc, with the replica it is on (a discard replaces it). */
  private readonly docListeners = new Map<string, { replica: Replica; off: () => void }>();

  constructor(
    readonly userId: string,
    readonly store: ReplicaStore
  ) {}

  async loadCached(): Promise<void> {
    const cached = await this.store.list.listed();
    if (!this.refreshedAt) this.rows = cached;
    this.loadedFromDevice = true;
    await this.keep();
  }

  /** From the server; offline it keeps what the device has. */
  async refresh(): Promise<void> {
    let res: Response;
    try {
      res = await fetch('/api/jobs', { headers: { accept: 'application/json' } });
    } catch {
      return; // offline
    }
    if (!res.ok) {
      this.refreshError = res.status === 401 ? 'signed out' : `could not load jobs (${res.status})`;
      return;
    }
    const all = (await res.json()) as ListedJob[];
    const mine = all.filter((j) => j.assigneeId === this.userId && j.status !== 'collected');
    this.rows = mine;
    this.refreshedAt = new Date();
    this.refreshError = null;
    await this.store.list.saveList(mine, true);
    await this.keep();
    for (const gone of all.filter((j) => !mine.includes(j))) void this.store.dropIfSynced(gone.id);
  }

  /**
   * The whole list as the inbox's catch-up left it (after any reconnect, of any cause): jobs
   * assigned meanwhile appear, jobs taken away or collected leave.
   */
  async replace(all: JobRowSummary[]): Promise<void> {
    const mine = all.filter((r) => r.assigneeId === this.userId && r.status !== 'collected').map(listed);
    const before = this.rows;
    this.rows = mine;
    this.refreshedAt = new Date();
    this.refreshError = null;
    await this.store.list.saveList(mine, true);
    await this.keep();
    for (const gone of before.filter((r) => !mine.some((m) => m.id === r.id))) void this.store.dropIfSynced(gone.id);
  }

  /** A live row from the inbox. */
  async apply(row: JobRowSummary): Promise<void> {
    const mine = row.assigneeId === this.userId && row.status !== 'collected';
    const rest = this.rows.filter((r) => r.id !== row.id);
    const entry = listed(row);
    this.rows = mine ? [...rest, entry] : rest;
    await this.store.list.saveRow(entry, mine);
    await this.keep();
    if (!mine) void this.store.dropIfSynced(row.id);
  }

  private async keep() {
    const ids = this.rows.map((r) => r.id);
    await this.store.keep(ids);
    for (const id of ids) {
      const replica = this.store.replicas.get(id);
      const known = this.docListeners.get(id);
      if (known?.replica === replica) continue;
      known?.off();
      this.docListeners.delete(id);
      if (!replica) continue;
      const bump = () => this.version++;
      void replica.ready.then(() => {
        if (replica.doc.isDestroyed) return;
        replica.doc.on('update', bump);
        bump();
      });
      this.docListeners.set(id, { replica, off: () => replica.doc.off('update', bump) });
    }
    for (const [id, { off }] of this.docListeners) {
      if (!ids.includes(id)) {
        off();
        this.docListeners.delete(id);
      }
    }
  }

  /** The list, statuses derived from the device's merged facts, most urgent first. */
  view(): MyJob[] {
    void this.version;
    const out: MyJob[] = this.rows.map((row) => {
      const replica = this.store.replicas.get(row.id);
      let facts: JobFacts | null = null;
      if (replica?.loaded) {
        const f = readJob(replica.doc);
        if (f.id) facts = f;
      }
      const status = facts ? deriveStatus(facts) : row.status;
      const lastQc = facts?.qc.at(-1);
      const progress = facts ? { done: facts.items.filter((i) => i.done).length, total: facts.items.length } : row.progress;
      return { ...row, status, progress, qcFailed: !!lastQc && !lastQc.pass, facts, bike: facts?.bike || row.bike, number: facts?.number || row.number };
    });
    return out.sort((a, b) => byPromise(a, b) || urgency(a) - urgency(b) || a.number - b.number);
  }

  destroy(): void {
    for (const { off } of this.docListeners.values()) off();
    this.docListeners.clear();
  }
}

function listed(row: JobRowSummary): ListedJob {
  return { id: row.id, number: row.number, bike: row.bike, status: row.status, progress: row.progress, assigneeId: row.assigneeId, updatedAt: row.updatedAt, stuckReason: row.stuckReason ?? null };
}

const lists = new Map<string, MyJobs>();
export function myJobs(userId: string, store: ReplicaStore): MyJobs {
  let l = lists.get(userId);
  if (!l) {
    l = new MyJobs(userId, store);
    lists.set(userId, l);
  }
  return l;
}

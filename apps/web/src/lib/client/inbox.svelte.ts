/**
 * The signed-in user's inbox (docs/sync.md): notifications live over `inbox:<userId>`, the
 * backlog after the last seen position on every (re)connect, read state across devices, and
 * job rows for boards and lists — live, and caught up after every (re)connect or `resync`
 * (`jobs`, a JobRows store). Reactive with Svelte 5 runes.
 *
 * The notifications and the cursor are kept in the user's IndexedDB database (db.ts), so the
 * inbox shows at once, offline too, and only the backlog after the cursor is fetched.
 */
import type { InboxMessage, InboxRequest, JobSummary } from '@pitboard/job-model';
import * as Y from 'yjs';
import { currentUser, setCurrentUser } from './account';
import { provide } from './connection';
import { localDb, type LocalDb, type StoredNotification } from './db';
import { JobRows } from './job-rows.svelte';
import { liveness } from './liveness.svelte';

/** A notification as the server sends it (docs/api.md), stored as is. */
export type Notification = StoredNotification;

/** A job's list row as the server sends it (one definition: @pitboard/job-model). */
export type JobRowSummary = JobSummary;

type Message = InboxMessage;

export class Inbox {
  notifications = $state<Notification[]>([]);
  unread = $state(0);
  /** True once the live connection has synced (the stats page counts it among live connections). */
  synced = $state(false);
  private cursor = 0;
  private readonly newListeners = new Set<(n: Notification) => void>();
  private readonly jobListeners = new Set<(job: JobRowSummary) => void>();
  private readonly caughtUpListeners = new Set<() => void>();
  /** Job rows as of the last catch-up plus live rows since. */
  readonly jobs = new JobRows();
  /** What the catch-up under way still waits for. */
  private waiting = { jobs: false, backlog: false };
  private provider: ReturnType<typeof provide> | null = null;
  private readonly db: LocalDb;
  /** Resolves when the cached notifications are loaded from the device. */
  readonly loaded: Promise<void>;

  constructor(readonly userId: string) {
    this.db = localDb(userId);
    this.loaded = this.restore();
  }

  private async restore(): Promise<void> {
    try {
      const [cursor, unread, cached] = await Promise.all([
        this.db.kv.get('inbox:cursor'),
        this.db.kv.get('inbox:unread'),
        this.db.notifications.orderBy('createdAt').reverse().limit(200).toArray()
      ]);
      this.cursor = Math.max(this.cursor, Number(cursor?.value ?? 0) || 0);
      if (this.notifications.length === 0) {
        this.notifications = cached;
        if (typeof unread?.value === 'number') this.unread = unread.value;
      } else this.mergeIntoState(cached);
    } catch {
      /* no IndexedDB (private mode): live only */
    }
  }

  start(): void {
    if (this.provider) return;
    liveness.watch();
    this.provider = provide(`inbox:${this.userId}`, new Y.Doc(), {
      // Every (re)connect, of any cause: ask for everything after what this tab has seen.
      onSynced: () => {
        this.synced = true;
        void this.loaded.then(() => this.catchUp());
      },
      onClose: () => liveness.behind(),
      onStateless: ({ payload }: { payload: string }) => this.receive(JSON.parse(payload) as Message)
    });
  }

  /** Asks for the job rows and notifications missed since the cursors; Live once both arrived. */
  private catchUp(): void {
    if (!this.provider) return;
    liveness.behind();
    this.waiting = { jobs: true, backlog: true };
    this.request({ type: 'sync', after: this.cursor, jobsAfter: this.jobs.cursor });
  }

  private request(message: InboxRequest): void {
    this.provider?.sendStateless(JSON.stringify(message));
  }

  private settled(part: 'jobs' | 'backlog'): void {
    if (!this.waiting[part]) return;
    this.waiting[part] = false;
    if (this.waiting.jobs || this.waiting.backlog) return;
    liveness.caughtUpNow();
    for (const l of this.caughtUpListeners) l();
  }

  /** Called after each completed catch-up (a reconnect, a resync): lists and counters re-read. */
  onCaughtUp(listener: () => void): () => void {
    this.caughtUpListeners.add(listener);
    return () => this.caughtUpListeners.delete(listener);
  }

  stop(): void {
    this.provider?.destroy();
    this.provider = null;
  }

  /** Called for each notification that arrives live (not for the backlog): toasts, system notifications. */
  onNew(listener: (n: Notification) => void): () => void {
    this.newListeners.add(listener);
    return () => this.newListeners.delete(listener);
  }

  /** Called with every job row change the server pushes live to this user (catch-ups: onCaughtUp). */
  onJob(listener: (job: JobRowSummary) => void): () => void {
    this.jobListeners.add(listener);
    return () => this.jobListeners.delete(listener);
  }

  async markRead(ids: string[] | 'all'): Promise<void> {
    const res = await fetch('/api/notifications/mark-read', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ids === 'all' ? { all: true } : { ids })
    });
    if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? 'could not mark read');
  }

  private receive(message: Message) {
    if (message.type === 'resync') {
      this.catchUp(); // exactly as after a reconnect
      return;
    }
    if (message.type === 'jobs') {
      // Lists re-read the rows once the whole catch-up is in (onCaughtUp), not row by row.
      if (this.jobs.receive(message)) this.request({ type: 'sync', jobsAfter: this.jobs.cursor });
      if (!message.more) this.settled('jobs');
      return;
    }
    if (message.type === 'job') {
      this.jobs.apply(message.job);
      liveness.heard();
      for (const l of this.jobListeners) l(message.job);
      return;
    }
    if (message.type !== 'backlog') liveness.heard();
    const incoming = message.type === 'notification' ? [message.notification] : message.notifications;
    this.unread = message.unread;
    this.merge(incoming);
    if (message.type === 'notification') for (const l of this.newListeners) l(message.notification);
    if (message.type === 'backlog') {
      if (message.more) this.request({ type: 'sync', after: this.cursor });
      else this.settled('backlog');
    }
  }

  private mergeIntoState(incoming: Notification[]) {
    const byId = new Map(this.notifications.map((n) => [n.id, n]));
    for (const n of incoming) {
      byId.set(n.id, n);
      this.cursor = Math.max(this.cursor, n.seq);
    }
    this.notifications = [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 200);
  }

  private merge(incoming: Notification[]) {
    this.mergeIntoState(incoming);
    const cursor = this.cursor;
    const unread = this.unread;
    void this.db
      .transaction('rw', [this.db.notifications, this.db.kv], async () => {
        if (incoming.length) await this.db.notifications.bulkPut(incoming.map((n) => ({ ...n })));
        await this.db.kv.put({ key: 'inbox:cursor', value: cursor });
        await this.db.kv.put({ key: 'inbox:unread', value: unread });
      })
      .catch(() => undefined);
  }
}

let current: Inbox | null = null;

/** The inbox of the signed-in user (one per tab). Also tells the client who is signed in. */
export function inboxFor(userId: string, user?: { name: string; role: string }): Inbox {
  const known = currentUser();
  if (user || known?.id !== userId) setCurrentUser({ id: userId, name: user?.name ?? '', role: user?.role ?? '' });
  if (current?.userId === userId) return current;
  current?.stop();
  current = new Inbox(userId);
  current.start();
  return current;
}

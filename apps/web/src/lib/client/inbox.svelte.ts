/**
 * The signed-in user's inbox (docs/sync.md): notifications live over `inbox:<userId>`, the
 * backlog after the last seen position on every (re)connect, read state across devices, and
 * live job rows for boards and lists. Reactive with Svelte 5 runes.
 *
 * The notifications and the cursor are kept in the user's IndexedDB database (db.ts), so the
 * inbox shows at once, offline too, and only the backlog after the cursor is fetched.
 */
import * as Y from 'yjs';
import { currentUser, setCurrentUser } from './account';
import { provide } from './connection';
import { localDb, type LocalDb, type StoredNotification } from './db';

/** A notification as the server sends it (docs/api.md), stored as is. */
export type Notification = StoredNotification;

export interface JobRowSummary {
  id: string;
  number: number;
  bike: string;
  status: string;
  progress: { done: number; total: number };
  assigneeId: string | null;
  customerId: string;
  updatedAt: string;
  statusSince: string;
  createdAt: string;
  customerName?: string;
  description?: string;
  stuckReason?: string | null;
}

type Message =
  | { type: 'notification'; notification: Notification; unread: number }
  | { type: 'changed'; notifications: Notification[]; unread: number }
  | { type: 'backlog'; notifications: Notification[]; unread: number; more: boolean }
  | { type: 'job'; job: JobRowSummary }
  | { type: 'resync' };

export class Inbox {
  notifications = $state<Notification[]>([]);
  unread = $state(0);
  /** True once the live connection has synced (the stats page counts it among live connections). */
  synced = $state(false);
  private cursor = 0;
  private readonly newListeners = new Set<(n: Notification) => void>();
  private readonly jobListeners = new Set<(job: JobRowSummary) => void>();
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
    this.provider = provide(`inbox:${this.userId}`, new Y.Doc(), {
      onSynced: () => {
        this.synced = true;
        void this.loaded.then(() => this.provider?.sendStateless(JSON.stringify({ type: 'sync', after: this.cursor })));
      },
      onStateless: ({ payload }: { payload: string }) => this.receive(JSON.parse(payload) as Message)
    });
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

  /** Called with every job row change the server pushes to this user. */
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
    // The server's instance missed messages (its Redis relay was down): ask again from our cursor.
    if (message.type === 'resync') {
      this.provider?.sendStateless(JSON.stringify({ type: 'sync', after: this.cursor }));
      return;
    }
    if (message.type === 'job') {
      for (const l of this.jobListeners) l(message.job);
      return;
    }
    const incoming = message.type === 'notification' ? [message.notification] : message.notifications;
    this.unread = message.unread;
    this.merge(incoming);
    if (message.type === 'notification') for (const l of this.newListeners) l(message.notification);
    if (message.type === 'backlog' && message.more) {
      this.provider?.sendStateless(JSON.stringify({ type: 'sync', after: this.cursor }));
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

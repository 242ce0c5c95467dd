/**
 * Photos taken on this device wait here until the server has them (docs/sync.md, Photos).
 * A photo is written to IndexedDB (its own Dexie database per user, beside the replicas) the
 * moment it is taken, so closing the tab, a flat battery or a dropped Wi-Fi loses nothing;
 * the queue uploads when online, one at a time, oldest first. Each photo carries the id this
 * device gave it as `Idempotency-Key`: a retry after an answer was lost stores no second copy.
 */
import type { NoteVisibility } from '@pitboard/job-model';
import { Dexie, type EntityTable } from 'dexie';

export interface QueuedPhoto {
  /** The photo's id everywhere: here, in the upload's Idempotency-Key, on the server. */
  id: string;
  jobId: string;
  itemId: string | null;
  visibility: NoteVisibility;
  blob: Blob;
  takenAt: string;
  /** Set when the server refused the photo for good (too large, not an image…): kept until removed. */
  error?: string;
}

type PhotoDb = Dexie & { photos: EntityTable<QueuedPhoto, 'id'> };

/**
 * Answers that will not change on a retry: the photo stays, marked, for the user to remove. Not
 * 409: the item the photo shows may be proposed offline too, and its document change can reach the
 * server after the upload is tried ("not an item of this job (yet)"); a later try succeeds.
 */
const FINAL = new Set([400, 403, 404, 413, 415]);
const MAX_BACKOFF_MS = 60_000;

export class PhotoQueue {
  /** Every photo not on the server yet, oldest first (blobs included, for previews). */
  items = $state.raw<QueuedPhoto[]>([]);
  uploading = $state<string | null>(null);
  readonly db: PhotoDb;
  private running = false;
  private backoffMs = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** `send`: how a request reaches the server (the page's own `fetch`; tests pass theirs). */
  constructor(
    readonly userId: string,
    private readonly send: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init)
  ) {
    this.db = new Dexie(`pitboard-photos-${userId}`) as PhotoDb;
    this.db.version(1).stores({ photos: 'id, jobId, takenAt' });
    if (typeof window !== 'undefined') {
      window.addEventListener('online', () => this.kick());
      void this.refresh().then(() => this.kick());
    }
  }

  /** Photos of one job still on this device (waiting, or refused). */
  forJob(jobId: string): QueuedPhoto[] {
    return this.items.filter((p) => p.jobId === jobId);
  }

  get waiting(): number {
    return this.items.filter((p) => !p.error).length;
  }

  /** Keeps the photo on this device first, then tries to upload it. */
  async add(photo: Omit<QueuedPhoto, 'id' | 'takenAt'>): Promise<string> {
    const id = crypto.randomUUID();
    await this.db.photos.add({ ...photo, id, takenAt: new Date().toISOString() });
    await this.refresh();
    this.kick();
    return id;
  }

  /** Forgets a photo that will not be uploaded (a refused one, or one the user took by mistake). */
  async remove(id: string): Promise<void> {
    await this.db.photos.delete(id);
    await this.refresh();
  }

  /** Starts uploading now (after going online, or when asked). */
  kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) void this.run();
  }

  /** Stops retrying and closes the database (tests; a tab's queue lives as long as the tab). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
    if (this.timer) clearTimeout(this.timer);
    this.db.close();
  }

  /** Resolves when nothing is being uploaded (tests; a page never waits on it). */
  async idle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  private async refresh(): Promise<void> {
    this.items = await this.db.photos.orderBy('takenAt').toArray();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        if (typeof navigator !== 'undefined' && navigator.onLine === false) return; // 'online' kicks again
        const next = (await this.db.photos.orderBy('takenAt').toArray()).find((p) => !p.error);
        if (!next) return;
        this.uploading = next.id;
        const outcome = await this.upload(next);
        this.uploading = null;
        if (outcome === 'retry') {
          this.timer = setTimeout(() => this.kick(), this.backoffMs);
          this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
          return;
        }
        this.backoffMs = 1000;
        await this.refresh();
      }
    } finally {
      this.uploading = null;
      this.running = false;
    }
  }

  private async upload(photo: QueuedPhoto): Promise<'done' | 'retry'> {
    const query = new URLSearchParams({ visibility: photo.visibility, ...(photo.itemId ? { itemId: photo.itemId } : {}) });
    let res: Response;
    try {
      res = await this.send(`/api/jobs/${encodeURIComponent(photo.jobId)}/photos?${query}`, {
        method: 'POST',
        headers: { 'content-type': photo.blob.type || 'application/octet-stream', 'idempotency-key': photo.id },
        body: photo.blob
      });
    } catch {
      return 'retry'; // no connection, or it dropped mid-upload: the same id goes again
    }
    if (res.ok) {
      await this.db.photos.delete(photo.id);
      return 'done';
    }
    if (FINAL.has(res.status)) {
      const body = (await res.json().catch(() => ({}))) as { error?: string };
      await this.db.photos.update(photo.id, { error: body.error ?? `the server refused it (HTTP ${res.status})` });
      return 'done';
    }
    return 'retry'; // 401 (signed out), 409 (its item not on the server yet), 429, 5xx: later
  }
}

const queues = new Map<string, PhotoQueue>();

/** The photo queue of a user in this tab (one per user, started on first use). */
export function photoQueue(userId: string): PhotoQueue {
  let queue = queues.get(userId);
  if (!queue) {
    queue = new PhotoQueue(userId);
    queues.set(userId, queue);
  }
  return queue;
}

/**
 * A synchronous write-ahead copy of each local edit in localStorage, removed as soon as the
 * edit is committed to IndexedDB. IndexedDB writes are asynchronous: a tab closed or navigated
 * away within milliseconds of an edit could abort them (seen in Chromium: a full navigation
 * right after a tick lost it). On the next open the replica replays what is left here.
 *
 * Keys: `pitboard:wal:<userId>:<jobId>:<client>:<clock>`, value `{u: base64 update, at}`.
 */
const WAL_PREFIX = 'pitboard:wal:';

/** An edit as the log names it: the Yjs clock its client reached with it. */
export interface WalEdit {
  jobId: string;
  client: number;
  clock: number;
  at: string;
}

/** One edit left in the log, as `replay` hands it back. */
export interface WalEntry {
  client: number;
  clock: number;
  at: string;
  update: Uint8Array;
  /** Removes this entry (the edit is known to be stored, or unreadable). */
  remove(): void;
}

function prefixOf(userId: string, jobId: string) {
  return `${WAL_PREFIX}${userId}:${jobId}:`;
}
function keyOf(userId: string, e: { jobId: string; client: number; clock: number }) {
  return `${prefixOf(userId, e.jobId)}${e.client}:${e.clock}`;
}
function keysOf(ls: Storage, userId: string, jobId: string): string[] {
  const prefix = prefixOf(userId, jobId);
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

/** The write-ahead log of one user's edits on this device. */
export class EditWal {
  constructor(private readonly userId: string) {}

  /** Keeps a copy of an edit's update until `committed` is called for it. */
  write(edit: WalEdit, update: Uint8Array): void {
    try {
      storage()?.setItem(keyOf(this.userId, edit), JSON.stringify({ u: toBase64(update), at: edit.at }));
    } catch {
      /* localStorage full or unavailable: IndexedDB alone */
    }
  }

  /** The edits are in IndexedDB: their copies go. */
  committed(edits: readonly WalEdit[]): void {
    const ls = storage();
    for (const e of edits) ls?.removeItem(keyOf(this.userId, e));
  }

  /** What is left for a job (edits whose IndexedDB write did not finish); unreadable entries are removed. */
  replay(jobId: string): WalEntry[] {
    const ls = storage();
    if (!ls) return [];
    const prefix = prefixOf(this.userId, jobId);
    const out: WalEntry[] = [];
    for (const key of keysOf(ls, this.userId, jobId)) {
      try {
        const [client, clock] = key.slice(prefix.length).split(':').map(Number) as [number, number];
        const { u, at } = JSON.parse(ls.getItem(key) ?? 'null') as { u: string; at: string };
        out.push({ client, clock, at, update: fromBase64(u), remove: () => ls.removeItem(key) });
      } catch {
        ls.removeItem(key);
      }
    }
    return out;
  }

  /** Drops every copy of a job's edits (a discard). */
  clear(jobId: string): void {
    const ls = storage();
    if (ls) for (const key of keysOf(ls, this.userId, jobId)) ls.removeItem(key);
  }
}

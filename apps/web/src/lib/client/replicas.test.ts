/** The replica layer on fake-indexeddb, with an in-memory server behind a fake link. */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { addNote, createJob, deriveStatus, encodeCloseReason, readJob, setItemDone } from '@pitboard/job-model';
import Dexie from 'dexie';
import { closeLocalDbs, dbName, localDb, updatesTable, UPDATES_TABLE } from './db';
import { ReplicaStore, type Replica } from './replicas';
import type { Connect, Link, LinkHooks } from './link';

const MECH = 'mech-1';

// A tiny localStorage for the write-ahead copy of edits (node has none).
const memory = new Map<string, string>();
(globalThis as { localStorage?: Storage }).localStorage ??= {
  get length() {
    return memory.size;
  },
  key: (i: number) => [...memory.keys()][i] ?? null,
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, String(v)),
  removeItem: (k: string) => void memory.delete(k),
  clear: () => memory.clear()
} as Storage;
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = (cond: () => boolean | Promise<boolean>, ms = 3000) => vi.waitUntil(cond, { timeout: ms, interval: 10 });

/** A server: one doc per name, links that can go offline, refuse, and answer SyncStep1. */
class FakeServer {
  docs = new Map<string, Y.Doc>();
  online = true;
  received = 0;
  links = new Set<{ hooks: LinkHooks; doc: Y.Doc; name: string; origin: object; up: boolean }>();
  denied: string | null = null;
  /** Set: every change a client sends is refused with this reason (the document is closed). */
  refusing: string | null = null;
  /** Documents whose links were destroyed with `forget` (nothing they sent may reach us later). */
  forgotten: string[] = [];

  doc(name: string) {
    let d = this.docs.get(name);
    if (!d) {
      d = new Y.Doc();
      this.docs.set(name, d);
    }
    return d;
  }

  private handshake(l: { hooks: LinkHooks; doc: Y.Doc; name: string; origin: object; up: boolean }) {
    if (!this.online) return;
    if (this.denied) return l.hooks.onAuthFailed(this.denied);
    l.up = true;
    l.hooks.onConnected(true);
    l.hooks.onAuthenticated();
    const server = this.doc(l.name);
    // SyncStep1/2 both ways, as the Hocuspocus handshake does.
    Y.applyUpdate(l.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(l.doc)), l.origin);
    l.hooks.onServerState(Y.encodeStateVector(server));
    l.hooks.onSynced();
    if (this.refusing && hasNews(l.doc, server)) return this.refuse(l);
    this.received++;
    Y.applyUpdate(server, Y.encodeStateAsUpdate(l.doc, Y.encodeStateVector(server)));
    l.hooks.onAck();
  }

  private refuse(l: { hooks: LinkHooks; up: boolean }) {
    l.up = false;
    l.hooks.onRefused(this.refusing!);
  }

  connect: Connect = (name, doc, hooks) => {
    const l = { hooks, doc, name, origin: {}, up: false };
    this.links.add(l);
    const server = this.doc(name);
    const fwd = (u: Uint8Array, origin: unknown) => {
      for (const o of this.links) if (o !== l && o.name === name && o.up && origin !== o.origin) Y.applyUpdate(o.doc, u, o.origin);
    };
    server.on('update', fwd);
    queueMicrotask(() => this.handshake(l));
    const link: Link = {
      origin: l.origin,
      send: (u) => {
        if (!this.online || !l.up) return;
        if (this.refusing) return this.refuse(l);
        this.received++;
        Y.applyUpdate(server, u);
        queueMicrotask(() => l.hooks.onAck());
      },
      verify: () => {
        if (this.online && l.up) queueMicrotask(() => l.hooks.onServerState(Y.encodeStateVector(server)));
      },
      destroy: (options) => {
        if (options?.forget) this.forgotten.push(name);
        this.links.delete(l);
        server.off('update', fwd);
      }
    };
    return link;
  };

  setOnline(online: boolean) {
    this.online = online;
    for (const l of this.links) {
      if (!online) {
        l.up = false;
        l.hooks.onConnected(false);
      } else this.handshake(l);
    }
  }
}

/** Whether `doc` has changes `server` lacks (what the client's SyncStep2 would carry). */
function hasNews(doc: Y.Doc, server: Y.Doc): boolean {
  const theirs = Y.decodeStateVector(Y.encodeStateVector(server));
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) if (clock > (theirs.get(client) ?? 0)) return true;
  return false;
}

function seed(server: FakeServer, jobId: string, items = ['Fix brakes', 'True wheel']) {
  createJob(server.doc(`job:${jobId}`), {
    id: jobId,
    number: 1006,
    bike: 'Trek Domane',
    customerId: 'c1',
    customerName: 'Chris',
    items,
    createdAt: new Date().toISOString()
  } as Parameters<typeof createJob>[1]);
  assign(server, jobId);
}
function assign(server: FakeServer, jobId: string) {
  server.doc(`job:${jobId}`).getMap('job').set('assigneeId', MECH);
}

let n = 0;
function freshUser() {
  return `${MECH}-${++n}-${Math.random().toString(36).slice(2)}`;
}

afterEach(() => closeLocalDbs());

describe('replicas', () => {
  it('opens from the server, then from IndexedDB alone (offline)', async () => {
    const server = new FakeServer();
    seed(server, 'j1');
    const user = freshUser();
    let store = new ReplicaStore(user, localDb(user), server.connect);
    let r = store.acquire('j1');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    await r.saved();
    await store.close();
    closeLocalDbs();

    server.setOnline(false);
    store = new ReplicaStore(user, localDb(user), server.connect);
    r = store.acquire('j1');
    await r.ready;
    expect(readJob(r.doc).bike).toBe('Trek Domane');
    expect(deriveStatus(readJob(r.doc))).toBe('assigned');
    await store.close();
  });

  it('says the job is on the device only once its content is in IndexedDB', async () => {
    const server = new FakeServer();
    seed(server, 'j1b');
    const user = freshUser();
    server.setOnline(false);
    let store = new ReplicaStore(user, localDb(user), server.connect);
    let r = store.acquire('j1b');
    await r.ready;
    expect(r.onDevice).toBe(false);
    server.setOnline(true);
    await until(() => r.onDevice);
    // Read what is on disk right now, through a second connection that shares nothing with y-dexie.
    const raw = new Dexie(dbName(user));
    await raw.open();
    const rows = (await raw.table(UPDATES_TABLE).where('k').equals('j1b').toArray()) as { u: Uint8Array }[];
    raw.close();
    const copy = new Y.Doc();
    for (const row of rows) Y.applyUpdateV2(copy, row.u);
    expect(readJob(copy).bike).toBe('Trek Domane');
    expect(readJob(copy).items).toHaveLength(2);
    await store.close();
    closeLocalDbs();

    // Reopened with no network: on the device from the start.
    server.setOnline(false);
    store = new ReplicaStore(user, localDb(user), server.connect);
    r = store.acquire('j1b');
    await r.ready;
    expect(r.onDevice).toBe(true);
    await store.close();
  });

  it('counts offline edits as pending across a reload, and clears them exactly when the server has them', async () => {
    const server = new FakeServer();
    seed(server, 'j2');
    const user = freshUser();
    let store = new ReplicaStore(user, localDb(user), server.connect);
    let r: Replica = store.acquire('j2');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    const [a, b] = readJob(r.doc).items;
    r.change((d) => setItemDone(d, a!.id, true, MECH, new Date().toISOString()));
    r.change((d) => setItemDone(d, b!.id, true, MECH, new Date().toISOString()));
    r.change((d) => addNote(d, { text: 'Offline note', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    // A no-op (already done) is not an edit.
    r.change((d) => setItemDone(d, a!.id, true, MECH, new Date().toISOString()));
    expect(r.pending).toBe(3);
    await r.saved();
    await store.close();
    closeLocalDbs();

    // Reopen offline: the edits and the count are still there.
    store = new ReplicaStore(user, localDb(user), server.connect);
    r = store.acquire('j2');
    await r.ready;
    expect(r.pending).toBe(3);
    expect(readJob(r.doc).notes.map((x) => x.text)).toContain('Offline note');
    expect(readJob(server.doc('job:j2')).notes).toHaveLength(0);

    server.setOnline(true);
    await until(() => r.pending === 0);
    expect(readJob(server.doc('job:j2')).items.every((i) => i.done)).toBe(true);
    expect(readJob(server.doc('job:j2')).notes.map((x) => x.text)).toEqual(['Offline note']);
    expect(r.lastSyncedAt).not.toBeNull();
    await until(async () => (await localDb(user).edits.count()) === 0);
    await store.close();
  });

  it('two replicas edit the same job offline; both edits survive', async () => {
    const server = new FakeServer();
    seed(server, 'j3');
    const u1 = freshUser();
    const u2 = freshUser();
    const s1 = new ReplicaStore(u1, localDb(u1), server.connect);
    const s2 = new ReplicaStore(u2, localDb(u2), server.connect);
    const r1 = s1.acquire('j3');
    const r2 = s2.acquire('j3');
    await Promise.all([r1.ready, r2.ready]);
    await until(() => readJob(r1.doc).items.length === 2 && readJob(r2.doc).items.length === 2);
    server.setOnline(false);
    const [a, b] = readJob(r1.doc).items;
    r1.change((d) => setItemDone(d, a!.id, true, MECH, new Date().toISOString()));
    r2.change((d) => setItemDone(d, b!.id, true, MECH, new Date().toISOString()));
    r2.change((d) => addNote(d, { text: 'from two', authorId: MECH, at: new Date().toISOString(), visibility: 'customer' }));
    server.setOnline(true);
    await until(() => r1.pending === 0 && r2.pending === 0);
    await until(() => readJob(r1.doc).notes.length === 1 && readJob(r1.doc).items.every((i) => i.done));
    const facts = readJob(server.doc('job:j3'));
    expect(facts.items.every((i) => i.done)).toBe(true);
    expect(deriveStatus(readJob(r1.doc))).toBe(deriveStatus(facts));
    expect(deriveStatus(readJob(r2.doc))).toBe(deriveStatus(facts));
    await Promise.all([s1.close(), s2.close()]);
  });

  it('a flaky link: every edit arrives once and the replicas converge', async () => {
    const server = new FakeServer();
    seed(server, 'j4');
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire('j4');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    for (let i = 0; i < 60; i++) {
      if (i % 7 === 0) server.setOnline(!server.online);
      r.change((d) => addNote(d, { text: `note ${i}`, authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
      if (i % 5 === 0) await wait(1);
    }
    server.setOnline(true);
    await until(() => r.pending === 0);
    const texts = readJob(server.doc('job:j4')).notes.map((x) => x.text);
    expect(texts).toHaveLength(60);
    expect(new Set(texts).size).toBe(60);
    expect(Y.encodeStateAsUpdate(server.doc('job:j4'))).toEqual(Y.encodeStateAsUpdate(server.doc('job:j4')));
    expect(Y.encodeStateVector(r.doc)).toEqual(Y.encodeStateVector(server.doc('job:j4')));
    await store.close();
  });

  it('keeps edits while the session is refused, and syncs them after signing in again', async () => {
    const server = new FakeServer();
    seed(server, 'j5');
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire('j5');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'while expired', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    server.denied = encodeCloseReason('session_expired');
    server.setOnline(true);
    await until(() => r.needsSignIn);
    expect(store.needsSignIn).toBe(true);
    expect(r.pending).toBe(1);
    server.denied = null;
    server.setOnline(true);
    await until(() => r.pending === 0);
    expect(r.needsSignIn).toBe(false);
    expect(readJob(server.doc('job:j5')).notes).toHaveLength(1);
    await store.close();
  });

  it('deleting a row deletes its update rows (Dexie 4.4 core), and dropping a replica removes everything', async () => {
    const server = new FakeServer();
    seed(server, 'j6');
    const user = freshUser();
    const db = localDb(user);
    const store = new ReplicaStore(user, db, server.connect);
    const r = store.acquire('j6');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    await r.saved();
    await until(async () => (await updatesTable(db).where('k').equals('j6').count()) > 0);
    await store.release(r);
    // A plain Dexie delete removes the y-dexie update rows too.
    await db.jobs.delete('j6');
    expect(await updatesTable(db).where('k').equals('j6').count()).toBe(0);
    // The store's drop removes row, updates, edits and sync record.
    const again = store.acquire('j6');
    await again.ready;
    await until(() => readJob(again.doc).items.length === 2);
    await again.saved();
    await until(async () => (await updatesTable(db).where('k').equals('j6').count()) > 0);
    await store.release(again);
    expect(await store.dropIfSynced('j6')).toBe(true);
    expect(await updatesTable(db).where('k').equals('j6').count()).toBe(0);
    expect(await db.jobs.get('j6')).toBeUndefined();
  });

  it('does not drop a replica whose edits the server lacks', async () => {
    const server = new FakeServer();
    seed(server, 'j7');
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire('j7');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'unsent', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    await r.saved();
    await store.release(r); // kept: it still has pending edits
    expect(store.replicas.has('j7')).toBe(true);
    expect(await store.dropIfSynced('j7')).toBe(false);
    server.setOnline(true);
    await until(() => r.pending === 0);
    expect(await store.dropIfSynced('j7')).toBe(true);
  });

  it('replays an edit whose IndexedDB write was cut off (tab closed right after the edit)', async () => {
    const server = new FakeServer();
    seed(server, 'j8');
    const user = freshUser();
    let store = new ReplicaStore(user, localDb(user), server.connect);
    let r = store.acquire('j8');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    await r.saved();
    await store.close();
    closeLocalDbs();
    // The lost tab: its edit reached localStorage (synchronous) but not IndexedDB.
    const tab = new Y.Doc();
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(server.doc('job:j8')));
    let lost: Uint8Array | null = null;
    tab.on('update', (u: Uint8Array) => (lost = u));
    addNote(tab, { text: 'cut off', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' });
    const clock = Y.getState(tab.store, tab.clientID);
    localStorage.setItem(`pitboard:wal:${user}:j8:${tab.clientID}:${clock}`, JSON.stringify({ u: Buffer.from(lost!).toString('base64'), at: new Date().toISOString() }));

    server.setOnline(false);
    store = new ReplicaStore(user, localDb(user), server.connect);
    r = store.acquire('j8');
    await r.ready;
    expect(readJob(r.doc).notes.map((n) => n.text)).toEqual(['cut off']);
    expect(r.pending).toBe(1);
    await r.saved();
    expect([...memory.keys()].filter((k) => k.includes(':j8:'))).toEqual([]);
    server.setOnline(true);
    await until(() => r.pending === 0);
    expect(readJob(server.doc('job:j8')).notes.map((n) => n.text)).toEqual(['cut off']);
    await store.close();
  });

  it('drops the replica of a collected job once released and synced', async () => {
    const server = new FakeServer();
    seed(server, 'j9');
    server.doc('job:j9').getMap('job').set('collectedAt', new Date().toISOString());
    const user = freshUser();
    const db = localDb(user);
    const store = new ReplicaStore(user, db, server.connect);
    const r = store.acquire('j9');
    await r.ready;
    await until(() => !!readJob(r.doc).collectedAt);
    await r.saved();
    await store.release(r);
    expect(await db.jobs.get('j9')).toBeUndefined();
    expect(await updatesTable(db).where('k').equals('j9').count()).toBe(0);
  });

  it('caches the job list for offline use', async () => {
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), null);
    const row = { id: 'a', number: 1006, bike: 'Trek Domane', status: 'in_progress', progress: { done: 1, total: 4 }, assigneeId: MECH, updatedAt: 'x' };
    await store.saveList([row, { ...row, id: 'b', number: 1007 }], true);
    expect((await store.listedJobs()).map((j) => j.number).sort()).toEqual([1006, 1007]);
    await store.saveList([row], true);
    expect((await store.listedJobs()).map((j) => j.id)).toEqual(['a']);
  });
});

/** The write-ahead copies left in localStorage for a job. */
function walOf(user: string, jobId: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i);
    if (k?.startsWith(`pitboard:wal:${user}:${jobId}:`)) out.push(k);
  }
  return out;
}

/** An edit of a tab that was closed before IndexedDB had it: only its write-ahead copy is left. */
function cutOffEdit(user: string, jobId: string, base: Y.Doc, text: string) {
  const tab = new Y.Doc();
  Y.applyUpdate(tab, Y.encodeStateAsUpdate(base));
  let lost: Uint8Array | null = null;
  tab.on('update', (u: Uint8Array) => (lost = u));
  addNote(tab, { text, authorId: MECH, at: new Date().toISOString(), visibility: 'internal' });
  const clock = Y.getState(tab.store, tab.clientID);
  localStorage.setItem(`pitboard:wal:${user}:${jobId}:${tab.clientID}:${clock}`, JSON.stringify({ u: Buffer.from(lost!).toString('base64'), at: new Date().toISOString() }));
}

const noteTexts = (doc: Y.Doc) => readJob(doc).notes.map((x) => x.text);

describe('refused edits', () => {
  it('stay pending across a reload; discarding drops them for good and the job opens again as the server has it', async () => {
    const server = new FakeServer();
    seed(server, 'r1');
    const user = freshUser();
    const db = localDb(user);
    let store = new ReplicaStore(user, db, server.connect);
    await store.saveList([{ id: 'r1', number: 1006, bike: 'Trek Domane', status: 'assigned', progress: { done: 0, total: 2 }, assigneeId: MECH, updatedAt: 'x' }], true);
    let r = store.acquire('r1');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    const [a] = readJob(r.doc).items;
    r.change((d) => setItemDone(d, a!.id, true, MECH, new Date().toISOString()));
    r.change((d) => addNote(d, { text: 'Refused note', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    await r.saved();
    const refusedClient = r.doc.clientID;
    // Meanwhile the workshop moves on, and the server will not take this device's edits.
    addNote(server.doc('job:r1'), { text: 'From the manager', authorId: 'mgr', at: new Date().toISOString(), visibility: 'internal' });
    server.refusing = encodeCloseReason('not_allowed', 'not allowed to change items: rule P2');
    server.setOnline(true);
    await until(() => r.refused);
    expect(r.error).toBe('not allowed to change items: rule P2');
    expect(r.needsSignIn).toBe(false);
    expect(r.pending).toBe(2);
    expect(r.unsentWriting()).toEqual([{ kind: 'note', text: 'Refused note' }]);
    expect(store.refusedJobs()).toEqual([{ jobId: 'r1', number: 1006, bike: 'Trek Domane', reason: 'not allowed to change items: rule P2' }]);
    // Released by every screen: still open and counted (the status bar leads back to it).
    await store.release(r);
    expect(store.pending).toBe(2);
    await store.close();
    closeLocalDbs();

    // A reload: the refused edits are still pending, and refused again.
    store = new ReplicaStore(user, localDb(user), server.connect);
    expect(await store.resumePending()).toEqual(['r1']);
    r = store.replicas.get('r1')!;
    await until(() => r.refused);
    expect(r.pending).toBe(2);
    expect(noteTexts(r.doc).sort()).toEqual(['From the manager', 'Refused note']);
    // A write of this job still in flight in localStorage when the user discards.
    cutOffEdit(user, 'r1', server.doc('job:r1'), 'Also refused');
    expect(walOf(user, 'r1')).toHaveLength(1);

    server.refusing = null; // the server only ever refused those edits, not the job
    await store.discardPendingEdits('r1');
    // The link that carried the refused edits is told to forget them (a real one renews its socket).
    expect(server.forgotten).toEqual(['job:r1']);
    expect(store.pending).toBe(0);
    expect(store.refusedJobs()).toEqual([]);
    expect(walOf(user, 'r1')).toEqual([]);
    expect(await localDb(user).edits.where('jobId').equals('r1').count()).toBe(0);
    // Still on the user's list (offline too).
    expect((await store.listedJobs()).map((j) => j.id)).toEqual(['r1']);
    // It was kept (resumed after the reload): its new replica opens from the server's state.
    const fresh = store.replicas.get('r1')!;
    expect(fresh).not.toBe(r);
    await fresh.ready;
    await until(() => noteTexts(fresh.doc).includes('From the manager'));
    expect(fresh.doc.clientID).not.toBe(refusedClient);
    expect(noteTexts(fresh.doc)).toEqual(['From the manager']);
    expect(readJob(fresh.doc).items.every((i) => !i.done)).toBe(true);
    expect(fresh.pending).toBe(0);
    expect(fresh.refused).toBe(false);
    expect(noteTexts(server.doc('job:r1'))).toEqual(['From the manager']);
    await fresh.saved();
    await until(() => fresh.onDevice);
    await store.close();
    closeLocalDbs();

    // Another reload, offline: nothing pending, nothing to resume, the server's job on the device.
    server.setOnline(false);
    store = new ReplicaStore(user, localDb(user), server.connect);
    expect(await store.resumePending()).toEqual([]);
    const reopened = store.acquire('r1');
    await reopened.ready;
    expect(reopened.pending).toBe(0);
    expect(store.pending).toBe(0);
    expect(noteTexts(reopened.doc)).toEqual(['From the manager']);
    expect(readJob(reopened.doc).items.every((i) => !i.done)).toBe(true);
    await store.close();
  });

  it('a close that passes (the rate limit) is not a refusal: no error, nothing to discard, and the edits sync once the job opens again', async () => {
    const server = new FakeServer();
    seed(server, 'r3');
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire('r3');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.refusing = encodeCloseReason('rate_limited');
    const [a] = readJob(r.doc).items;
    r.change((d) => setItemDone(d, a!.id, true, MECH, new Date().toISOString()));
    await until(() => r.catchingUp);
    expect(r.error).toBeNull();
    expect(r.refused).toBe(false);
    expect(store.refusedJobs()).toEqual([]);
    expect(r.pending).toBe(1);
    // The link opens the document again (here: the fake's handshake); the edit goes with it.
    server.refusing = null;
    server.setOnline(false);
    server.setOnline(true);
    await until(() => r.pending === 0);
    expect(r.catchingUp).toBe(false);
    expect(readJob(server.doc('job:r3')).items[0]!.done).toBe(true);
    await store.close();
  });

  it('a job reassigned while offline: its edits are refused (not a session problem); after the discard the job is gone from the device', async () => {
    const server = new FakeServer();
    seed(server, 'r2');
    const user = freshUser();
    const db = localDb(user);
    let store = new ReplicaStore(user, db, server.connect);
    const r = store.acquire('r2');
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'Written for nothing', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    await r.saved();
    server.doc('job:r2').getMap('job').set('assigneeId', 'mech-2');
    server.denied = encodeCloseReason('not_assigned');
    server.setOnline(true);
    await until(() => !!r.error);
    // "assigned" contains "sign": this must not ask the user to sign in again.
    expect(r.needsSignIn).toBe(false);
    expect(store.needsSignIn).toBe(false);
    expect(r.refused).toBe(true);
    expect(r.lostAccess).toBe(true);
    expect(r.pending).toBe(1);

    await store.discardPendingEdits('r2');
    expect(store.pending).toBe(0);
    const again = store.acquire('r2');
    await again.ready;
    await until(() => again.lostAccess);
    expect(again.pending).toBe(0);
    expect(again.refused).toBe(false);
    expect(readJob(again.doc).id).toBeFalsy();
    // Nothing left to keep: released, the replica of a job the user may not open is dropped.
    await store.release(again);
    expect(store.replicas.has('r2')).toBe(false);
    expect(await db.jobs.get('r2')).toBeUndefined();
    expect(await updatesTable(db).where('k').equals('r2').count()).toBe(0);
    await store.close();
    closeLocalDbs();

    store = new ReplicaStore(user, localDb(user), server.connect);
    expect(await store.resumePending()).toEqual([]);
    expect(store.pending).toBe(0);
    await store.close();
  });

  it('a replica acquired while the discard runs starts from a new document, never from the refused one', async () => {
    const server = new FakeServer();
    seed(server, 'r3');
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    await store.keep(['r3']); // on the list: kept open and syncing
    const r = store.replicas.get('r3')!;
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'Refused note', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    server.refusing = encodeCloseReason('not_allowed', 'not allowed to change notes: rule P3');
    server.setOnline(true);
    await until(() => r.refused);
    server.refusing = null;

    // The job screen opens the job again at once (say, a second tap) while the discard runs. Also
    // pins db.ts's `cache: 'disabled'`: Dexie's liveQuery cache served this fresh replica's
    // y-dexie load the dropped update rows.
    const discarding = store.discardPendingEdits('r3');
    const screen = store.acquire('r3');
    expect(screen.doc).not.toBe(r.doc);
    await discarding;
    await screen.ready;
    await until(() => readJob(screen.doc).items.length === 2);
    expect(noteTexts(screen.doc)).toEqual([]);
    expect(screen.pending).toBe(0);
    // One replica for the list and the screen: releasing the screen keeps the list's.
    expect(store.replicas.get('r3')).toBe(screen);
    expect(screen.refs).toBe(2);
    await store.release(screen);
    expect(store.replicas.get('r3')).toBe(screen);
    // The old holder's late release changes nothing.
    await store.release(r);
    expect(store.replicas.get('r3')).toBe(screen);
    expect(screen.refs).toBe(1);
    await store.close();
  });
});

/**
 * The server's words are for people and may change (another wording, another language): what the
 * replica does follows the reason's code (protocol.ts), never its text.
 */
describe('renamed server messages', () => {
  async function refusedWith(how: 'denied' | 'refusing', reason: string) {
    const server = new FakeServer();
    const jobId = `w${Math.random().toString(36).slice(2, 8)}`;
    seed(server, jobId);
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire(jobId);
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'offline note', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    await r.saved();
    server[how] = reason;
    server.setOnline(true);
    await until(() => !!r.error || r.catchingUp || r.needsSignIn);
    const seen = { error: r.error, needsSignIn: r.needsSignIn, lostAccess: r.lostAccess, refused: r.refused, catchingUp: r.catchingUp };
    await store.close();
    return seen;
  }

  it('a session that ended, in other words (even without "session" or "signed in"), asks to sign in again', async () => {
    expect(await refusedWith('denied', encodeCloseReason('session_expired', 'Bitte melde dich erneut an'))).toEqual({
      error: 'Bitte melde dich erneut an',
      needsSignIn: true,
      lostAccess: false,
      refused: false,
      catchingUp: false
    });
    expect((await refusedWith('refusing', encodeCloseReason('session_ended', 'logged out elsewhere'))).needsSignIn).toBe(true);
  });

  it('a job taken away, in other words, is lost access — not a session problem', async () => {
    expect(await refusedWith('denied', encodeCloseReason('not_assigned', 'Dieser Auftrag gehört jetzt jemand anderem'))).toEqual({
      error: 'Dieser Auftrag gehört jetzt jemand anderem',
      needsSignIn: false,
      lostAccess: true,
      refused: true,
      catchingUp: false
    });
    expect((await refusedWith('refusing', encodeCloseReason('reassigned', 'moved to Ana'))).lostAccess).toBe(true);
  });

  it('a passing close, in other words, opens again by itself: no error', async () => {
    expect(await refusedWith('refusing', encodeCloseReason('rate_limited', 'Langsamer, bitte'))).toEqual({
      error: null,
      needsSignIn: false,
      lostAccess: false,
      refused: false,
      catchingUp: true
    });
  });

  it('words alone decide nothing: a refusal whose text says "session" or "assigned to someone else" is still a refusal', async () => {
    expect(await refusedWith('refusing', encodeCloseReason('not_allowed', 'session token: not signed in, assigned to someone else, slow down'))).toEqual({
      error: 'session token: not signed in, assigned to someone else, slow down',
      needsSignIn: false,
      lostAccess: false,
      refused: true,
      catchingUp: false
    });
    // A reason with no code (an older server) is shown as it is and waits for the user; a
    // code this client does not know is judged by its close code.
    expect((await refusedWith('refusing', 'too many messages: slow down')).refused).toBe(true);
    expect((await refusedWith('refusing', '4401 from_a_newer_server: please sign in')).needsSignIn).toBe(true);
  });
});

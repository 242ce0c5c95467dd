/** A replica on fake-indexeddb, with an in-memory server behind a fake link: open, edit offline, count, replay, cache. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, deriveStatus, encodeCloseReason, readJob, setItemDone } from '@pitboard/job-model';
import Dexie from 'dexie';
import { closeLocalDbs, dbName, localDb, updatesTable, UPDATES_TABLE } from '../db';
import type { Replica } from './replica';
import { ReplicaStore } from './store';
import { FakeServer, MECH, freshUser, memory, seed, until, wait } from './fake-server';

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
    await store.list.saveList([row, { ...row, id: 'b', number: 1007 }], true);
    expect((await store.list.listed()).map((j) => j.number).sort()).toEqual([1006, 1007]);
    await store.list.saveList([row], true);
    expect((await store.list.listed()).map((j) => j.id)).toEqual(['a']);
  });
});

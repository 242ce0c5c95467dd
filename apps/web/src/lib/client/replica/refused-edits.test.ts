/** Edits the server refuses for good: they stay pending until discarded, and a discard is final. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addNote, encodeCloseReason, readJob, setItemDone } from '@pitboard/job-model';
import { closeLocalDbs, localDb, updatesTable } from '../db';
import { ReplicaStore } from './store';
import { FakeServer, MECH, cutOffEdit, freshUser, noteTexts, seed, until, walOf } from './fake-server';

describe('refused edits', () => {
  it('stay pending across a reload; discarding drops them for good and the job opens again as the server has it', async () => {
    const server = new FakeServer();
    seed(server, 'r1');
    const user = freshUser();
    const db = localDb(user);
    let store = new ReplicaStore(user, db, server.connect);
    await store.list.saveList([{ id: 'r1', number: 1006, bike: 'Trek Domane', status: 'assigned', progress: { done: 0, total: 2 }, assigneeId: MECH, updatedAt: 'x' }], true);
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
    expect((await store.list.listed()).map((j) => j.id)).toEqual(['r1']);
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


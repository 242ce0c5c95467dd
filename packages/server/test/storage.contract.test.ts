/**
 * The Storage contract, run against every implementation: SQLite always, PostgreSQL when
 * TEST_DATABASE_URL is set (.ci/run sets it).
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage, type Storage, type JobRow } from '../src/storage/index.js';
import { openTestStorage, tempDir, testDatabase } from './helpers/server.js';

const targets: [string, () => Promise<Storage>][] = [['sqlite', () => openStorage({ databaseUrl: null, dataDir: tempDir() })]];
if (process.env.TEST_DATABASE_URL) targets.push(['postgres', async () => openTestStorage(await testDatabase())]);

const uid = () => Math.random().toString(36).slice(2, 12);

describe.each(targets)('storage contract: %s', (_name, open) => {
  let s: Storage;
  beforeAll(async () => {
    s = await open();
  });
  afterAll(() => s.close());

  it('a document is its snapshot plus its log, and compaction keeps what the snapshot lacks', async () => {
    const name = `job:${uid()}`;
    expect(await s.loadDocument(name)).toBeNull();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getMap('job').set('bike', 'A');
    doc.getMap('job').set('bike', 'B');
    for (const u of updates) await s.appendUpdate(name, u);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await s.loadDocument(name))!);
    expect(loaded.getMap('job').get('bike')).toBe('B');

    // Snapshot taken now; one more update is logged after it.
    const snapshot = Y.snapshot(doc);
    const state = Y.encodeStateAsUpdate(doc);
    doc.getMap('job').set('bike', 'C');
    await s.appendUpdate(name, updates.at(-1)!);
    await s.compactDocument(name, state, (u) => Y.snapshotContainsUpdate(snapshot, u));
    expect(await s.countLoggedUpdates(name)).toBe(1);
    const again = new Y.Doc();
    Y.applyUpdate(again, (await s.loadDocument(name))!);
    expect(again.getMap('job').get('bike')).toBe('C');
  });

  it('an older compaction never replaces a newer snapshot with less', async () => {
    const name = `job:${uid()}`;
    const doc = new Y.Doc();
    doc.getMap('job').set('bike', 'A');
    const older = Y.encodeStateAsUpdate(doc);
    doc.getArray('notes').push(['only in the newer state']);
    const newer = Y.encodeStateAsUpdate(doc);
    await s.compactDocument(name, newer, () => true);
    await s.compactDocument(name, older, () => true); // arrives late
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await s.loadDocument(name))!);
    expect(loaded.getArray('notes').toArray()).toEqual(['only in the newer state']);
  });

  it('a load concurrent with compactions always sees every update', async () => {
    const name = `job:${uid()}`;
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 40; i++) {
      doc.getArray('notes').push([`n${i}`]);
      await s.appendUpdate(name, updates.at(-1)!);
      const snapshot = Y.snapshot(doc);
      const state = Y.encodeStateAsUpdate(doc);
      const [, loadedState] = await Promise.all([
        s.compactDocument(name, state, (u) => Y.snapshotContainsUpdate(snapshot, u)),
        s.loadDocument(name)
      ]);
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, loadedState!);
      expect(loaded.getArray('notes').length, `round ${i}`).toBe(i + 1);
    }
  });

  it('users: create, find by id and by email (case-insensitive), list by role, unique email', async () => {
    const id = uid();
    const email = `${id}@x.dev`;
    await s.createUser({ id, email, name: 'Z', role: 'mechanic', passwordHash: 'h', createdAt: new Date().toISOString() });
    expect(await s.getUserById(id)).toMatchObject({ id, email, role: 'mechanic', passwordHash: 'h' });
    expect((await s.getUserByEmail(email.toUpperCase()))?.id).toBe(id);
    expect((await s.listUsers('mechanic')).map((u) => u.id)).toContain(id);
    expect((await s.listUsers('manager')).map((u) => u.id)).not.toContain(id);
    await expect(s.createUser({ id: uid(), email, name: 'Y', role: 'manager', passwordHash: null, createdAt: '' })).rejects.toThrow();
  });

  it('sessions: create, read with user, touch, delete one, delete all of a user', async () => {
    const userId = uid();
    await s.createUser({ id: userId, email: `${userId}@x.dev`, name: 'U', role: 'customer', passwordHash: null, createdAt: '' });
    const hash = new Uint8Array([1, 2, 3, 255]);
    await s.createSession({ id: `a${userId}`, userId, secretHash: hash, createdAt: 't0', lastVerifiedAt: 't0' });
    await s.createSession({ id: `b${userId}`, userId, secretHash: hash, createdAt: 't0', lastVerifiedAt: 't0' });
    const got = await s.getSession(`a${userId}`);
    expect(got?.user.id).toBe(userId);
    expect(Array.from(got!.session.secretHash)).toEqual([1, 2, 3, 255]);
    await s.touchSession(`a${userId}`, 't1');
    expect((await s.getSession(`a${userId}`))?.session.lastVerifiedAt).toBe('t1');
    await s.deleteSession(`a${userId}`);
    expect(await s.getSession(`a${userId}`)).toBeNull();
    await s.deleteUserSessions(userId);
    expect(await s.getSession(`b${userId}`)).toBeNull();
  });

  it('jobs: numbers increase; row and first state are stored together; filters; saveJob', async () => {
    const customerId = uid();
    await s.createUser({ id: customerId, email: `${customerId}@x.dev`, name: 'C', role: 'customer', passwordHash: null, createdAt: '' });
    const make = (id: string) => (n: number) => ({
      row: { id, number: n, bike: 'B', description: '', customerId, customerName: 'C', assigneeId: null, status: 'intake', itemsDone: 0, itemsTotal: 1, stuckReason: null, createdAt: 't', updatedAt: 't', statusSince: 't', collectedAt: null, seq: 0, promisedAt: null, clock: [], total: 0, serial: '', customerPhone: '' } satisfies JobRow,
      documentName: `job:${id}`,
      update: new Uint8Array([0, 0])
    });
    const a = await s.createJob(make(uid()));
    const b = await s.createJob(make(uid()));
    expect(b.number).toBe(a.number + 1);
    expect(await s.countLoggedUpdates(`job:${a.id}`)).toBe(0);
    expect(await s.loadDocument(`job:${a.id}`)).toEqual(new Uint8Array([0, 0]));
    await s.saveJob({ ...b, status: 'collected' });
    expect((await s.getJob(b.id))?.status).toBe('collected');
    const active = await s.listJobs({ customerId, activeOnly: true });
    expect(active.map((j) => j.id)).toEqual([a.id]);
    expect((await s.listJobs({ customerId, status: 'collected' })).map((j) => j.id)).toEqual([b.id]);
    // A failing build stores nothing.
    await expect(s.createJob(() => { throw new Error('bad input'); })).rejects.toThrow('bad input');
  });

  it('job rows: every save takes the next seq; afterSeq lists what changed after a cursor, in order', async () => {
    const customerId = uid();
    await s.createUser({ id: customerId, email: `${customerId}@x.dev`, name: 'C', role: 'customer', passwordHash: null, createdAt: '' });
    const make = (id: string) => (n: number) => ({
      row: { id, number: n, bike: 'B', description: '', customerId, customerName: 'C', assigneeId: null, status: 'intake', itemsDone: 0, itemsTotal: 1, stuckReason: null, createdAt: 't', updatedAt: 't', statusSince: 't', collectedAt: null, seq: 0, promisedAt: null, clock: [], total: 0, serial: '', customerPhone: '' } satisfies JobRow,
      documentName: `job:${id}`,
      update: new Uint8Array([0, 0])
    });
    const a = await s.createJob(make(uid()));
    const b = await s.createJob(make(uid()));
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(await s.lastJobSeq()).toBe(b.seq);
    const cursor = await s.lastJobSeq();
    const [b2, a2] = await s.saveJobs([{ ...b, itemsDone: 1 }, { ...a, status: 'collected' }]);
    expect(a2!.seq).toBeGreaterThan(cursor);
    expect(b2!.seq).toBeGreaterThan(cursor);
    expect((await s.getJob(a.id))?.seq).toBe(a2!.seq);
    const after = (await s.listJobs({ customerId, afterSeq: cursor })).map((j) => [j.id, j.seq]);
    expect(after).toEqual([[a2!.id, a2!.seq], [b2!.id, b2!.seq]].sort((x, y) => Number(x[1]) - Number(y[1])));
    const b3 = await s.saveJob({ ...b2!, itemsDone: 0 });
    expect(b3.seq).toBeGreaterThan(Math.max(a2!.seq, b2!.seq));
    expect((await s.listJobs({ customerId, afterSeq: Math.max(a2!.seq, b2!.seq) })).map((j) => j.id)).toEqual([b.id]);
    expect(await s.lastJobSeq()).toBe(b3.seq);
  });

  it('share links: create, find by hash, list, revoke once', async () => {
    const customerId = uid();
    await s.createUser({ id: customerId, email: `${customerId}@x.dev`, name: 'C', role: 'customer', passwordHash: null, createdAt: '' });
    const jobId = uid();
    await s.createJob((n) => ({
      row: { id: jobId, number: n, bike: 'B', description: '', customerId, customerName: 'C', assigneeId: null, status: 'intake', itemsDone: 0, itemsTotal: 1, stuckReason: null, createdAt: 't', updatedAt: 't', statusSince: 't', collectedAt: null, seq: 0, promisedAt: null, clock: [], total: 0, serial: '', customerPhone: '' },
      documentName: `job:${jobId}`,
      update: new Uint8Array([0, 0])
    }));
    const hash = uid() + uid();
    await s.createShareLink({ id: 'l' + jobId, jobId, tokenHash: hash, createdBy: 'm', createdAt: 't', expiresAt: null, revokedAt: null });
    expect((await s.getShareLinkByHash(hash))?.jobId).toBe(jobId);
    expect(await s.listShareLinks(jobId)).toHaveLength(1);
    expect(await s.revokeShareLink(jobId, 'l' + jobId, 't2')).toBe(true);
    expect(await s.revokeShareLink(jobId, 'l' + jobId, 't3')).toBe(false);
    expect((await s.getShareLinkByHash(hash))?.revokedAt).toBe('t2');
  });
});

/**
 * A tampered client writing what its role may not (docs/product.md permission table; SPEC P1–P7):
 * the update is refused before it is applied — never broadcast, never stored.
 */
import { jobMap, itemsArray, qcArray, readJob, setItemDone, stuckMap, notesArray } from '@pitboard/job-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, waitFor, type Client, type TestServer, type TestUser } from './helpers/server.js';

describe('sync: the server enforces the permission table', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let jobId: string;
  let boss: Client;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  beforeEach(async () => {
    const r = await api(t.url, manager.token).post('/api/jobs', {
      bike: 'Kona Sutra',
      customer: { name: 'Lee' },
      items: ['Brakes', 'Gears'],
      mechanicId: mechanic.id
    });
    jobId = r.body.id;
    boss?.close();
    boss = await connect(t.wsUrl, `job:${jobId}`, manager.token);
  });

  /** Makes the tampered write, then proves it reached neither the manager nor storage. */
  async function expectRefused(write: (doc: Y.Doc) => void, reason: RegExp) {
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    const before = JSON.stringify({ ...readJob(boss.doc), description: '' });
    write(m.doc);
    await waitFor(() => m.closes.length > 0, 3000, 'the server to close the document');
    expect(m.closes[0]!.reason).toMatch(reason);
    expect(m.closes[0]!.why).toBe('not_allowed');
    m.close();
    // A legitimate later change still flows, so the refused one would have arrived by now.
    const ok = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    ok.doc.getMap('job').set('description', 'checked');
    await ok.settled();
    await waitFor(() => readJob(boss.doc).description === 'checked', 3000, 'the legit change');
    ok.close();
    const afterBoss = { ...readJob(boss.doc), description: '' };
    expect(JSON.stringify(afterBoss)).toBe(before);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await t.pitboard.storage.loadDocument(`job:${jobId}`))!);
    expect(JSON.stringify({ ...readJob(stored), description: '' })).toBe(before);
    await t.pitboard.projector.idle();
  }

  it('P3: a mechanic writing the assignee is refused', async () => {
    await expectRefused((d) => jobMap(d).set('assigneeId', 'someone-else'), /job\.assigneeId/);
  });

  it('P3: a mechanic writing a QC result is refused', async () => {
    await expectRefused((d) => {
      const entry = new Y.Map<unknown>();
      entry.set('pass', true);
      entry.set('by', mechanic.id);
      entry.set('at', new Date().toISOString());
      qcArray(d).push([entry]);
    }, /qc/);
  });

  it('P3: a mechanic marking the job collected is refused', async () => {
    await expectRefused((d) => jobMap(d).set('collectedAt', new Date().toISOString()), /job\.collectedAt/);
  });

  it('P4: a mechanic adding an item or renaming one is refused', async () => {
    await expectRefused((d) => {
      const item = new Y.Map<unknown>();
      item.set('id', 'x');
      item.set('title', 'Free upgrade');
      item.set('done', false);
      itemsArray(d).push([item]);
    }, /items/);
    await expectRefused((d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', 'Nothing'), /items/);
  });

  it('P4: a mechanic ticking an item in someone else’s name is refused', async () => {
    await expectRefused((d) => setItemDone(d, readJob(d).items[0]!.id, true, 'someone-else', new Date().toISOString()), /items/);
  });

  it('P5: a mechanic deleting a note is refused', async () => {
    const n = new Y.Map<unknown>();
    Object.entries({ id: 'n1', text: 'manager note', authorId: manager.id, at: new Date().toISOString(), visibility: 'internal' }).forEach(
      ([k, v]) => n.set(k, v)
    );
    notesArray(boss.doc).push([n]);
    await boss.settled();
    await expectRefused((d) => notesArray(d).delete(0, 1), /notes/);
  });

  it('P6: a mechanic resolving stuck is refused', async () => {
    const r = await api(t.url, mechanic.token).post(`/api/mechanic/repair/${jobId}/stuck`, { reason: 'No parts' });
    expect(r.status).toBe(200);
    await waitFor(() => readJob(boss.doc).stuck?.open === true, 3000, 'stuck to arrive');
    await expectRefused((d) => stuckMap(d).set('open', false), /stuck/);
  });

  it('P1: content in an unknown root is refused', async () => {
    await expectRefused((d) => d.getMap('evil').set('x', 1), /evil|root/);
  });

  it('allows what the assigned mechanic may do: tick, note, report stuck', async () => {
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    setItemDone(m.doc, readJob(m.doc).items[0]!.id, true, mechanic.id, new Date().toISOString());
    await m.settled();
    await waitFor(() => readJob(boss.doc).items[0]!.done, 3000, 'tick to arrive');
    expect(m.closes).toEqual([]);
    m.close();
  });

  it('a manager may change any fact', async () => {
    jobMap(boss.doc).set('bike', 'Kona Sutra LTD');
    await boss.settled();
    await waitFor(async () => (await t.pitboard.storage.getJob(jobId))?.bike === 'Kona Sutra LTD', 3000, 'read model');
    expect(boss.closes).toEqual([]);
  });
});

import { addNote, readJob, setItemDone } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

describe('sync: clients on one job', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let jobId: string;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    const created = await api(t.url, manager.token).post('/api/jobs', {
      bike: 'Trek 520',
      customer: { name: 'Kim' },
      items: ['Brakes', 'Gears', 'Chain'],
      mechanicId: mechanic.id
    });
    expect(created.status).toBe(201);
    jobId = created.body.id;
  });
  afterAll(() => t.stop());

  it('two clients see each other’s edits, and a third joining later gets everything', async () => {
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    const boss = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    expect(readJob(m.doc).bike).toBe('Trek 520');
    const [brakes, gears] = readJob(m.doc).items;

    setItemDone(m.doc, brakes!.id, true, mechanic.id, new Date().toISOString());
    await waitFor(() => readJob(boss.doc).items[0]!.done, 3000, 'manager sees the tick');

    addNote(boss.doc, { text: 'Use the blue pads', authorId: manager.id, at: new Date().toISOString(), visibility: 'internal' });
    await waitFor(() => readJob(m.doc).notes.length === 1, 3000, 'mechanic sees the note');

    setItemDone(m.doc, gears!.id, true, mechanic.id, new Date().toISOString());
    await m.settled();
    await boss.settled();

    const late = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    const facts = readJob(late.doc);
    expect(facts.items.filter((i) => i.done).map((i) => i.title)).toEqual(['Brakes', 'Gears']);
    expect(facts.notes.map((n) => n.text)).toEqual(['Use the blue pads']);
    for (const c of [m, boss, late]) c.close();
  });

  it('the read model follows every accepted change', async () => {
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    for (const item of readJob(m.doc).items) setItemDone(m.doc, item.id, true, mechanic.id, new Date().toISOString());
    await m.settled();
    await waitFor(async () => (await t.pitboard.storage.getJob(jobId))?.status === 'quality_check', 3000, 'read model status');
    const row = await t.pitboard.storage.getJob(jobId);
    expect(row).toMatchObject({ itemsDone: 3, itemsTotal: 3, assigneeId: mechanic.id });
    m.close();
  });
});

/**
 * Issue 10, class 6 (docs/security.md): documents that make every later update expensive
 * (20,000 tiny notes cost 130–300 ms of server CPU per tick). Budgets per job — notes, items,
 * total size (JOB_MAX_NOTES, JOB_MAX_ITEMS, JOB_MAX_BYTES) — are enforced when an update is
 * admitted: over a budget it is refused with the reason (4413), and nothing of it is stored.
 */
import { itemsArray, notesArray, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

const BUDGET = { maxNotes: 5, maxItems: 4, maxBytes: 64 * 1024 };

function entry(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(values)) map.set(k, v);
  return map;
}

describe('security class 6: budgets per job, at admission', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;

  beforeAll(async () => {
    t = await startTestServer({ config: { jobBudget: BUDGET } });
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  async function newJob(items: string[]) {
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'Budget', customer: { name: 'Bo' }, items, mechanicId: mechanic.id });
    return r.body.id as string;
  }

  async function stored(jobId: string) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await t.pitboard.storage.loadDocument(`job:${jobId}`))!);
    return doc;
  }

  it('the defaults and the settings', () => {
    expect(loadConfig({}).jobBudget).toEqual({ maxNotes: 1000, maxItems: 100, maxBytes: 4 * 1024 * 1024 });
    expect(loadConfig({ JOB_MAX_NOTES: '10', JOB_MAX_ITEMS: '3', JOB_MAX_BYTES: '5000' }).jobBudget).toEqual({ maxNotes: 10, maxItems: 3, maxBytes: 5000 });
  });

  it('a note beyond JOB_MAX_NOTES is refused over the socket with the reason; nothing of it is stored or relayed', async () => {
    const jobId = await newJob(['A']);
    const watcher = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    const note = (n: number) => entry({ id: `n${n}`, text: `note ${n}`, authorId: mechanic.id, at: new Date().toISOString(), visibility: 'internal' });
    for (let n = 0; n < BUDGET.maxNotes; n++) notesArray(m.doc).push([note(n)]);
    await m.settled();
    expect(m.closes).toEqual([]);
    notesArray(m.doc).push([note(99)]);
    await waitFor(() => m.closes.length > 0, 5000, 'the refusal');
    expect(m.closes[0]).toMatchObject({ reason: `too many notes on this job (at most ${BUDGET.maxNotes})`, why: 'too_many_notes' });
    m.close();
    // A later legitimate change flows, so the refused note would have arrived before it.
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/assign`, { mechanicId: null })).status).toBe(200);
    await waitFor(() => readJob(watcher.doc).assigneeId === null, 5000, 'the later change');
    expect(readJob(watcher.doc).notes).toHaveLength(BUDGET.maxNotes);
    expect(readJob(await stored(jobId)).notes).toHaveLength(BUDGET.maxNotes);
    watcher.close();
  });

  it('the API refuses a note beyond the budget with 413 and the reason', async () => {
    const jobId = await newJob(['A']);
    const boss = api(t.url, manager.token);
    for (let n = 0; n < BUDGET.maxNotes; n++) expect((await boss.post(`/api/jobs/${jobId}/notes`, { text: `n${n}` })).status).toBe(201);
    const over = await boss.post(`/api/jobs/${jobId}/notes`, { text: 'one too many' });
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ error: `too many notes on this job (at most ${BUDGET.maxNotes})` });
    expect(readJob(await stored(jobId)).notes).toHaveLength(BUDGET.maxNotes);
  });

  it('an item beyond JOB_MAX_ITEMS is refused', async () => {
    const jobId = await newJob(['A', 'B', 'C', 'D']);
    const boss = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    itemsArray(boss.doc).push([entry({ id: 'i-extra', title: 'E', done: false })]);
    await waitFor(() => boss.closes.length > 0, 5000, 'the refusal');
    expect(boss.closes[0]).toMatchObject({ reason: `too many items on this job (at most ${BUDGET.maxItems})`, why: 'too_many_items' });
    boss.close();
    expect(readJob(await stored(jobId)).items).toHaveLength(4);
  });

  it('an update that takes the document over JOB_MAX_BYTES is refused', async () => {
    const jobId = await newJob(['A']);
    const boss = await connect(t.wsUrl, `job:${jobId}`, manager.token);
    // Well-formed and within every count: only its size is wrong (a manager's text has no length rule).
    boss.doc.getMap('job').set('description', 'x'.repeat(BUDGET.maxBytes));
    await waitFor(() => boss.closes.length > 0, 5000, 'the refusal');
    expect(boss.closes[0]).toMatchObject({ reason: `this job is too large (at most ${BUDGET.maxBytes} bytes)`, why: 'job_too_large' });
    boss.close();
    const doc = await stored(jobId);
    expect(readJob(doc).description).toBe('');
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(BUDGET.maxBytes);
  });
});

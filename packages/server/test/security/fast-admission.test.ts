/**
 * Issue 15: an update that only ticks items or appends notes is judged on what it touched, not
 * on the whole document (src/sync/admission.ts, job-model delta-check.ts). Tampered clients
 * aimed at that fast path, over a real server and real sockets: an update that looks like a
 * tick but also writes something else, a tick on a locked job, a note in another's name, a
 * delete hidden in a tick, a struct whose parent the same update creates. Each is refused
 * with the rule it breaks (SPEC P4, P5, P9), nothing of it is stored or relayed, and an honest
 * tick still takes the fast path afterwards.
 */
import { addNote, itemsArray, jobMap, notesArray, readJob, readRaw, recordQc, setItemDone } from '@pitboard/job-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, waitFor, type Client, type TestServer, type TestUser } from '../helpers/server.js';

let t: TestServer;
let manager: TestUser;
let mechanic: TestUser;
let other: TestUser;

beforeAll(async () => {
  t = await startTestServer();
  manager = await createUser(t.pitboard, 'manager');
  mechanic = await createUser(t.pitboard, 'mechanic');
  other = await createUser(t.pitboard, 'mechanic');
});
afterAll(() => t.stop());

const now = () => new Date().toISOString();
const item = (doc: Y.Doc, k: number) => itemsArray(doc).get(k) as Y.Map<unknown>;
const tick = (doc: Y.Doc, k: number, by = mechanic.id) => setItemDone(doc, readJob(doc).items[k]!.id, true, by, now());

/** A job assigned to the mechanic, with a note, a watcher (the manager) and the mechanic's client, which has ticked once (the fast path is warm). */
async function job(): Promise<{ name: string; watcher: Client; m: Client }> {
  const boss = api(t.url, manager.token);
  const { id } = (await boss.post('/api/jobs', { bike: 'Surly', customer: { name: 'Ada' }, items: ['Hub', 'Chain', 'Brakes'], mechanicId: mechanic.id })).body;
  expect((await boss.post(`/api/jobs/${id}/notes`, { text: 'Checked in', visibility: 'internal' })).status).toBe(201);
  const name = `job:${id}`;
  const watcher = await connect(t.wsUrl, name, manager.token);
  const m = await connect(t.wsUrl, name, mechanic.token);
  const fast = t.pitboard.admission.judgedDelta;
  tick(m.doc, 2);
  await m.settled();
  expect(t.pitboard.admission.judgedDelta).toBe(fast + 1); // the honest tick was judged on what it touched
  await waitFor(() => readJob(watcher.doc).items[2]!.done, 5000, 'the first tick reaching the watcher');
  return { name, watcher, m };
}

/** `write` on the mechanic's client is refused with `reason`; the watcher and storage never see it; the next honest tick passes. */
async function expectRefused(setup: Awaited<ReturnType<typeof job>>, write: (doc: Y.Doc) => void, reason: RegExp) {
  const { name, watcher, m } = setup;
  const seen = JSON.stringify(readRaw(watcher.doc));
  write(m.doc);
  await waitFor(() => m.closes.length > 0, 5000, 'the server to refuse the update');
  expect(m.closes[0]!.why).toBe('not_allowed');
  expect(m.closes[0]!.reason).toMatch(reason);
  m.close();
  // An honest tick from a fresh client still passes — on the fast path — and reaches the watcher.
  const again = await connect(t.wsUrl, name, mechanic.token);
  const fast = t.pitboard.admission.judgedDelta;
  tick(again.doc, 1);
  await waitFor(() => readJob(watcher.doc).items[1]!.done, 5000, 'the honest tick');
  expect(t.pitboard.admission.judgedDelta).toBe(fast + 1);
  again.close();
  // Nothing of the refused update reached the watcher or storage: only the honest tick differs.
  const relayed = readRaw(watcher.doc);
  relayed.items[1] = (JSON.parse(seen) as typeof relayed).items[1];
  expect(JSON.stringify(relayed)).toBe(seen);
  const stored = new Y.Doc();
  Y.applyUpdate(stored, (await t.pitboard.storage.loadDocument(name))!);
  expect(readRaw(stored)).toEqual(readRaw(watcher.doc));
  watcher.close();
}

describe('issue 15: tampered clients aimed at the fast admission path', () => {
  it('P4: a tick that also writes the item title is refused', async () => {
    await expectRefused(await job(), (d) => d.transact(() => (tick(d, 0), item(d, 0).set('title', 'Free service'))), /items\[0\]\.title.*P4/);
  });

  it('P3: a tick that also writes a key of the job is refused', async () => {
    await expectRefused(await job(), (d) => d.transact(() => (tick(d, 0), jobMap(d).set('bike', 'Gold bike'))), /job\.bike.*P3/);
  });

  it('P4: a tick in another mechanic\'s name is refused', async () => {
    await expectRefused(await job(), (d) => tick(d, 0, other.id), /items\[0\]\.doneBy.*P4/);
  });

  it('P5: a delete of a note hidden in a tick is refused', async () => {
    await expectRefused(await job(), (d) => d.transact(() => (tick(d, 0), notesArray(d).delete(0, 1))), /notes\[0\].*P5/);
  });

  it('P5: a note in another author\'s name is refused', async () => {
    await expectRefused(await job(), (d) => addNote(d, { text: 'Approved by Ana', authorId: other.id, at: now(), visibility: 'customer' }), /notes\[1\]\.authorId.*P5/);
  });

  it('P4: an item made by the same update, with a tick in it, is refused', async () => {
    await expectRefused(
      await job(),
      (d) => {
        const entry = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ id: 'free', title: 'Free wheel', done: true, doneBy: mechanic.id, doneAt: now() })) entry.set(k, v);
        itemsArray(d).push([entry]);
      },
      // P4 (a mechanic only ticks) or, since extra work, P11 (a new line must be a proposal).
      /items.*P(4|11)\b/
    );
  });

  it('P9: a tick on an item of a job whose QC passed is refused', async () => {
    const setup = await job();
    for (const k of [0, 1]) tick(setup.m.doc, k);
    await setup.m.settled();
    const boss = await connect(t.wsUrl, setup.name, manager.token);
    recordQc(boss.doc, { pass: true, by: manager.id, at: now() });
    await boss.settled();
    await waitFor(() => readJob(setup.m.doc).qc.length === 1, 5000, 'the QC pass reaching the mechanic');
    boss.close();
    const fast = t.pitboard.admission.judgedDelta;
    const seen = JSON.stringify(readRaw(setup.watcher.doc));
    setItemDone(setup.m.doc, readJob(setup.m.doc).items[0]!.id, false, mechanic.id, now());
    await waitFor(() => setup.m.closes.length > 0, 5000, 'the server to refuse the update');
    expect(setup.m.closes[0]!.reason).toMatch(/items.*P9/);
    expect(t.pitboard.admission.judgedDelta).toBe(fast + 1); // refused on the fast path, not let through it
    setup.m.close();
    expect(JSON.stringify(readRaw(setup.watcher.doc))).toBe(seen);
    setup.watcher.close();
  });
});

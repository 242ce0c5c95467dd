/**
 * Compaction is proportional to the edits, not paid every few seconds on the whole document
 * (src/sync/compaction-policy.ts, issue 15): while a job is open its log is folded into the
 * snapshot once it has grown by a quarter of the document, and always when the last connection
 * leaves. Nothing is lost meanwhile: every admitted update is in the log (docs/sync.md).
 * Real server, real sockets, real SQLite.
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addUser } from '../src/auth/users.js';
import { storeBigJob } from './helpers/big-job.js';
import { connect, createUser, startTestServer, waitFor, type TestServer } from './helpers/server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ config: { jobBudget: { maxNotes: 1_000_000, maxItems: 100_000, maxBytes: 1 << 30 } } });
});
afterAll(() => t.stop());

/** Runs every debounced store now and waits until they have finished. */
async function storeNow() {
  const { hocuspocus } = t.pitboard;
  hocuspocus.flushPendingStores();
  await waitFor(
    () => [...hocuspocus.documents.values()].every((d) => !hocuspocus.debouncer.isDebounced(`onStoreDocument-${d.name}`) && !hocuspocus.debouncer.isCurrentlyExecuting(`onStoreDocument-${d.name}`) && !d.saveMutex.isLocked()),
    5000,
    'stores to finish'
  );
}

describe('compaction', () => {
  it('a few ticks on a big open job stay in the log (no whole-document rewrite); leaving compacts; nothing is lost', async () => {
    const mechanic = await createUser(t.pitboard, 'mechanic');
    const customer = await addUser(t.pitboard.storage, { role: 'customer', email: 'compact@c.dev', name: 'C' });
    await storeBigJob(t.pitboard.storage, { id: 'compact', notes: 2000, items: 10 }, customer.id, mechanic.id);
    const name = 'job:compact';
    const m = await connect(t.wsUrl, name, mechanic.token);
    const tick = async (k: number) => {
      setItemDone(m.doc, readJob(m.doc).items[k]!.id, true, mechanic.id, new Date().toISOString());
      await m.settled();
    };
    for (const k of [0, 1, 2, 3]) await tick(k);
    await storeNow();
    // Four ticks are far less than a quarter of a 2,000-note job: not compacted, still stored.
    expect(await t.pitboard.storage.countLoggedUpdates(name)).toBe(4);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, (await t.pitboard.storage.loadDocument(name))!);
    expect(readJob(stored).items.slice(0, 4).map((i) => i.done)).toEqual([true, true, true, true]);
    // The last connection leaves: the document is compacted before it unloads.
    m.close();
    await waitFor(async () => (await t.pitboard.storage.countLoggedUpdates(name)) === 0, 10_000, 'compaction at unload');
    const after = new Y.Doc();
    Y.applyUpdate(after, (await t.pitboard.storage.loadDocument(name))!);
    expect(readJob(after)).toEqual(readJob(stored));
  }, 60_000);
});

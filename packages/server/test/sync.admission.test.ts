/**
 * Admission's shadow document (src/sync/admission.ts): every update is checked against the
 * document with everything admitted before it, never against a stale copy, and a refused,
 * malformed or unstored update leaves no trace in later checks. Real SQLite storage.
 */
import { assignMechanic, createJob, readJob, setItemDone, type Actor } from '@pitboard/job-model';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Storage } from '../src/storage/index.js';
import { Admission } from '../src/sync/admission.js';
import { openTestStorage, testDatabase } from './helpers/server.js';

const manager: Actor = { id: 'm-1', role: 'manager' };
const theo: Actor = { id: 'mech-theo', role: 'mechanic' };
const ana: Actor = { id: 'mech-ana', role: 'mechanic' };
const at = () => new Date().toISOString();

let storage: Storage;
afterEach(async () => storage?.close());

async function setup() {
  storage = await openTestStorage(await testDatabase());
  const live = new Y.Doc() as Y.Doc & { name: string };
  live.name = 'job:admission-test';
  createJob(live, { id: 'admission-test', number: 1, bike: 'Bike', customerId: 'c', customerName: 'C', items: ['Chain', 'Brakes'], createdAt: at() } as Parameters<typeof createJob>[1]);
  assignMechanic(live, theo.id, at());
  return { live, admission: new Admission(storage) };
}

/** A client's edit as an update, made on its own replica of `live`. */
function edit(live: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(live));
  const sv = Y.encodeStateVector(replica);
  change(replica);
  return Y.encodeStateAsUpdate(replica, sv);
}
const itemId = (doc: Y.Doc, i: number) => readJob(doc).items[i]!.id;

describe('admission', () => {
  it('after a refused update, the same writer’s next allowed update passes and only it is stored', async () => {
    const { live, admission } = await setup();
    const steal = edit(live, (d) => assignMechanic(d, ana.id, at()));
    await expect(admission.admit(live, theo, steal)).rejects.toThrow(/not allowed to change/);
    const tick = edit(live, (d) => setItemDone(d, itemId(d, 0), true, theo.id, at()));
    await admission.admit(live, theo, tick);
    expect(await storage.countLoggedUpdates(live.name)).toBe(1);
  });

  it('checks each update against every update admitted before it, applied to the live document or not', async () => {
    const { live, admission } = await setup();
    // The manager reassigns the job to Ana; Hocuspocus has not applied it yet.
    await admission.admit(live, manager, edit(live, (d) => assignMechanic(d, ana.id, at())));
    // Theo, no longer the assignee, is refused; Ana is allowed.
    await expect(admission.admit(live, theo, edit(live, (d) => setItemDone(d, itemId(d, 0), true, theo.id, at())))).rejects.toThrow(/not assigned to you/);
    await admission.admit(live, ana, edit(live, (d) => setItemDone(d, itemId(d, 1), true, ana.id, at())));
  });

  it('sees changes made to the live document without it (the next check uses them)', async () => {
    const { live, admission } = await setup();
    await admission.admit(live, theo, edit(live, (d) => setItemDone(d, itemId(d, 0), true, theo.id, at())));
    assignMechanic(live, ana.id, at()); // e.g. an update from another instance, through Redis
    await expect(admission.admit(live, theo, edit(live, (d) => setItemDone(d, itemId(d, 1), true, theo.id, at())))).rejects.toThrow(/not assigned to you/);
  });

  it('refuses malformed updates and updates with missing dependencies, then serves the next one', async () => {
    const { live, admission } = await setup();
    await expect(admission.admit(live, theo, new Uint8Array([1, 2, 3, 250, 250, 250]))).rejects.toThrow(/malformed|depends/);
    // An update that builds on one the server never got.
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live));
    setItemDone(replica, itemId(replica, 0), true, theo.id, at());
    const sv = Y.encodeStateVector(replica);
    setItemDone(replica, itemId(replica, 1), true, theo.id, at());
    const second = Y.encodeStateAsUpdate(replica, sv);
    await expect(admission.admit(live, theo, second)).rejects.toThrow(/depends on changes/);
    await admission.admit(live, theo, edit(live, (d) => setItemDone(d, itemId(d, 1), true, theo.id, at())));
    expect(await storage.countLoggedUpdates(live.name)).toBe(1);
  });

  it('forgets an update whose append failed: a later update building on it is refused', async () => {
    const { live, admission } = await setup();
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(live));
    let sv = Y.encodeStateVector(replica);
    setItemDone(replica, itemId(replica, 0), true, theo.id, at());
    const first = Y.encodeStateAsUpdate(replica, sv);
    sv = Y.encodeStateVector(replica);
    setItemDone(replica, itemId(replica, 1), true, theo.id, at());
    const second = Y.encodeStateAsUpdate(replica, sv);

    const append = storage.appendUpdate.bind(storage);
    storage.appendUpdate = async () => {
      throw new Error('disk full');
    };
    await expect(admission.admit(live, theo, first)).rejects.toThrow(/disk full/);
    storage.appendUpdate = append;
    await expect(admission.admit(live, theo, second)).rejects.toThrow(/depends on changes/);
    await admission.admit(live, theo, first);
    await admission.admit(live, theo, second);
    expect(await storage.countLoggedUpdates(live.name)).toBe(2);
  });
});

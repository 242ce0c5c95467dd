/**
 * The projector runs projections one at a time, in order. A projection reads a job's facts and
 * then waits on storage; when an API write asked for its projection (`idle()`) while an earlier
 * one was still waiting, the later reading used to be recorded first and the earlier, older one
 * after it: the notification engine saw the job step back and told the mechanic "unassigned"
 * right after "assigned" (seen on PostgreSQL, where storage waits are real).
 */
import { Document } from '@hocuspocus/server';
import { assignMechanic, createJob, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { projectJob } from '../src/jobs/projection.js';
import { createLogger } from '../src/log.js';
import type { Storage } from '../src/storage/index.js';
import { Projector } from '../src/sync/extension-projector.js';
import { openTestStorage, testDatabase } from './helpers/server.js';

describe('sync: projections run in order', () => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await openTestStorage(await testDatabase());
  });
  afterAll(() => storage.close());

  it('a projection asked for while an earlier one waits on storage is recorded after it', async () => {
    const id = 'orderjob01';
    const customer = await addUser(storage, { role: 'customer', email: 'kim@order.dev', name: 'Kim' });
    const theo = await addUser(storage, { role: 'mechanic', email: 'theo@order.dev', name: 'Theo' });
    const doc = new Y.Doc();
    const createdAt = new Date().toISOString();
    await storage.createJob((number) => {
      createJob(doc, { id, number, bike: 'Trek', customerId: customer.id, customerName: 'Kim', items: ['A'], createdAt });
      return { row: projectJob(readJob(doc), null, createdAt), documentName: `job:${id}`, update: Y.encodeStateAsUpdate(doc) };
    });

    // The first read of the job's row waits until released: the first projection is "slow".
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    const slowFirstRead = new Proxy(storage, {
      get(target, key, receiver) {
        if (key === 'getJob') return async (jobId: string) => (reads++ === 0 ? gate.then(() => target.getJob(jobId)) : target.getJob(jobId));
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
    });
    const projector = new Projector(slowFirstRead, createLogger('silent'));
    const seen: (string | null)[] = [];
    projector.onJobChanges((changes) => void seen.push(...changes.map((c) => c.facts.assigneeId)));

    const document = new Document(`job:${id}`);
    Y.applyUpdate(document, Y.encodeStateAsUpdate(doc));
    // Loaded: a projection of the job as stored (no mechanic) starts and waits on storage…
    await projector.afterLoadDocument({ documentName: document.name, document } as Parameters<Projector['afterLoadDocument']>[0]);
    await new Promise((r) => setImmediate(r));
    expect(reads).toBe(1);
    // …while an API write assigns a mechanic and waits for its projection.
    assignMechanic(document, theo.id, new Date().toISOString());
    projector.changed(document);
    const written = projector.idle();
    setTimeout(release, 20);
    await written;
    expect(seen).toEqual([null, theo.id]);
  });
});

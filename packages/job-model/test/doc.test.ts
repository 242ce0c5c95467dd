import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { factsFromRaw, itemsArray, jobMap, notesArray, qcArray, readJob, readRaw, stuckMap } from '../src/doc.js';
import { addNote, reportStuck, setItemDone } from '../src/ops.js';
import { deriveStatus } from '../src/status.js';
import type { JobFacts, RawJob } from '../src/types.js';
import { publicView } from '../src/view.js';
import { MECHANIC, at, jobDoc, mulberry32, pick, replicaOf, seedCount, send } from './helpers.js';

const EMPTY: JobFacts = {
  id: '',
  number: 0,
  bike: '',
  description: '',
  customerId: '',
  customerName: '',
  serial: '',
  customerPhone: '',
  assigneeId: null,
  createdAt: '',
  items: [],
  notes: [],
  stuck: null,
  qc: [],
  parts: [],
  clock: [],
  photos: []
};

function yMap(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(values)) map.set(key, value);
  return map;
}

/** What a server holding `doc` sees after a client wrote `write` on its own replica. */
function afterClientWrites(doc: Y.Doc, write: (client: Y.Doc) => void): Y.Doc {
  const client = replicaOf(doc);
  write(client);
  const server = replicaOf(doc);
  send(client, server);
  return server;
}

describe('readJob', () => {
  it('S1: reads back what the operations wrote', () => {
    const doc = jobDoc();
    const [brakes] = readJob(doc).items;
    setItemDone(doc, brakes!.id, true, MECHANIC.id, at(3));
    addNote(doc, { id: 'n1', text: 'Pads worn', authorId: MECHANIC.id, at: at(4), visibility: 'customer' });
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(5) });
    const job = readJob(doc);
    expect(job).toMatchObject({
      id: 'job-1',
      number: 7,
      bike: 'Kona Sutra',
      description: 'Full service',
      customerId: 'lee',
      customerName: 'Lee Customer',
      assigneeId: MECHANIC.id,
      assignedAt: at(0),
      createdAt: at(0),
      notes: [{ id: 'n1', text: 'Pads worn', authorId: MECHANIC.id, at: at(4), visibility: 'customer' }],
      stuck: { open: true, reason: 'No pads', reportedBy: MECHANIC.id, reportedAt: at(5) },
      qc: []
    });
    expect(job.items.map((i) => [i.title, i.done, i.doneBy, i.doneAt])).toEqual([
      ['Brakes', true, MECHANIC.id, at(3)],
      ['Gears', false, undefined, undefined],
      ['Chain', false, undefined, undefined],
      ['Wheels', false, undefined, undefined]
    ]);
  });

  it('S2: an empty document reads as empty facts', () => {
    expect(readJob(new Y.Doc())).toEqual(EMPTY);
  });

  it('S2: mistyped fields read as their empty values', () => {
    const doc = afterClientWrites(jobDoc(), (d) => {
      const job = jobMap(d);
      job.set('number', 'seven');
      job.set('bike', 42);
      job.set('assigneeId', 5);
      job.set('createdAt', null);
      job.set('collectedAt', true);
      const first = itemsArray(d).get(0) as Y.Map<unknown>;
      first.set('done', 'yes');
      first.set('title', ['Brakes']);
      first.set('doneAt', 17);
      notesArray(d).push([yMap({ id: 'n1', text: 3, authorId: MECHANIC.id, at: at(1), visibility: 'public' })]);
      qcArray(d).push([yMap({ pass: 'yes', by: 'boss', at: at(2), note: false })]);
      stuckMap(d).set('open', 'true');
    });
    const job = readJob(doc);
    expect(job).toMatchObject({ number: 0, bike: '', assigneeId: null, createdAt: '' });
    expect(job.collectedAt).toBeUndefined();
    expect(job.items[0]).toEqual({ id: expect.any(String), title: '', done: false });
    expect(job.notes).toEqual([{ id: 'n1', text: '', authorId: MECHANIC.id, at: at(1), visibility: 'internal' }]);
    expect(job.qc).toEqual([{ pass: false, by: 'boss', at: at(2) }]);
    expect(job.stuck).toEqual({ open: false, reason: '', reportedBy: '', reportedAt: '' });
  });

  it("S2: an empty assigneeId names no one and reads as null", () => {
    const doc = jobDoc();
    jobMap(doc).set('assigneeId', '');
    expect(readJob(doc).assigneeId).toBeNull();
  });

  it('S2: list entries that are not Y.Maps are skipped — even plain objects shaped like one', () => {
    const doc = afterClientWrites(jobDoc({ items: ['Brakes'] }), (d) => {
      itemsArray(d).push(['a string', 12, null, { id: 'fake', title: 'Free upgrade', done: true }, new Y.Array(), new Y.Text('x')]);
      notesArray(d).push([{ id: 'n', text: 'hi', authorId: 'x', at: at(1), visibility: 'customer' }, 'note']);
      qcArray(d).push([{ pass: true, by: 'boss', at: at(2) }, true]);
    });
    const job = readJob(doc);
    expect(job.items.map((i) => i.title)).toEqual(['Brakes']);
    expect(job.notes).toEqual([]);
    expect(job.qc).toEqual([]);
  });

  it('S2: roots holding the wrong kind of content are read around, not trusted', () => {
    const doc = afterClientWrites(jobDoc(), (d) => {
      d.getMap('items').set('0', { id: 'fake', title: 'Free upgrade', done: true });
      d.getArray('stuck').push([{ open: true }]);
    });
    const job = readJob(doc);
    expect(job.items).toHaveLength(4);
    expect(job.stuck).toBeNull();
  });

  it("S2: a client's __proto__ key cannot smuggle in fields", () => {
    const doc = afterClientWrites(jobDoc(), (d) => jobMap(d).set('__proto__', { collectedAt: at(9) }));
    expect(readJob(doc).collectedAt).toBeUndefined();
    expect(deriveStatus(readJob(doc))).toBe('assigned');
  });

  it('S2: readJob never throws on random client writes (fuzz, seeded)', () => {
    const random = mulberry32(42);
    const values = ['', 'x', 0, 7, -1.5, true, false, null, [], {}, [1, 'a'], { a: 1 }, new Uint8Array([1, 2])];
    const keys = ['id', 'number', 'bike', 'assigneeId', 'collectedAt', 'done', 'doneAt', 'open', 'pass', 'at', 'visibility', 'itemsSig', 'x'];
    for (let round = 0; round < seedCount(100); round++) {
      const doc = afterClientWrites(jobDoc(), (d) => {
        for (let n = 0; n < 10; n++) {
          const value = () => structuredClone(pick(random, values));
          const target = pick(random, ['job', 'stuck', 'item', 'itemsPush', 'notesPush', 'qcPush', 'qcMap'] as const);
          if (target === 'job') jobMap(d).set(pick(random, keys), value());
          if (target === 'stuck') stuckMap(d).set(pick(random, keys), value());
          if (target === 'item') (itemsArray(d).get(0) as Y.Map<unknown>).set(pick(random, keys), value());
          if (target === 'itemsPush') itemsArray(d).push([value()]);
          if (target === 'notesPush') notesArray(d).push([value()]);
          if (target === 'qcPush') qcArray(d).push([value()]);
          if (target === 'qcMap') qcArray(d).push([yMap({ [pick(random, keys)]: value() })]);
        }
      });
      expect(() => publicView(readJob(doc), at(1))).not.toThrow();
    }
  });
});

describe('readRaw', () => {
  it('P1: lists every root holding content, known or not', () => {
    const doc = jobDoc();
    expect(readRaw(doc).roots.sort()).toEqual(['items', 'job']);
    const evil = afterClientWrites(doc, (d) => d.getMap('evil').set('x', 1));
    expect(readRaw(evil).roots.sort()).toEqual(['evil', 'items', 'job']);
    expect(readRaw(evil).misshapen).toEqual([]);
  });

  it('P1: names known roots holding the wrong kind of content', () => {
    const doc = afterClientWrites(jobDoc(), (d) => {
      d.getArray('job').push(['x']);
      d.getMap('qc').set('pass', true);
    });
    expect(readRaw(doc).misshapen.sort()).toEqual(['job', 'qc']);
  });

  it('keeps unknown keys and wraps non-map list entries so they stay visible', () => {
    const doc = afterClientWrites(jobDoc({ items: ['Brakes'] }), (d) => {
      jobMap(d).set('extra', { deep: [1] });
      itemsArray(d).push([{ id: 'fake' }]);
    });
    const raw = readRaw(doc);
    expect(raw.job.extra).toEqual({ deep: [1] });
    expect(raw.items[1]).toEqual([{ id: 'fake' }]);
  });

  it('S2: factsFromRaw is total, even on values no document produces', () => {
    const garbage = { roots: null, job: 'x', items: { 0: 1 }, notes: [null, 1], stuck: [], qc: 'qc' } as unknown as RawJob;
    expect(factsFromRaw(garbage)).toEqual(EMPTY);
    expect(factsFromRaw({} as RawJob)).toEqual(EMPTY);
  });
});

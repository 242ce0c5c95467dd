/**
 * Judging only what an update touched (touched.ts, delta-check.ts) must give the verdict the
 * whole-document check gives (SPEC P1–P9): a tampered client gains nothing from the fast path.
 * Each case is an update a mechanic's client sends; the server applies it to a copy of its
 * document and reads what it touched in the `afterTransaction` event, as Admission does.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { applyDelta, deltaCheckable, deltaOf, mechanicDeltaViolations, type JobDelta } from '../src/delta-check.js';
import { itemsArray, jobMap, notesArray, readJob, readRaw } from '../src/doc.js';
import { JobModelError } from '../src/errors.js';
import { addNote, recordQc, reportStuck, setItemDone } from '../src/ops.js';
import { proposeItem } from '../src/approvals.js';
import { checkChange } from '../src/permissions.js';
import { touchedBy, type Touched } from '../src/touched.js';
import type { RawJob, Violation } from '../src/types.js';
import { MANAGER, MECHANIC, OTHER_MECHANIC, at, jobDoc, mulberry32, pick, replicaOf, seedCount } from './helpers.js';

type Write = (doc: Y.Doc) => void;

/** What the server sees of `write` made on a replica of `server`: the delta (or null) and both whole verdicts. */
function receive(server: Y.Doc, write: Write, me: string = MECHANIC.id) {
  const client = replicaOf(server);
  const sv = Y.encodeStateVector(client);
  write(client);
  const update = Y.encodeStateAsUpdate(client, sv);
  const trial = replicaOf(server);
  const before = readRaw(trial);
  let touched: Touched | null = null;
  trial.on('afterTransaction', (tr: Y.Transaction) => (touched = touchedBy(tr)));
  Y.applyUpdate(trial, update);
  const after = readRaw(trial);
  const delta: JobDelta | null = touched !== null && deltaCheckable(before) ? deltaOf(trial, touched) : null;
  const whole = checkChange({ id: me, role: 'mechanic' }, before, after);
  return { before, after, delta, whole, fast: delta === null ? null : mechanicDeltaViolations(me, before, delta) };
}

const verdict = (violations: Violation[]) => violations.map((v) => `${v.path}: ${v.reason}`).sort();
const firstItem = (doc: Y.Doc) => itemsArray(doc).get(0) as Y.Map<unknown>;
const tick = (doc: Y.Doc, k = 0, by: string = MECHANIC.id) => setItemDone(doc, readJob(doc).items[k]!.id, true, by, at(5));

/** Inserts a raw Yjs item with `content` into `parent` (list content when `key` is null), as a crafted update would. */
function integrate(doc: Y.Doc, parent: Y.AbstractType<any>, key: string | null, content: Y.ContentAny | Y.ContentFormat) {
  Y.transact(doc, (tr) => {
    const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
    const left = key === null ? null : ((parent._map.get(key) as Y.Item | undefined) ?? null);
    const item = new Y.Item(id, left, left?.lastId ?? null, null, null, parent, key, content);
    item.integrate(tr, 0);
  });
}

function noteMap(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [k, v] of Object.entries(values)) map.set(k, v);
  return map;
}
const myNote = { id: 'n1', text: 'Chain worn', authorId: MECHANIC.id as string, at: at(3), visibility: 'internal' as 'internal' | 'customer' };

/** A job whose QC passed: the items are locked for mechanics (P9). */
function passedJob(): Y.Doc {
  const doc = jobDoc();
  for (const item of readJob(doc).items) setItemDone(doc, item.id, true, MECHANIC.id, at(2));
  recordQc(doc, { pass: true, by: MANAGER.id, at: at(4) });
  return doc;
}

/** The delta path's verdict and patched state equal the whole path's. */
function expectSameVerdict(r: ReturnType<typeof receive>) {
  expect(r.delta).not.toBeNull();
  expect(verdict(r.fast!)).toEqual(verdict(r.whole));
  const patched: RawJob = structuredClone(r.before);
  applyDelta(patched, r.delta!);
  expect({ ...patched, roots: [...patched.roots].sort() }).toEqual({ ...r.after, roots: [...r.after.roots].sort() });
}

describe('fast path: what it covers, judged as the whole check judges it', () => {
  it('a tick, an un-tick and an appended note are deltas, allowed', () => {
    for (const write of [(d: Y.Doc) => tick(d, 1), (d: Y.Doc) => addNote(d, { ...myNote, visibility: 'customer' })]) {
      const r = receive(jobDoc(), write);
      expectSameVerdict(r);
      expect(r.fast).toEqual([]);
    }
    const ticked = jobDoc();
    tick(ticked, 2);
    const r = receive(ticked, (d) => setItemDone(d, readJob(d).items[2]!.id, false, MECHANIC.id, at(6)));
    expectSameVerdict(r);
    expect(r.delta!.items.map((i) => i.index)).toEqual([2]);
    expect(r.fast).toEqual([]);
  });

  it('P4: a tick in another mechanic\'s name, without its time, or with a mistyped value is refused on the delta', () => {
    for (const write of [
      (d: Y.Doc) => tick(d, 0, OTHER_MECHANIC.id),
      (d: Y.Doc) => firstItem(d).set('done', true),
      (d: Y.Doc) => firstItem(d).set('done', 'yes')
    ]) {
      const r = receive(jobDoc(), write);
      expectSameVerdict(r);
      expect(r.fast!.length).toBeGreaterThan(0);
    }
  });

  it('P9: a tick on an item of a job whose QC passed is refused on the delta', () => {
    const r = receive(passedJob(), (d) => setItemDone(d, readJob(d).items[1]!.id, false, MECHANIC.id, at(6)));
    expectSameVerdict(r);
    expect(verdict(r.fast!)).toEqual([expect.stringContaining('(P9)')]);
  });

  it('A1: a tick on a line waiting for the customer, or declined, is refused on the delta as on the whole', () => {
    for (const state of ['pending', 'declined'] as const) {
      const server = jobDoc();
      proposeItem(server, { title: 'Brake pads', price: 4500, reason: 'worn', by: MECHANIC.id, at: at(3) });
      const line = itemsArray(server).get(itemsArray(server).length - 1) as Y.Map<unknown>;
      if (state === 'declined') line.set('approval', 'declined');
      const index = itemsArray(server).length - 1;
      const r = receive(server, (d) => {
        const item = itemsArray(d).get(index) as Y.Map<unknown>;
        d.transact(() => {
          item.set('done', true);
          item.set('doneBy', MECHANIC.id);
          item.set('doneAt', at(5));
        });
      });
      expectSameVerdict(r);
      expect(verdict(r.fast!), state).toEqual([expect.stringContaining('(A1)')]);
    }
  });

  it('P5: a note in another author\'s name, empty, with an unknown key or visibility is refused on the delta', () => {
    for (const values of [
      { ...myNote, authorId: OTHER_MECHANIC.id },
      { ...myNote, text: '  ' },
      { ...myNote, price: 3 },
      { ...myNote, visibility: 'public' },
      { ...myNote, id: undefined }
    ]) {
      const r = receive(jobDoc(), (d) => notesArray(d).push([noteMap(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)))]));
      expectSameVerdict(r);
      expect(r.fast!.length).toBeGreaterThan(0);
    }
  });
});

describe('fast path: anything else is judged on the whole document', () => {
  const withNote = () => {
    const doc = jobDoc();
    addNote(doc, myNote);
    return doc;
  };
  it.each<[string, Write, () => Y.Doc]>([
    ['a tick that also writes the item title', (d) => d.transact(() => (tick(d), firstItem(d).set('title', 'Free service'))), jobDoc],
    ['a tick that also writes a key of the job', (d) => d.transact(() => (tick(d), jobMap(d).set('bike', 'x'))), jobDoc],
    ['a delete of a note hidden in a tick', (d) => d.transact(() => (tick(d), notesArray(d).delete(0, 1))), withNote],
    ['a tick writing an unknown key of the item', (d) => d.transact(() => (tick(d), firstItem(d).set('price', 0))), jobDoc],
    ['an item added with a tick in it (its parent made by the same update)', (d) => itemsArray(d).push([noteMap({ id: 'x', title: 'x', done: true })]), jobDoc],
    ['a note whose text is a Y.Text', (d) => notesArray(d).push([noteMap({ ...myNote, text: new Y.Text('hi') })]), jobDoc],
    ['a tick whose value is a shared type', (d) => firstItem(d).set('done', new Y.Map()), jobDoc],
    ['list content inside a new note', (d) => {
      const m = noteMap(myNote);
      notesArray(d).push([m]);
      integrate(d, m, null, new Y.ContentAny(['hidden']));
    }, jobDoc],
    ['a formatting attribute appended to the notes', (d) => integrate(d, notesArray(d), null, new Y.ContentFormat('bold', true)), jobDoc],
    ['a tick whose value is a formatting attribute', (d) => integrate(d, firstItem(d), 'done', new Y.ContentFormat('x', true)), jobDoc],
    ['a note inserted before the others', (d) => notesArray(d).insert(0, [noteMap({ ...myNote, id: 'n0' })]), withNote],
    ['an existing note re-worded', (d) => (notesArray(d).get(0) as Y.Map<unknown>).set('text', 'changed'), withNote],
    ['a plain value appended to the notes', (d) => notesArray(d).push(['just text']), jobDoc],
    ['a root nobody knows', (d) => d.getMap('evil').set('x', 1), jobDoc],
    ['a tick with a key in an unknown root', (d) => d.transact(() => (tick(d), d.getMap('evil').set('x', 1))), jobDoc],
    ['a stuck report', (d) => reportStuck(d, { reason: 'no parts', by: MECHANIC.id, at: at(3) }), jobDoc]
  ])('%s', (_what, write, start) => {
    const r = receive(start(), write);
    expect(r.delta).toBeNull();
  });

  it('a document already holding what S1 forbids is never judged on a delta (P1 refuses every change to it)', () => {
    const doc = jobDoc();
    doc.getMap('evil').set('x', 1);
    const r = receive(doc, (d) => tick(d));
    expect(deltaCheckable(r.before)).toBe(false);
    expect(r.whole.length).toBeGreaterThan(0);
  });
});

describe('fast path: random honest and tampered updates', () => {
  it('every update taken as a delta gets exactly the whole check\'s violations and the same state after', () => {
    let deltas = 0;
    for (let seed = 1; seed <= seedCount(300); seed++) {
      const random = mulberry32(seed);
      const start = random() < 0.3 ? passedJob() : jobDoc();
      if (random() < 0.5) addNote(start, myNote);
      const anyIndex = (d: Y.Doc) => Math.floor(random() * readJob(d).items.length);
      const someone = () => pick(random, [MECHANIC.id, MECHANIC.id, OTHER_MECHANIC.id, '']);
      const writes: Write[] = [
        (d) => setItemDone(d, readJob(d).items[anyIndex(d)]!.id, random() < 0.7, MECHANIC.id, at(6)),
        (d) => (itemsArray(d).get(anyIndex(d)) as Y.Map<unknown>).set(pick(random, ['done', 'doneBy', 'doneAt']), pick(random, [true, false, 'x', 3, null, someone()])),
        (d) => (itemsArray(d).get(anyIndex(d)) as Y.Map<unknown>).delete(pick(random, ['done', 'doneBy', 'doneAt', 'title'])),
        (d) => (itemsArray(d).get(anyIndex(d)) as Y.Map<unknown>).set(pick(random, ['title', 'id', 'extra']), 'x'),
        (d) => addNote(d, { text: 'Worn', authorId: someone() || MECHANIC.id, at: at(7), visibility: random() < 0.5 ? 'customer' : 'internal' }),
        (d) => notesArray(d).push([noteMap({ ...myNote, id: `r${random()}`, authorId: someone(), visibility: pick(random, ['internal', 'customer', 'x']) })]),
        (d) => {
          if (notesArray(d).length > 0) notesArray(d).delete(0, 1);
        },
        (d) => jobMap(d).set('bike', 'x')
      ];
      const r = receive(start, (d) => {
        const n = 1 + Math.floor(random() * 3);
        d.transact(() => {
          for (let i = 0; i < n; i++) {
            try {
              pick(random, writes)(d);
            } catch (error) {
              if (!(error instanceof JobModelError)) throw error;
            }
          }
        });
      });
      if (r.delta === null) continue;
      deltas++;
      expectSameVerdict(r);
    }
    expect(deltas).toBeGreaterThan(seedCount(300) / 4); // the fast path was exercised, not skipped
  });
});

/**
 * The projector's facts per loaded document (src/sync/live-facts.ts) are re-read only where a
 * transaction touched them; they must always equal `readJob` of the whole document, whatever
 * the edits (operations of every role, tampered writes, concurrent replicas merging in).
 */
import { addItem, addNote, assignMechanic, createJob, itemsArray, jobMap, notesArray, readJob, recordQc, removeItem, reportStuck, resolveStuck, setItemDone, setNoteVisibility } from '@pitboard/job-model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LiveFacts } from '../src/sync/live-facts.js';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1, 9, n)).toISOString();

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('LiveFacts', () => {
  it('equals readJob after every edit, and re-reads the whole document only for edits no fast rule covers', () => {
    const live = new LiveFacts();
    let patched = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = mulberry32(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
      const doc = new Y.Doc();
      createJob(doc, { id: `j${seed}`, number: seed, bike: 'Bike', customerId: 'c', customerName: 'C', items: ['A', 'B', 'C'], createdAt: at(0), assigneeId: 'theo' });
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
      const anyItem = (d: Y.Doc) => pick(readJob(d).items).id;
      const edits: ((d: Y.Doc) => void)[] = [
        (d) => setItemDone(d, anyItem(d), random() < 0.6, 'theo', at(5)),
        (d) => setItemDone(d, anyItem(d), random() < 0.6, 'theo', at(5)),
        (d) => addNote(d, { text: 'n', authorId: 'theo', at: at(6), visibility: random() < 0.5 ? 'customer' : 'internal' }),
        (d) => addNote(d, { text: 'm', authorId: 'boss', at: at(6), visibility: 'internal' }),
        (d) => setNoteVisibility(d, pick(readJob(d).notes).id, 'customer'),
        (d) => notesArray(d).length > 0 && notesArray(d).delete(0, 1),
        (d) => addItem(d, 'Extra'),
        (d) => removeItem(d, anyItem(d)),
        (d) => assignMechanic(d, pick(['theo', 'ana']), at(7)),
        (d) => reportStuck(d, { reason: 'parts', by: 'theo', at: at(8) }),
        (d) => resolveStuck(d, { by: 'boss', at: at(9) }),
        (d) => recordQc(d, { pass: random() < 0.5, by: 'boss', at: at(10) }),
        (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', 'Renamed'),
        (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('done', 'not a boolean'),
        (d) => jobMap(d).set('bike', 'Other'),
        (d) => notesArray(d).push(['not a map'])
      ];
      for (let step = 0; step < 30; step++) {
        const target = random() < 0.7 ? doc : replica;
        try {
          pick(edits)(target);
        } catch {
          // an operation refusing its input (S3) changes nothing
        }
        // The replica's edits arrive later, merged (concurrent with the document's own).
        if (random() < 0.3) {
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(replica, Y.encodeStateVector(doc)));
          Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(replica)));
        }
        if (random() < 0.6) expect(live.read(doc)).toEqual(readJob(doc));
      }
      expect(live.read(doc)).toEqual(readJob(doc));
      patched = live.patchedReads;
    }
    expect(patched).toBeGreaterThan(40); // ticks and notes were patched, not re-read
  });

  it('a tick re-reads one item, not the notes: the facts of a job with many notes keep their notes list', () => {
    const doc = new Y.Doc();
    createJob(doc, { id: 'j', number: 1, bike: 'Bike', customerId: 'c', customerName: 'C', items: ['A', 'B'], createdAt: at(0), assigneeId: 'theo' });
    for (let i = 0; i < 50; i++) addNote(doc, { text: `n${i}`, authorId: 'theo', at: at(1), visibility: 'internal' });
    const live = new LiveFacts();
    const first = live.read(doc);
    setItemDone(doc, first.items[0]!.id, true, 'theo', at(2));
    const second = live.read(doc);
    expect(second.items[0]!.done).toBe(true);
    expect(second.notes).toBe(first.notes);
    addNote(doc, { text: 'new', authorId: 'theo', at: at(3), visibility: 'customer' });
    const third = live.read(doc);
    expect(third.notes.length).toBe(51);
    expect(second.notes.length).toBe(50); // facts handed out before are not changed
    expect(live.wholeReads).toBe(1);
    expect(third).toEqual(readJob(doc));
  });
});

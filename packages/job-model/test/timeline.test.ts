import { describe, expect, it } from 'vitest';
import { readJob } from '../src/doc.js';
import { addNote, assignMechanic, markCollected, recordQc, reportStuck, resolveStuck, setItemDone } from '../src/ops.js';
import { jobTimeline, publicTimeline, TIMELINE_SOURCES, type TimelineSource } from '../src/timeline.js';
import { CUSTOMER, MANAGER, MECHANIC, OTHER_MECHANIC, at, jobDoc } from './helpers.js';

/** A job that went through everything: assignment, ticks, notes, stuck, QC fail and pass, collection. */
function wholeDay() {
  const doc = jobDoc({ assigneeId: null });
  assignMechanic(doc, MECHANIC.id, at(1));
  const [brakes, gears, chain, wheels] = readJob(doc).items;
  setItemDone(doc, brakes!.id, true, MECHANIC.id, at(2));
  addNote(doc, { text: 'Pads worn to the metal', authorId: MECHANIC.id, at: at(3), visibility: 'internal' });
  addNote(doc, { text: 'New pads fitted', authorId: MECHANIC.id, at: at(4), visibility: 'customer' });
  reportStuck(doc, { reason: 'Hanger bent', by: MECHANIC.id, at: at(5) });
  resolveStuck(doc, { resolution: 'Ordered a hanger', by: MANAGER.id, at: at(6) });
  for (const item of [gears, chain, wheels]) setItemDone(doc, item!.id, true, MECHANIC.id, at(7));
  recordQc(doc, { pass: false, note: 'Rear brake rubs', by: MANAGER.id, at: at(8), redoItemIds: [brakes!.id] });
  setItemDone(doc, brakes!.id, true, MECHANIC.id, at(9));
  recordQc(doc, { pass: true, note: 'Hub slightly noisy', by: MANAGER.id, at: at(10) });
  markCollected(doc, at(11));
  return readJob(doc);
}

describe('timeline (T)', () => {
  it('T1: who did what and when, oldest first, from the facts', () => {
    const entries = jobTimeline(wholeDay()).map((e) => [e.at, e.kind, e.by ?? null, e.text ?? null]);
    expect(entries).toEqual([
      [at(0), 'created', null, 'Kona Sutra'],
      [at(1), 'assigned', MECHANIC.id, null],
      [at(3), 'note', MECHANIC.id, 'Pads worn to the metal'],
      [at(4), 'note', MECHANIC.id, 'New pads fitted'],
      [at(5), 'stuck', MECHANIC.id, 'Hanger bent'],
      [at(6), 'unstuck', MANAGER.id, 'Ordered a hanger'],
      [at(7), 'item_done', MECHANIC.id, 'Gears'],
      [at(7), 'item_done', MECHANIC.id, 'Chain'],
      [at(7), 'item_done', MECHANIC.id, 'Wheels'],
      [at(8), 'qc_failed', MANAGER.id, 'Rear brake rubs'],
      // T3: the first tick of Brakes was undone by the failed check; only the current one is a fact.
      [at(9), 'item_done', MECHANIC.id, 'Brakes'],
      [at(10), 'qc_passed', MANAGER.id, 'Hub slightly noisy'],
      [at(11), 'collected', null, null]
    ]);
  });

  it('T2: the customer sees created, assignment, ticks, customer notes, a passed check and collection, with no ids or internal text', () => {
    const facts = wholeDay();
    const entries = publicTimeline(facts);
    expect(entries.map((e) => e.kind)).toEqual(['created', 'assigned', 'note', 'item_done', 'item_done', 'item_done', 'item_done', 'qc_passed', 'collected']);
    expect(entries.find((e) => e.kind === 'note')).toEqual({ at: at(4), kind: 'note', text: 'New pads fitted' });
    const json = JSON.stringify(entries);
    for (const secret of [MECHANIC.id, MANAGER.id, CUSTOMER.id, 'Pads worn', 'Hanger bent', 'Ordered a hanger', 'Rear brake rubs', 'Hub slightly noisy', facts.customerName]) {
      expect(json).not.toContain(secret);
    }
  });

  it('T3: a reassignment shows only the current assignment; an open stuck report has no resolution entry', () => {
    const doc = jobDoc();
    assignMechanic(doc, OTHER_MECHANIC.id, at(3));
    reportStuck(doc, { reason: 'No parts', by: OTHER_MECHANIC.id, at: at(4) });
    const kinds = jobTimeline(readJob(doc)).map((e) => [e.kind, e.by ?? null]);
    expect(kinds).toEqual([
      ['created', null],
      ['assigned', OTHER_MECHANIC.id],
      ['stuck', OTHER_MECHANIC.id]
    ]);
  });

  it('T4: another fact adds its own source; entries without a time are left out', () => {
    const parts: TimelineSource = () => [
      { at: at(2), kind: 'part_ordered', text: 'Shimano pads', customer: { text: 'Shimano pads' } },
      { at: '', kind: 'part_ordered', text: 'undated' }
    ];
    const entries = jobTimeline(readJob(jobDoc()), [...TIMELINE_SOURCES, parts]);
    expect(entries.map((e) => e.kind)).toEqual(['created', 'assigned', 'part_ordered']);
  });
});

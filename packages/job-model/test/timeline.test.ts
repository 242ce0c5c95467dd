import { describe, expect, it } from 'vitest';
import { decideApproval, proposeItem } from '../src/approvals.js';
import { startClock, stopClock } from '../src/clock.js';
import { readJob } from '../src/doc.js';
import { addNote, assignMechanic, markCollected, recordQc, reportStuck, resolveStuck, setItemDone } from '../src/ops.js';
import { markPartArrived, orderPart } from '../src/parts.js';
import { recordPhoto } from '../src/photos.js';
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

/** A job with the later facts: extra work proposed and decided, a part, clocked work, photos. */
function laterFacts() {
  const doc = jobDoc();
  const brakes = readJob(doc).items[0]!;
  const hanger = proposeItem(doc, { title: 'New hanger', price: 2500, reason: 'Bent', by: MECHANIC.id, at: at(1), id: 'line-hanger' });
  const bell = proposeItem(doc, { title: 'Bell', price: 900, by: MANAGER.id, at: at(2), id: 'line-bell' });
  decideApproval(doc, hanger, { decision: 'approved', at: at(3), via: 'link-secret-7', title: 'New hanger', price: 2500 });
  decideApproval(doc, bell, { decision: 'declined', at: at(4), via: 'link-secret-7', title: 'Bell', price: 900 });
  orderPart(doc, { name: 'Shimano XT hanger', expectedAt: at(60), by: MANAGER.id, at: at(5), id: 'part-1' });
  markPartArrived(doc, 'part-1', MECHANIC.id, at(6));
  orderPart(doc, { name: 'Brake cable', by: MECHANIC.id, at: at(7), id: 'part-2' });
  startClock(doc, MECHANIC.id, at(8), 'session-1');
  stopClock(doc, MECHANIC.id, at(9));
  startClock(doc, MECHANIC.id, at(10), 'session-2');
  const photo = { by: MECHANIC.id, type: 'image/jpeg', width: 800, height: 600 } as const;
  recordPhoto(doc, { ...photo, id: 'photo-internal-1', itemId: brakes.id, visibility: 'internal', at: at(11) });
  recordPhoto(doc, { ...photo, id: 'photo-customer-1', itemId: brakes.id, visibility: 'customer', at: at(12) });
  recordPhoto(doc, { ...photo, id: 'photo-customer-2', itemId: null, visibility: 'customer', at: at(13) });
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

  it('T1/T4: approval lines, parts, clocked work and photos each have their entries, with who and what', () => {
    const entries = jobTimeline(laterFacts()).map((e) => [e.at, e.kind, e.by ?? null, e.text ?? null, e.price ?? null]);
    expect(entries).toEqual([
      [at(0), 'created', null, 'Kona Sutra', null],
      [at(0), 'assigned', MECHANIC.id, null, null],
      [at(1), 'approval_requested', MECHANIC.id, 'New hanger', 2500],
      [at(2), 'approval_requested', MANAGER.id, 'Bell', 900],
      [at(3), 'approval_approved', null, 'New hanger', 2500],
      [at(4), 'approval_declined', null, 'Bell', 900],
      [at(5), 'part_ordered', MANAGER.id, 'Shimano XT hanger', null],
      [at(6), 'part_arrived', MECHANIC.id, 'Shimano XT hanger', null],
      [at(7), 'part_ordered', MECHANIC.id, 'Brake cable', null],
      [at(8), 'clock_started', MECHANIC.id, null, null],
      [at(9), 'clock_stopped', MECHANIC.id, null, null],
      // A running session has its start only.
      [at(10), 'clock_started', MECHANIC.id, null, null],
      [at(11), 'photo_added', MECHANIC.id, 'Brakes', null],
      [at(12), 'photo_added', MECHANIC.id, 'Brakes', null],
      [at(13), 'photo_added', MECHANIC.id, null, null]
    ]);
  });

  it('T2 (V1/V2): the customer sees proposals and decisions with title and price, nameless parts, customer photos; no clocked work, no proposer, no link', () => {
    const facts = laterFacts();
    const entries = publicTimeline(facts);
    expect(entries).toEqual([
      { at: at(0), kind: 'created' },
      { at: at(0), kind: 'assigned' },
      { at: at(1), kind: 'approval_requested', text: 'New hanger', price: 2500 },
      { at: at(2), kind: 'approval_requested', text: 'Bell', price: 900 },
      { at: at(3), kind: 'approval_approved', text: 'New hanger', price: 2500 },
      { at: at(4), kind: 'approval_declined', text: 'Bell', price: 900 },
      { at: at(5), kind: 'part_ordered' },
      { at: at(6), kind: 'part_arrived' },
      { at: at(7), kind: 'part_ordered' },
      { at: at(12), kind: 'photo_added', text: 'Brakes' },
      { at: at(13), kind: 'photo_added' }
    ]);
    const json = JSON.stringify(entries);
    for (const secret of [MECHANIC.id, MANAGER.id, 'link-secret-7', 'Shimano', 'Brake cable', 'session-', 'photo-', 'clock']) {
      expect(json).not.toContain(secret);
    }
  });

  it('T2: a decided line is shown as the customer saw it, whatever re-pricing merged in after', () => {
    const doc = jobDoc();
    const line = proposeItem(doc, { title: 'Tubeless kit', price: 4000, by: MANAGER.id, at: at(1), id: 'line-kit' });
    decideApproval(doc, line, { decision: 'approved', at: at(2), via: 'link-1', title: 'Tubeless kit', price: 4000 });
    // A4: an offline re-price merged in after the decision does not change what was agreed.
    const facts = readJob(doc);
    const item = facts.items.find((i) => i.id === line)!;
    const merged = { ...facts, items: facts.items.map((i) => (i === item ? { ...i, title: 'Tubeless kit XL', price: 6000 } : i)) };
    expect(publicTimeline(merged).filter((e) => e.kind.startsWith('approval_'))).toEqual([
      { at: at(1), kind: 'approval_requested', text: 'Tubeless kit', price: 4000 },
      { at: at(2), kind: 'approval_approved', text: 'Tubeless kit', price: 4000 }
    ]);
  });
});

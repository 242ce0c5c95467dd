import { describe, expect, it } from 'vitest';
import { readJob } from '../src/doc.js';
import { addNote, markCollected, recordQc, reportStuck, resolveStuck, setItemDone } from '../src/ops.js';
import { publicView } from '../src/view.js';
import { MANAGER, MECHANIC, at, jobDoc } from './helpers.js';

/** A job with everything a customer must not see: internal notes, staff ids, customer data. */
function busyFacts() {
  const doc = jobDoc({ description: 'Customer haggles; quote first' });
  for (const item of readJob(doc).items) setItemDone(doc, item.id, true, MECHANIC.id, at(2));
  addNote(doc, { text: 'Secret: reuse old pads', authorId: MECHANIC.id, at: at(3), visibility: 'internal' });
  addNote(doc, { text: 'Chain replaced', authorId: MECHANIC.id, at: at(4), visibility: 'customer' });
  reportStuck(doc, { reason: 'Supplier is late again', by: MECHANIC.id, at: at(5) });
  resolveStuck(doc, { resolution: 'Called supplier', by: MANAGER.id, at: at(6) });
  recordQc(doc, { pass: true, note: 'Rear hub noisy, ignore', by: MANAGER.id, at: at(7) });
  return readJob(doc);
}

describe('publicView (V1)', () => {
  it('V1: holds bike, number, status, progress, items, customer notes and times', () => {
    expect(publicView(busyFacts(), at(8))).toEqual({
      number: 7,
      bike: 'Kona Sutra',
      status: 'ready_for_pickup',
      progress: { done: 4, total: 4 },
      items: [
        { title: 'Brakes', done: true },
        { title: 'Gears', done: true },
        { title: 'Chain', done: true },
        { title: 'Wheels', done: true }
      ],
      notes: [{ text: 'Chain replaced', at: at(4) }],
      approvals: [],
      total: 0,
      photos: [],
      createdAt: at(0),
      updatedAt: at(8),
      promisedAt: null,
      waitingForPart: null,
      // T2: the public subset of the timeline.
      timeline: [
        { at: at(0), kind: 'created' },
        { at: at(0), kind: 'assigned' },
        { at: at(2), kind: 'item_done', text: 'Brakes' },
        { at: at(2), kind: 'item_done', text: 'Gears' },
        { at: at(2), kind: 'item_done', text: 'Chain' },
        { at: at(2), kind: 'item_done', text: 'Wheels' },
        { at: at(4), kind: 'note', text: 'Chain replaced' },
        { at: at(7), kind: 'qc_passed' }
      ]
    });
  });

  it('V1: shows the collected time once collected', () => {
    const doc = jobDoc();
    markCollected(doc, at(9));
    expect(publicView(readJob(doc), at(9))).toMatchObject({ status: 'collected', collectedAt: at(9) });
  });

  it('V1: never contains internal notes, staff ids, customer data or internal texts', () => {
    const facts = busyFacts();
    const json = JSON.stringify(publicView(facts, at(8)));
    const secrets = [
      'Secret: reuse old pads',
      facts.customerId,
      facts.customerName,
      MECHANIC.id,
      MANAGER.id,
      facts.description,
      'Supplier is late again',
      'Called supplier',
      'Rear hub noisy',
      ...facts.items.map((i) => i.id)
    ];
    for (const secret of secrets) expect(json).not.toContain(secret);
  });
});

import { describe, expect, it } from 'vitest';
import { deriveStatus, isQcFresh, itemsSignature, progressOf } from '../src/status.js';
import type { ItemFacts, JobFacts, JobStatus, QcFacts } from '../src/types.js';
import { MANAGER, MECHANIC, at, facts, item } from './helpers.js';

const allDone = [item('a', true, at(10)), item('b', true, at(11))];
const oneUndone = [item('a', true, at(10)), item('b', false)];
const noneDone = [item('a', false), item('b', false)];

/** A QC entry as recordQc writes it: signed with the items it looked at. */
const check = (pass: boolean, looked: ItemFacts[], minute = 20): QcFacts => ({
  pass,
  by: MANAGER.id,
  at: at(minute),
  itemsSig: itemsSignature(looked)
});
/** A QC entry from an outside client, without a signature. */
const unsigned = (pass: boolean, minute = 20): QcFacts => ({ pass, by: MANAGER.id, at: at(minute) });
const open = { open: true, reason: 'No pads', reportedBy: MECHANIC.id, reportedAt: at(5) };
const resolved = { ...open, open: false, resolution: 'Pads came', resolvedBy: MANAGER.id, resolvedAt: at(6) };
const assigned = { assigneeId: MECHANIC.id };

const table: [rule: string, overrides: Partial<JobFacts>, status: JobStatus][] = [
  ['D7: nothing set → intake', {}, 'intake'],
  ['D7: items but none done, no assignee → intake', { items: noneDone }, 'intake'],
  ['D6: assigned → assigned', { ...assigned, items: noneDone }, 'assigned'],
  ['D6: a resolved stuck report does not count → assigned', { ...assigned, items: noneDone, stuck: resolved }, 'assigned'],
  ['D5: some item done → in_progress (beats D6)', { ...assigned, items: oneUndone }, 'in_progress'],
  ['D5: latest QC failed, nothing done → in_progress', { items: noneDone, qc: [check(false, noneDone)] }, 'in_progress'],
  ['D5: a fresh fail with every item done → in_progress, not quality_check', { items: allDone, qc: [check(false, allDone)] }, 'in_progress'],
  ['D5: an earlier fresh pass, latest failed → in_progress', { items: oneUndone, qc: [check(true, allDone, 15), check(false, oneUndone)] }, 'in_progress'],
  ['D5: a stale pass (items changed since) → in_progress', { items: oneUndone, qc: [check(true, allDone)] }, 'in_progress'],
  ['D4: every item done, no QC → quality_check (beats D5)', { ...assigned, items: allDone }, 'quality_check'],
  ['D4: every item done, stale pass → quality_check', { items: allDone, qc: [check(true, [item('a', true, at(1)), item('b', true, at(2))])] }, 'quality_check'],
  ['D4: every item done, stale fail → quality_check', { items: allDone, qc: [check(false, oneUndone)] }, 'quality_check'],
  ['D4: no items at all → not quality_check', { ...assigned }, 'assigned'],
  ['D3: open stuck report → stuck (beats D4)', { items: allDone, stuck: open }, 'stuck'],
  ['D3: open stuck report, nothing done → stuck (beats D6)', { ...assigned, items: noneDone, stuck: open }, 'stuck'],
  ['D2: latest pass is fresh → ready_for_pickup', { items: allDone, qc: [check(true, allDone)] }, 'ready_for_pickup'],
  ['D2: fresh pass beats an open stuck report', { items: allDone, qc: [check(true, allDone)], stuck: open }, 'ready_for_pickup'],
  ['D2: a fresh pass after an earlier fail → ready_for_pickup', { items: allDone, qc: [check(false, oneUndone, 15), check(true, allDone)] }, 'ready_for_pickup'],
  ['D2: unsigned pass, every item done before it → ready_for_pickup', { items: allDone, qc: [unsigned(true)] }, 'ready_for_pickup'],
  ['D2: unsigned pass, an item done after it → quality_check', { items: [item('a', true, at(10)), item('b', true, at(30))], qc: [unsigned(true)] }, 'quality_check'],
  ['D2: unsigned pass, an item not done → in_progress', { items: oneUndone, qc: [unsigned(true)] }, 'in_progress'],
  ['D1: collectedAt set → collected', { collectedAt: at(40) }, 'collected'],
  ['D1: collected beats a fresh pass and an open stuck report', { items: allDone, qc: [check(true, allDone)], stuck: open, collectedAt: at(40) }, 'collected']
];

describe('deriveStatus (D1–D7, first match wins)', () => {
  it.each(table)('%s', (_rule, overrides, status) => {
    expect(deriveStatus(facts(overrides))).toBe(status);
  });
});

describe('itemsSignature (S4)', () => {
  const base = [item('a', true, at(10)), item('b', false)];

  it('S4: the same items give the same short signature', () => {
    expect(itemsSignature(base)).toBe(itemsSignature(structuredClone(base)));
    expect(itemsSignature(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each<[string, ItemFacts[]]>([
    ['an id', [item('x', true, at(10)), item('b', false)]],
    ['a done flag', [item('a', true, at(10)), item('b', true, at(10))]],
    ['a doneAt', [item('a', true, at(11)), item('b', false)]],
    ['the order', [item('b', false), item('a', true, at(10))]],
    ['the number of items', [item('a', true, at(10))]]
  ])('S4: changing %s changes the signature', (_what, items) => {
    expect(itemsSignature(items)).not.toBe(itemsSignature(base));
  });

  it('S4: titles and doneBy are not part of it', () => {
    const renamed = base.map((i) => ({ ...i, title: 'Other', ...(i.done ? { doneBy: 'someone' } : {}) }));
    expect(itemsSignature(renamed)).toBe(itemsSignature(base));
  });
});

describe('isQcFresh (D2)', () => {
  it('D2: a signed entry is fresh exactly when the signature matches the current items', () => {
    expect(isQcFresh(facts({ items: allDone }), check(true, allDone))).toBe(true);
    expect(isQcFresh(facts({ items: oneUndone }), check(true, allDone))).toBe(false);
  });

  it('D2: an unsigned entry is fresh when every item is done and none was done after it', () => {
    expect(isQcFresh(facts({ items: allDone }), unsigned(true, 11))).toBe(true);
    expect(isQcFresh(facts({ items: allDone }), unsigned(true, 10))).toBe(false);
    expect(isQcFresh(facts({ items: oneUndone }), unsigned(true))).toBe(false);
  });
});

describe('progressOf', () => {
  it('counts done items out of all items', () => {
    expect(progressOf(facts({ items: oneUndone }))).toEqual({ done: 1, total: 2 });
    expect(progressOf(facts())).toEqual({ done: 0, total: 0 });
  });
});

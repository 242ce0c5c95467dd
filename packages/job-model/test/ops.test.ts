import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { itemsArray, readJob, readRaw } from '../src/doc.js';
import {
  addItem,
  addNote,
  assignMechanic,
  createJob,
  markCollected,
  newId,
  recordQc,
  removeItem,
  reportStuck,
  resolveStuck,
  setItemDone,
  updateDetails,
  type NewJobInit
} from '../src/ops.js';
import { deriveStatus, itemsSignature } from '../src/status.js';
import { MANAGER, MECHANIC, OTHER_MECHANIC, at, countUpdates, expectRefusedInput, jobDoc, state } from './helpers.js';

const long = (n: number) => 'x'.repeat(n);
const itemIds = (doc: Y.Doc) => readJob(doc).items.map((i) => i.id);
function tickAll(doc: Y.Doc, minute = 10) {
  for (const id of itemIds(doc)) setItemDone(doc, id, true, MECHANIC.id, at(minute));
}

describe('newId', () => {
  it('gives distinct UUIDs', () => {
    expect(newId()).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId()).not.toBe(newId());
  });
});

describe('createJob', () => {
  const init: NewJobInit = {
    id: 'job-9',
    number: 9,
    bike: '  Surly Troll ',
    customerId: 'lee',
    customerName: 'Lee',
    items: ['Brakes', ' Gears '],
    createdAt: at(0)
  };

  it('S1: writes the job map of docs/sync.md, unassigned items, no stuck report — in one transaction', () => {
    const doc = new Y.Doc();
    expect(countUpdates(doc, () => createJob(doc, init))).toBe(1);
    const raw = readRaw(doc);
    expect(raw.job).toEqual({
      id: 'job-9',
      number: 9,
      bike: 'Surly Troll',
      description: '',
      customerId: 'lee',
      customerName: 'Lee',
      assigneeId: null,
      createdAt: at(0)
    });
    expect(raw.items).toEqual([
      { id: expect.any(String), title: 'Brakes', done: false },
      { id: expect.any(String), title: 'Gears', done: false }
    ]);
    expect(new Set(itemIds(doc)).size).toBe(2);
    expect(raw.stuck).toEqual({});
    expect(readJob(doc).stuck).toBeNull();
    expect(deriveStatus(readJob(doc))).toBe('intake');
  });

  it('S1: an assignee given at creation is assigned at createdAt', () => {
    const doc = new Y.Doc();
    createJob(doc, { ...init, assigneeId: MECHANIC.id, description: 'Service' });
    expect(readJob(doc)).toMatchObject({ assigneeId: MECHANIC.id, assignedAt: at(0), description: 'Service' });
  });

  it.each<[string, Partial<NewJobInit>]>([
    ['empty bike', { bike: '  ' }],
    ['bike over 200 characters', { bike: long(201) }],
    ['empty item title', { items: ['Brakes', ''] }],
    ['item title over 200 characters', { items: [long(201)] }],
    ['more than 100 items', { items: Array.from({ length: 101 }, (_, i) => `Item ${i}`) }],
    ['number 0', { number: 0 }],
    ['fractional number', { number: 1.5 }],
    ['empty id', { id: '' }],
    ['empty customerId', { customerId: '' }],
    ['empty customerName', { customerName: '' }],
    ['empty assigneeId', { assigneeId: '' }],
    ['description over 5000 characters', { description: long(5001) }],
    ['createdAt not a timestamp', { createdAt: 'yesterday' }]
  ])('S3: %s is refused and writes nothing', (_what, bad) => {
    const doc = new Y.Doc();
    expectRefusedInput(doc, () => createJob(doc, { ...init, ...bad }));
  });

  it('S3: a document that already holds a job is refused', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => createJob(doc, init), /already/);
  });

  it('accepts exactly 100 items of 200 characters', () => {
    const doc = new Y.Doc();
    createJob(doc, { ...init, items: Array.from({ length: 100 }, () => long(200)) });
    expect(readJob(doc).items).toHaveLength(100);
  });
});

describe('assignMechanic', () => {
  it('S3: sets assigneeId and assignedAt in one transaction', () => {
    const doc = jobDoc({ assigneeId: null });
    expect(countUpdates(doc, () => assignMechanic(doc, MECHANIC.id, at(1)))).toBe(1);
    expect(readJob(doc)).toMatchObject({ assigneeId: MECHANIC.id, assignedAt: at(1) });
    assignMechanic(doc, null, at(2));
    expect(readJob(doc)).toMatchObject({ assigneeId: null, assignedAt: at(2) });
  });

  it('re-assigning the current assignee changes nothing', () => {
    const doc = jobDoc();
    expect(countUpdates(doc, () => assignMechanic(doc, MECHANIC.id, at(5)))).toBe(0);
    expect(readJob(doc).assignedAt).toBe(at(0));
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => assignMechanic(doc, '', at(1)));
    expectRefusedInput(doc, () => assignMechanic(doc, OTHER_MECHANIC.id, 'now'));
    const empty = new Y.Doc();
    expectRefusedInput(empty, () => assignMechanic(empty, MECHANIC.id, at(1)), /no job/);
  });
});

describe('setItemDone', () => {
  it('S3: ticking sets done, doneBy and doneAt; un-ticking removes doneBy and doneAt', () => {
    const doc = jobDoc();
    const [id] = itemIds(doc);
    expect(countUpdates(doc, () => setItemDone(doc, id!, true, MECHANIC.id, at(3)))).toBe(1);
    expect(readRaw(doc).items[0]).toEqual({ id, title: 'Brakes', done: true, doneBy: MECHANIC.id, doneAt: at(3) });
    expect(countUpdates(doc, () => setItemDone(doc, id!, false, MECHANIC.id, at(4)))).toBe(1);
    expect(readRaw(doc).items[0]).toEqual({ id, title: 'Brakes', done: false });
  });

  it('S3: setting the state an item already has is a no-op', () => {
    const doc = jobDoc();
    const [id] = itemIds(doc);
    expect(countUpdates(doc, () => setItemDone(doc, id!, false, MECHANIC.id, at(3)))).toBe(0);
    setItemDone(doc, id!, true, MECHANIC.id, at(3));
    const before = state(doc);
    expect(countUpdates(doc, () => setItemDone(doc, id!, true, OTHER_MECHANIC.id, at(4)))).toBe(0);
    expect(state(doc)).toEqual(before);
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc();
    const [id] = itemIds(doc);
    expectRefusedInput(doc, () => setItemDone(doc, 'nope', true, MECHANIC.id, at(1)), /unknown item/);
    expectRefusedInput(doc, () => setItemDone(doc, id!, true, '', at(1)));
    expectRefusedInput(doc, () => setItemDone(doc, id!, true, MECHANIC.id, '2026-01-01'));
    expectRefusedInput(doc, () => setItemDone(doc, id!, 'yes' as unknown as boolean, MECHANIC.id, at(1)));
  });
});

describe('addNote', () => {
  it('S3: appends a trimmed note and returns its id', () => {
    const doc = jobDoc();
    let id = '';
    const add = () => (id = addNote(doc, { text: '  Pads worn ', authorId: MECHANIC.id, at: at(1), visibility: 'customer' }));
    expect(countUpdates(doc, add)).toBe(1);
    expect(readJob(doc).notes).toEqual([{ id, text: 'Pads worn', authorId: MECHANIC.id, at: at(1), visibility: 'customer' }]);
    expect(addNote(doc, { id: 'mine', text: 'x', authorId: MANAGER.id, at: at(2), visibility: 'internal' })).toBe('mine');
  });

  it.each<[string, Partial<Parameters<typeof addNote>[1]>]>([
    ['empty text', { text: '' }],
    ['blank text', { text: ' \n ' }],
    ['text over 5000 characters', { text: long(5001) }],
    ['unknown visibility', { visibility: 'public' as 'internal' }],
    ['empty author', { authorId: '' }],
    ['bad time', { at: 'soon' }],
    ['empty id', { id: '' }],
    ['an id already used', { id: 'n1' }]
  ])('S3: %s is refused and writes nothing', (_what, bad) => {
    const doc = jobDoc();
    addNote(doc, { id: 'n1', text: 'first', authorId: MECHANIC.id, at: at(1), visibility: 'internal' });
    expectRefusedInput(doc, () => addNote(doc, { text: 'ok', authorId: MECHANIC.id, at: at(2), visibility: 'internal', ...bad }));
  });
});

describe('reportStuck and resolveStuck', () => {
  it('S3: reporting opens the report; resolving closes it with a resolution', () => {
    const doc = jobDoc();
    expect(countUpdates(doc, () => reportStuck(doc, { reason: ' No pads ', by: MECHANIC.id, at: at(1) }))).toBe(1);
    expect(readJob(doc).stuck).toEqual({ open: true, reason: 'No pads', reportedBy: MECHANIC.id, reportedAt: at(1) });
    expect(countUpdates(doc, () => resolveStuck(doc, { resolution: 'Ordered', by: MANAGER.id, at: at(2) }))).toBe(1);
    expect(readJob(doc).stuck).toEqual({
      open: false,
      reason: 'No pads',
      reportedBy: MECHANIC.id,
      reportedAt: at(1),
      resolution: 'Ordered',
      resolvedBy: MANAGER.id,
      resolvedAt: at(2)
    });
  });

  it('re-opening leaves the previous resolution as it is; a resolution defaults to empty', () => {
    const doc = jobDoc();
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(1) });
    resolveStuck(doc, { by: MANAGER.id, at: at(2) });
    expect(readJob(doc).stuck?.resolution).toBe('');
    reportStuck(doc, { reason: 'Wrong pads', by: MECHANIC.id, at: at(3) });
    expect(readJob(doc).stuck).toMatchObject({ open: true, reason: 'Wrong pads', reportedAt: at(3), resolvedAt: at(2) });
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => reportStuck(doc, { reason: ' ', by: MECHANIC.id, at: at(1) }));
    expectRefusedInput(doc, () => reportStuck(doc, { reason: long(5001), by: MECHANIC.id, at: at(1) }));
    expectRefusedInput(doc, () => reportStuck(doc, { reason: 'x', by: '', at: at(1) }));
    expectRefusedInput(doc, () => reportStuck(doc, { reason: 'x', by: MECHANIC.id, at: '' }));
    expectRefusedInput(doc, () => resolveStuck(doc, { by: MANAGER.id, at: at(2) }), /no stuck report is open/);
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(1) });
    expectRefusedInput(doc, () => resolveStuck(doc, { by: MANAGER.id, at: 'later' }));
    resolveStuck(doc, { by: MANAGER.id, at: at(2) });
    expectRefusedInput(doc, () => resolveStuck(doc, { by: MANAGER.id, at: at(3) }), /no stuck report is open/);
  });
});

describe('recordQc', () => {
  it('S4: a pass stores the signature of the items it judged', () => {
    const doc = jobDoc();
    tickAll(doc);
    expect(countUpdates(doc, () => recordQc(doc, { pass: true, note: ' Smooth ', by: MANAGER.id, at: at(20) }))).toBe(1);
    expect(readJob(doc).qc).toEqual([
      { pass: true, note: 'Smooth', by: MANAGER.id, at: at(20), itemsSig: itemsSignature(readJob(doc).items) }
    ]);
    expect(deriveStatus(readJob(doc))).toBe('ready_for_pickup');
  });

  it('S3: a fail un-ticks the redo items and signs the items as left, in one transaction', () => {
    const doc = jobDoc();
    tickAll(doc);
    const [first, second] = itemIds(doc);
    expect(countUpdates(doc, () => recordQc(doc, { pass: false, by: MANAGER.id, at: at(20), redoItemIds: [first!, second!] }))).toBe(1);
    const job = readJob(doc);
    expect(job.items.map((i) => i.done)).toEqual([false, false, true, true]);
    expect(job.qc).toEqual([{ pass: false, by: MANAGER.id, at: at(20), itemsSig: itemsSignature(job.items) }]);
    expect(deriveStatus(job)).toBe('in_progress');
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc();
    const [first] = itemIds(doc);
    setItemDone(doc, first!, true, MECHANIC.id, at(10));
    expectRefusedInput(doc, () => recordQc(doc, { pass: true, by: MANAGER.id, at: at(20) }), /not every item is done/);
    expectRefusedInput(doc, () => recordQc(doc, { pass: false, by: MANAGER.id, at: at(20), redoItemIds: [first!, 'nope'] }), /unknown item/);
    tickAll(doc);
    expectRefusedInput(doc, () => recordQc(doc, { pass: true, by: MANAGER.id, at: at(20), redoItemIds: [first!] }));
    expectRefusedInput(doc, () => recordQc(doc, { pass: false, by: MANAGER.id, at: 'now' }));
    expectRefusedInput(doc, () => recordQc(doc, { pass: false, by: '', at: at(20) }));
    expectRefusedInput(doc, () => recordQc(doc, { pass: false, note: long(5001), by: MANAGER.id, at: at(20) }));
  });
});

describe('markCollected', () => {
  it('S3: sets collectedAt once', () => {
    const doc = jobDoc();
    expect(countUpdates(doc, () => markCollected(doc, at(30)))).toBe(1);
    expect(readJob(doc).collectedAt).toBe(at(30));
    expectRefusedInput(doc, () => markCollected(doc, at(31)), /already collected/);
    const fresh = jobDoc();
    expectRefusedInput(fresh, () => markCollected(fresh, 'today'));
  });
});

describe('updateDetails', () => {
  it('S3: changes the given details in one transaction, trimmed', () => {
    const doc = jobDoc();
    expect(countUpdates(doc, () => updateDetails(doc, { bike: ' Kona Sutra LTD ', description: '', customerName: 'Lee B.' }))).toBe(1);
    expect(readJob(doc)).toMatchObject({ bike: 'Kona Sutra LTD', description: '', customerName: 'Lee B.' });
  });

  it('values already there are not rewritten', () => {
    const doc = jobDoc();
    expect(countUpdates(doc, () => updateDetails(doc, { bike: 'Kona Sutra' }))).toBe(0);
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => updateDetails(doc, { bike: 'Fine', customerName: ' ' }));
    expectRefusedInput(doc, () => updateDetails(doc, { bike: long(201) }));
    expectRefusedInput(doc, () => updateDetails(doc, { description: long(5001) }));
  });
});

describe('addItem and removeItem', () => {
  it('S3: adds an undone item at the end and removes one by id', () => {
    const doc = jobDoc();
    let id = '';
    expect(countUpdates(doc, () => (id = addItem(doc, ' Tyres ')))).toBe(1);
    expect(readJob(doc).items.at(-1)).toEqual({ id, title: 'Tyres', done: false });
    const [first] = itemIds(doc);
    expect(countUpdates(doc, () => removeItem(doc, first!))).toBe(1);
    expect(readJob(doc).items.map((i) => i.title)).toEqual(['Gears', 'Chain', 'Wheels', 'Tyres']);
  });

  it('S3: bad input is refused and writes nothing', () => {
    const doc = jobDoc({ items: Array.from({ length: 99 }, (_, i) => `Item ${i}`) });
    expectRefusedInput(doc, () => addItem(doc, ''));
    expectRefusedInput(doc, () => addItem(doc, long(201)));
    addItem(doc, 'The 100th');
    expectRefusedInput(doc, () => addItem(doc, 'The 101st'), /at most 100/);
    expectRefusedInput(doc, () => removeItem(doc, 'nope'), /unknown item/);
  });

  it('items are found by id, skipping entries that are not maps', () => {
    const doc = jobDoc();
    itemsArray(doc).insert(0, ['junk']);
    const [first] = itemIds(doc);
    removeItem(doc, first!);
    expect(itemsArray(doc).get(0)).toBe('junk');
    expect(readJob(doc).items.map((i) => i.title)).toEqual(['Gears', 'Chain', 'Wheels']);
  });
});

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { itemsArray, jobMap, notesArray, qcArray, readJob, readRaw, stuckMap } from '../src/doc.js';
import { JobModelError } from '../src/errors.js';
import {
  addItem,
  addNote,
  assignMechanic,
  markCollected,
  recordQc,
  removeItem,
  reportStuck,
  resolveStuck,
  setItemDone,
  updateDetails
} from '../src/ops.js';
import { canOpenJob, checkChange } from '../src/permissions.js';
import type { Actor, Violation } from '../src/types.js';
import { CUSTOMER, MANAGER, MECHANIC, OTHER_MECHANIC, at, jobDoc, mulberry32, pick, replicaOf, seedCount, send } from './helpers.js';

type Write = (doc: Y.Doc) => void;

/**
 * What the server decides when `actor`'s client, holding `server`'s state, writes `write`:
 * the update is tried on a copy and the raw documents compared, as the server's Admission does.
 */
function attempt(actor: Actor, server: Y.Doc, write: Write): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}

const paths = (violations: Violation[]) => violations.map((v) => v.path);
const firstItem = (doc: Y.Doc) => itemsArray(doc).get(0) as Y.Map<unknown>;
const idOf = (doc: Y.Doc, index: number) => readJob(doc).items[index]!.id;

function yMap(values: Record<string, unknown>): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(values)) map.set(key, value);
  return map;
}

const note = (values: Record<string, unknown> = {}) =>
  yMap({ id: 'n-new', text: 'Pads worn', authorId: MECHANIC.id, at: at(5), visibility: 'internal', ...values });

/** A job with one note by the manager, a ticked item and a resolved stuck report. */
function busyJob(): Y.Doc {
  const doc = jobDoc();
  addNote(doc, { id: 'n1', text: 'Use blue pads', authorId: MANAGER.id, at: at(1), visibility: 'internal' });
  setItemDone(doc, idOf(doc, 0), true, MECHANIC.id, at(2));
  reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(3) });
  resolveStuck(doc, { resolution: 'Ordered', by: MANAGER.id, at: at(4) });
  return doc;
}

describe('P1: content only in the five roots', () => {
  it.each([MANAGER, MECHANIC, CUSTOMER])('P1: an unknown root is refused for a %s', (actor) => {
    expect(attempt(actor, jobDoc(), (d) => d.getMap('evil').set('x', 1))).toContainEqual({ path: 'evil', reason: expect.stringMatching(/P1/) });
  });

  it('P1: a list in the job map root, or keys in the items list root, are refused — even for a manager', () => {
    expect(paths(attempt(MANAGER, jobDoc(), (d) => d.getArray('job').push(['x'])))).toEqual(['job']);
    expect(paths(attempt(MANAGER, jobDoc(), (d) => d.getMap('items').set('k', 1)))).toEqual(['items']);
  });

  it('P1: no change, no violation', () => {
    expect(attempt(CUSTOMER, busyJob(), () => {})).toEqual([]);
  });
});

describe('P2: a manager changes any fact, keeping the document well-formed', () => {
  const allowed: [string, Write][] = [
    ['updating details', (d) => updateDetails(d, { bike: 'Kona Sutra LTD', description: 'New', customerName: 'Lee B.' })],
    ['re-assigning', (d) => assignMechanic(d, OTHER_MECHANIC.id, at(9))],
    ['un-assigning', (d) => assignMechanic(d, null, at(9))],
    ['ticking an item', (d) => setItemDone(d, idOf(d, 1), true, MANAGER.id, at(9))],
    ['un-ticking an item', (d) => setItemDone(d, idOf(d, 0), false, MANAGER.id, at(9))],
    ['adding and removing items', (d) => (addItem(d, 'Tyres'), removeItem(d, idOf(d, 1)))],
    ['renaming an item that is not done (P10)', (d) => (itemsArray(d).get(1) as Y.Map<unknown>).set('title', 'Disc brakes')],
    ['adding a note', (d) => addNote(d, { text: 'x', authorId: MANAGER.id, at: at(9), visibility: 'customer' })],
    ['deleting a note', (d) => notesArray(d).delete(0, 1)],
    ['opening and resolving stuck', (d) => (reportStuck(d, { reason: 'x', by: MANAGER.id, at: at(9) }), resolveStuck(d, { by: MANAGER.id, at: at(9) }))],
    ['recording a failed QC', (d) => recordQc(d, { pass: false, by: MANAGER.id, at: at(9), redoItemIds: [idOf(d, 0)] })],
    ['marking collected', (d) => markCollected(d, at(9))]
  ];
  it.each(allowed)('P2: %s is allowed', (_what, write) => {
    expect(attempt(MANAGER, busyJob(), write)).toEqual([]);
  });

  const refused: [string, Write, string][] = [
    ['a number as bike', (d) => jobMap(d).set('bike', 42), 'job.bike'],
    ['a string as number', (d) => jobMap(d).set('number', '7'), 'job.number'],
    ['a number as assigneeId', (d) => jobMap(d).set('assigneeId', 5), 'job.assigneeId'],
    ['deleting the job id', (d) => jobMap(d).delete('id'), 'job.id'],
    ['an unknown key in the job map', (d) => jobMap(d).set('price', 120), 'job.price'],
    ['a __proto__ key in the job map', (d) => jobMap(d).set('__proto__', { collectedAt: at(9) }), 'job.__proto__'],
    ["done as 'yes'", (d) => firstItem(d).set('done', 'yes'), 'items[0].done'],
    ['an item without a title', (d) => (itemsArray(d).get(1) as Y.Map<unknown>).delete('title'), 'items[1].title'],
    ['a duplicate item id', (d) => itemsArray(d).push([yMap({ id: idOf(d, 0), title: 'Again', done: false })]), 'items[4].id'],
    ['an item that is not a map', (d) => itemsArray(d).push([{ id: 'plain', title: 'Plain', done: false }]), 'items[4]'],
    ["note visibility 'public'", (d) => (notesArray(d).get(0) as Y.Map<unknown>).set('visibility', 'public'), 'notes[0].visibility'],
    ['a half-written stuck report', (d) => stuckMap(d).delete('reportedBy'), 'stuck.reportedBy'],
    ['a stuck report with open as a string', (d) => stuckMap(d).set('open', 'true'), 'stuck.open'],
    ["a QC entry with pass 'yes'", (d) => qcArray(d).push([yMap({ pass: 'yes', by: MANAGER.id, at: at(9) })]), 'qc[0].pass'],
    ['a QC entry without by', (d) => qcArray(d).push([yMap({ pass: true, at: at(9) })]), 'qc[0].by']
  ];
  it.each(refused)('P2: %s is refused', (_what, write, path) => {
    expect(paths(attempt(MANAGER, busyJob(), write))).toEqual([path]);
  });

  it('P2: an empty stuck map (no report yet) is well-formed', () => {
    expect(attempt(MANAGER, jobDoc(), (d) => jobMap(d).set('bike', 'x'))).toEqual([]);
  });
});

describe('P3: a mechanic changes neither the job map nor QC', () => {
  it.each<[string, Write, string]>([
    ['writing assigneeId', (d) => jobMap(d).set('assigneeId', OTHER_MECHANIC.id), 'job.assigneeId'],
    ['marking collected', (d) => jobMap(d).set('collectedAt', at(9)), 'job.collectedAt'],
    ['renaming the bike', (d) => jobMap(d).set('bike', 'Free upgrade'), 'job.bike'],
    ['deleting the description', (d) => jobMap(d).delete('description'), 'job.description'],
    ['an unknown key in the job map', (d) => jobMap(d).set('evil', 1), 'job.evil'],
    ['a __proto__ key in the job map', (d) => jobMap(d).set('__proto__', { collectedAt: at(9) }), 'job.__proto__'],
    ['a QC entry', (d) => qcArray(d).push([yMap({ pass: true, by: MECHANIC.id, at: at(9) })]), 'qc']
  ])('P3: %s is refused', (_what, write, path) => {
    expect(paths(attempt(MECHANIC, busyJob(), write))).toEqual([path]);
  });
});

describe('P4: a mechanic ticks items, nothing else', () => {
  it.each<[string, Write]>([
    ['ticking an item as themselves', (d) => setItemDone(d, idOf(d, 1), true, MECHANIC.id, at(9))],
    ['ticking several items', (d) => [1, 2, 3].forEach((i) => setItemDone(d, idOf(d, i), true, MECHANIC.id, at(9)))],
    ['un-ticking an item', (d) => setItemDone(d, idOf(d, 0), false, MECHANIC.id, at(9))],
    ["un-ticking someone else's tick", (d) => setItemDone(d, idOf(d, 2), false, MECHANIC.id, at(9))]
  ])('P4: %s is allowed', (_what, write) => {
    const doc = busyJob();
    setItemDone(doc, idOf(doc, 2), true, MANAGER.id, at(5));
    expect(attempt(MECHANIC, doc, write)).toEqual([]);
  });

  it.each<[string, Write, string[]]>([
    ['renaming an item', (d) => firstItem(d).set('title', 'Nothing'), ['items[0].title']],
    ['changing an item id', (d) => firstItem(d).set('id', 'other'), ['items[0].id']],
    ['an unknown key on an item', (d) => firstItem(d).set('price', 0), ['items[0].price']],
    // P11: the only item a mechanic adds is a proposal in their own name, with its price and time.
    ['adding an item', (d) => itemsArray(d).push([yMap({ id: 'x', title: 'Free upgrade', done: false })]), ['items[4].approval', 'items[4].price', 'items[4].proposedAt', 'items[4].proposedBy']],
    ['removing an item', (d) => itemsArray(d).delete(1, 1), ['items']],
    ['ticking with doneBy = someone else', (d) => setItemDone(d, idOf(d, 1), true, OTHER_MECHANIC.id, at(9)), ['items[1].doneBy']],
    ['ticking without doneAt', (d) => (itemsArray(d).get(1) as Y.Map<unknown>).set('done', true), ['items[1].doneBy', 'items[1].doneAt']],
    ["done as 'yes'", (d) => firstItem(d).set('done', 'yes'), ['items[0].done']],
    ["re-dating someone else's tick", (d) => (itemsArray(d).get(2) as Y.Map<unknown>).set('doneAt', at(9)), ['items[2].doneBy']],
    ["writing someone else's doneBy on an undone item", (d) => (itemsArray(d).get(1) as Y.Map<unknown>).set('doneBy', OTHER_MECHANIC.id), ['items[1].doneBy']]
  ])('P4: %s is refused', (_what, write, expected) => {
    const doc = busyJob();
    setItemDone(doc, idOf(doc, 2), true, MANAGER.id, at(5));
    expect(paths(attempt(MECHANIC, doc, write)).sort()).toEqual(expected.sort());
  });

  it('P4: moving an item (delete and re-insert) is refused: items are compared by position and id', () => {
    const move: Write = (d) => {
      const json = firstItem(d).toJSON();
      d.transact(() => {
        itemsArray(d).delete(0, 1);
        itemsArray(d).push([yMap(json)]);
      });
    };
    const idPaths = paths(attempt(MECHANIC, busyJob(), move)).filter((p) => p.endsWith('.id'));
    expect(idPaths).toEqual(['items[0].id', 'items[1].id', 'items[2].id', 'items[3].id']);
  });
});

describe('P5: a mechanic adds their own notes; existing notes stay', () => {
  it.each<[string, Write]>([
    ['an internal note', (d) => addNote(d, { text: 'Pads worn', authorId: MECHANIC.id, at: at(9), visibility: 'internal' })],
    ['a customer note', (d) => addNote(d, { text: 'Almost done', authorId: MECHANIC.id, at: at(9), visibility: 'customer' })],
    ['a note inserted before existing ones', (d) => notesArray(d).insert(0, [note()])],
    ['a note of exactly 5000 characters', (d) => notesArray(d).push([note({ text: 'x'.repeat(5000) })])]
  ])('P5: %s is allowed', (_what, write) => {
    expect(attempt(MECHANIC, busyJob(), write)).toEqual([]);
  });

  it.each<[string, Write, string[]]>([
    ["deleting someone's note", (d) => notesArray(d).delete(0, 1), ['notes[0]']],
    ['editing an existing note', (d) => (notesArray(d).get(0) as Y.Map<unknown>).set('text', 'Use red pads'), ['notes[0]', 'notes[0].authorId']],
    ['a note in someone else’s name', (d) => notesArray(d).push([note({ authorId: MANAGER.id })]), ['notes[1].authorId']],
    ['a blank note', (d) => notesArray(d).push([note({ text: '   ' })]), ['notes[1].text']],
    ['a note over 5000 characters', (d) => notesArray(d).push([note({ text: 'x'.repeat(5001) })]), ['notes[1].text']],
    ["visibility 'public'", (d) => notesArray(d).push([note({ visibility: 'public' })]), ['notes[1].visibility']],
    ['an unknown key on a new note', (d) => notesArray(d).push([note({ pinned: true })]), ['notes[1].pinned']],
    ['a note that is not a map', (d) => notesArray(d).push([{ id: 'x', text: 'hi', authorId: MECHANIC.id, at: at(9), visibility: 'internal' }]), ['notes[1]']]
  ])('P5: %s is refused', (_what, write, expected) => {
    expect(paths(attempt(MECHANIC, busyJob(), write)).sort()).toEqual(expected.sort());
  });
});

describe('P6: a mechanic opens the stuck report; only a manager resolves it', () => {
  it('P6: opening, re-opening after a resolution and re-wording are allowed', () => {
    const fresh = jobDoc();
    expect(attempt(MECHANIC, fresh, (d) => reportStuck(d, { reason: 'No pads', by: MECHANIC.id, at: at(9) }))).toEqual([]);
    const resolved = busyJob();
    expect(attempt(MECHANIC, resolved, (d) => reportStuck(d, { reason: 'Wrong pads', by: MECHANIC.id, at: at(9) }))).toEqual([]);
    reportStuck(resolved, { reason: 'Wrong pads', by: MECHANIC.id, at: at(9) });
    expect(attempt(MECHANIC, resolved, (d) => stuckMap(d).set('reason', 'Wrong pads, again'))).toEqual([]);
  });

  it.each<[string, Write, string[]]>([
    ['resolving (open → false)', (d) => stuckMap(d).set('open', false), ['stuck.open']],
    ['resolving through resolveStuck', (d) => resolveStuck(d, { by: MECHANIC.id, at: at(10) }), ['stuck.open', 'stuck.resolution', 'stuck.resolvedBy', 'stuck.resolvedAt']],
    ['reporting in someone else’s name', (d) => stuckMap(d).set('reportedBy', OTHER_MECHANIC.id), ['stuck.reportedBy']],
    ['a blank reason', (d) => stuckMap(d).set('reason', ' '), ['stuck.reason']],
    ['changing the resolution', (d) => stuckMap(d).set('resolution', 'Fixed it myself'), ['stuck.resolution']],
    ['an unknown key', (d) => stuckMap(d).set('urgent', true), ['stuck.urgent']]
  ])('P6: %s is refused', (_what, write, expected) => {
    const doc = busyJob();
    reportStuck(doc, { reason: 'Wrong pads', by: MECHANIC.id, at: at(9) });
    expect(paths(attempt(MECHANIC, doc, write)).sort()).toEqual(expected.sort());
  });

  it('P6: an offline re-wording that merges with a concurrent resolution is allowed, whoever wins', () => {
    for (const [managerId, mechanicId] of [[1, 2], [2, 1]] as const) {
      const server = replicaOf(busyJob(), 100);
      reportStuck(server, { reason: 'No pads', by: MECHANIC.id, at: at(9) });
      const boss = replicaOf(server, managerId);
      const theo = replicaOf(server, mechanicId);
      resolveStuck(boss, { resolution: 'Pads arrived', by: MANAGER.id, at: at(10) });
      reportStuck(theo, { reason: 'No pads, and the caliper is cracked', by: MECHANIC.id, at: at(11) });
      send(boss, server); // the resolution reached the server first
      const before = readRaw(server);
      const trial = replicaOf(server);
      send(theo, trial);
      expect(checkChange(MECHANIC, before, readRaw(trial))).toEqual([]);
    }
  });

  it('P6: opening a report without a time is refused', () => {
    const write: Write = (d) =>
      d.transact(() => {
        stuckMap(d).set('open', true);
        stuckMap(d).set('reason', 'No pads');
        stuckMap(d).set('reportedBy', MECHANIC.id);
      });
    expect(paths(attempt(MECHANIC, jobDoc(), write))).toEqual(['stuck.reportedAt']);
  });
});

describe('P7: a customer changes nothing', () => {
  it.each<[string, Write, string]>([
    ['ticking an item', (d) => setItemDone(d, idOf(d, 1), true, CUSTOMER.id, at(9)), 'items'],
    ['adding a note', (d) => addNote(d, { text: 'When?', authorId: CUSTOMER.id, at: at(9), visibility: 'customer' }), 'notes'],
    ['reporting stuck', (d) => reportStuck(d, { reason: 'x', by: CUSTOMER.id, at: at(9) }), 'stuck'],
    ['renaming the bike', (d) => jobMap(d).set('bike', 'x'), 'job'],
    ['recording QC', (d) => qcArray(d).push([yMap({ pass: true, by: CUSTOMER.id, at: at(9) })]), 'qc']
  ])('P7: %s is refused', (_what, write, path) => {
    expect(paths(attempt(CUSTOMER, busyJob(), write))).toEqual([path]);
  });

  it('P7: a role the model does not know is treated like a customer', () => {
    const stranger = { id: 'x', role: 'admin' } as unknown as Actor;
    expect(paths(attempt(stranger, busyJob(), (d) => jobMap(d).set('bike', 'x')))).toEqual(['job']);
  });
});

describe('P4, P5: legitimate offline edits are never refused because of what they merge with', () => {
  /** Seeded rounds (200 in bench:fuzz): a manager edits the server while the mechanic edits offline, then syncs. */
  it('P4/P5: a mechanic ticking, un-ticking and writing notes offline passes after any concurrent manager edits', () => {
    for (let seed = 1; seed <= seedCount(200); seed++) {
      const random = mulberry32(seed);
      // Yjs settles concurrent writes to a map key by clientID: alternate who wins.
      const server = replicaOf(busyJob(), seed % 2 === 0 ? 1 : 2);
      const offline = replicaOf(server, seed % 2 === 0 ? 2 : 1);
      let minute = 10;
      const anyItem = (d: Y.Doc) => pick(random, readJob(d).items).id;
      const managerEdits: Write[] = [
        (d) => setItemDone(d, anyItem(d), random() < 0.5, MANAGER.id, at(minute)),
        (d) => recordQc(d, { pass: false, by: MANAGER.id, at: at(minute), redoItemIds: [anyItem(d)] }),
        (d) => addNote(d, { text: 'm', authorId: MANAGER.id, at: at(minute), visibility: 'internal' }),
        (d) => {
          if (notesArray(d).length > 0) notesArray(d).delete(0, 1);
        },
        (d) => addItem(d, 'Extra'),
        (d) => {
          if (readJob(d).items.length > 1) removeItem(d, anyItem(d));
        },
        (d) => (itemsArray(d).get(0) as Y.Map<unknown>).set('title', `Renamed ${minute}`)
      ];
      const mechanicEdits: Write[] = [
        (d) => setItemDone(d, anyItem(d), random() < 0.6, MECHANIC.id, at(minute)),
        (d) => addNote(d, { text: 'n', authorId: MECHANIC.id, at: at(minute), visibility: 'customer' })
      ];
      for (let step = 0; step < 8; step++) {
        minute++;
        const [doc, edits] = random() < 0.5 ? [server, managerEdits] : [offline, mechanicEdits];
        try {
          pick(random, edits)(doc);
        } catch (error) {
          if (!(error instanceof JobModelError)) throw error;
        }
      }
      const trial = replicaOf(server);
      send(offline, trial);
      expect({ seed, violations: checkChange(MECHANIC, readRaw(server), readRaw(trial)) }).toEqual({ seed, violations: [] });
    }
  });
});

describe('P8: who opens a job document', () => {
  it.each<[string, Actor, string | null, 'write' | false]>([
    ['a manager, any job', MANAGER, OTHER_MECHANIC.id, 'write'],
    ['a manager, an unassigned job', MANAGER, null, 'write'],
    ['the assigned mechanic', MECHANIC, MECHANIC.id, 'write'],
    ['another mechanic', OTHER_MECHANIC, MECHANIC.id, false],
    ['a mechanic, an unassigned job', MECHANIC, null, false],
    ['a customer, even with a matching id', CUSTOMER, CUSTOMER.id, false]
  ])('P8: %s', (_who, actor, assigneeId, expected) => {
    expect(canOpenJob(actor, assigneeId)).toBe(expected);
  });
});

import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob } from '../src/doc.js';
import { deriveEvents, isEventMoot, mootFingerprint } from '../src/events.js';
import { addNote, assignMechanic, recordQc, reportStuck, resolveStuck, setItemDone } from '../src/ops.js';
import { itemsSignature } from '../src/status.js';
import type { JobEvent, JobFacts } from '../src/types.js';
import { MANAGER, MECHANIC, OTHER_MECHANIC, at, facts, item, jobDoc, replicaOf, send } from './helpers.js';

/** The events of one change made to `doc`. */
function eventsOf(doc: Y.Doc, change: (doc: Y.Doc) => void): JobEvent[] {
  const before = readJob(doc);
  change(doc);
  return deriveEvents(before, readJob(doc));
}

const kinds = (events: JobEvent[]) => events.map((e) => e.kind);
const ids = (doc: Y.Doc) => readJob(doc).items.map((i) => i.id);
function tick(doc: Y.Doc, indexes: number[], minute = 10) {
  for (const i of indexes) setItemDone(doc, ids(doc)[i]!, true, MECHANIC.id, at(minute));
}

describe('E1, E2: assignment', () => {
  it('E1: a new job created with an assignee → assigned', () => {
    expect(deriveEvents(null, readJob(jobDoc()))).toEqual([
      { kind: 'assigned', jobId: 'job-1', key: `assigned:${MECHANIC.id}:${at(0)}`, mechanicId: MECHANIC.id }
    ]);
  });

  it('E1: a new unassigned job → no event', () => {
    expect(deriveEvents(null, readJob(jobDoc({ assigneeId: null })))).toEqual([]);
  });

  it('E1, E2: re-assigning tells the new mechanic and the previous one', () => {
    const doc = jobDoc();
    expect(eventsOf(doc, (d) => assignMechanic(d, OTHER_MECHANIC.id, at(5)))).toEqual([
      { kind: 'assigned', jobId: 'job-1', key: `assigned:${OTHER_MECHANIC.id}:${at(5)}`, mechanicId: OTHER_MECHANIC.id },
      { kind: 'unassigned', jobId: 'job-1', key: `unassigned:${MECHANIC.id}:${at(5)}`, mechanicId: MECHANIC.id }
    ]);
  });

  it('E2: un-assigning → unassigned only', () => {
    const doc = jobDoc();
    expect(eventsOf(doc, (d) => assignMechanic(d, null, at(5)))).toEqual([
      { kind: 'unassigned', jobId: 'job-1', key: `unassigned:${MECHANIC.id}:${at(5)}`, mechanicId: MECHANIC.id }
    ]);
  });

  it("E1, E2: without assignedAt (an outside client) the key says 'none'", () => {
    const before = facts({ assigneeId: MECHANIC.id });
    const after = facts({ assigneeId: OTHER_MECHANIC.id });
    expect(deriveEvents(before, after).map((e) => e.key)).toEqual([`assigned:${OTHER_MECHANIC.id}:none`, `unassigned:${MECHANIC.id}:none`]);
  });

  it('E1: assigning back to an earlier mechanic is a new event with a new key', () => {
    const doc = jobDoc();
    const first = deriveEvents(null, readJob(doc))[0]!;
    assignMechanic(doc, OTHER_MECHANIC.id, at(5));
    const again = eventsOf(doc, (d) => assignMechanic(d, MECHANIC.id, at(6)));
    expect(again[0]!.key).not.toBe(first.key);
  });
});

describe('E3: progress', () => {
  it('E3: ticking items → one coalesced progress event with the progress', () => {
    const doc = jobDoc();
    expect(eventsOf(doc, (d) => tick(d, [0, 1]))).toEqual([
      { kind: 'progress', jobId: 'job-1', key: 'progress', progress: { done: 2, total: 4 } }
    ]);
  });

  it('E3: un-ticking, or a change that ticks nothing, → no progress event', () => {
    const doc = jobDoc();
    tick(doc, [0]);
    expect(eventsOf(doc, (d) => setItemDone(d, ids(d)[0]!, false, MECHANIC.id, at(11)))).toEqual([]);
    expect(eventsOf(doc, (d) => addNote(d, { text: 'x', authorId: MECHANIC.id, at: at(12), visibility: 'internal' }))).toEqual([]);
  });
});

describe('E4: ready for QC', () => {
  it('E4: the last tick → ready_for_qc keyed by the items signature', () => {
    const doc = jobDoc();
    tick(doc, [0, 1, 2]);
    const events = eventsOf(doc, (d) => tick(d, [3]));
    expect(events).toContainEqual({ kind: 'ready_for_qc', jobId: 'job-1', key: `ready_for_qc:${itemsSignature(readJob(doc).items)}` });
  });

  it('E4: staying in quality_check → no new event; coming back after a QC fail → a new key', () => {
    const doc = jobDoc();
    tick(doc, [0, 1, 2, 3]);
    const first = deriveEvents(null, readJob(doc)).find((e) => e.kind === 'ready_for_qc')!;
    expect(eventsOf(doc, (d) => addNote(d, { text: 'x', authorId: MECHANIC.id, at: at(11), visibility: 'internal' }))).toEqual([]);
    recordQc(doc, { pass: false, by: MANAGER.id, at: at(20), redoItemIds: [ids(doc)[0]!] });
    const again = eventsOf(doc, (d) => tick(d, [0], 21)).find((e) => e.kind === 'ready_for_qc')!;
    expect(again.key).not.toBe(first.key);
  });
});

describe('E5, E6: stuck', () => {
  it('E5: opening the report → stuck with reason and reporter', () => {
    const doc = jobDoc();
    expect(eventsOf(doc, (d) => reportStuck(d, { reason: 'No pads', by: MECHANIC.id, at: at(5) }))).toEqual([
      { kind: 'stuck', jobId: 'job-1', key: `stuck:${at(5)}`, reason: 'No pads', mechanicId: MECHANIC.id }
    ]);
  });

  it('E5: re-reporting while open (new reportedAt) → a new stuck event; an unchanged report → none', () => {
    const doc = jobDoc();
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(5) });
    const reReported = eventsOf(doc, (d) => reportStuck(d, { reason: 'Still no pads', by: MECHANIC.id, at: at(6) }));
    expect(reReported.map((e) => e.key)).toEqual([`stuck:${at(6)}`]);
    expect(eventsOf(doc, (d) => tick(d, [0]))).not.toContainEqual(expect.objectContaining({ kind: 'stuck' }));
  });

  it('E6: resolving → unstuck for the assignee, with the resolution', () => {
    const doc = jobDoc();
    reportStuck(doc, { reason: 'No pads', by: MECHANIC.id, at: at(5) });
    expect(eventsOf(doc, (d) => resolveStuck(d, { resolution: 'Pads arrived', by: MANAGER.id, at: at(6) }))).toEqual([
      { kind: 'unstuck', jobId: 'job-1', key: `unstuck:${at(6)}`, mechanicId: MECHANIC.id, note: 'Pads arrived' }
    ]);
  });

  it('E6: an unassigned job still yields unstuck, without a mechanic', () => {
    const doc = jobDoc({ assigneeId: null });
    reportStuck(doc, { reason: 'No pads', by: MANAGER.id, at: at(5) });
    const [event] = eventsOf(doc, (d) => resolveStuck(d, { by: MANAGER.id, at: at(6) }));
    expect(event).toEqual({ kind: 'unstuck', jobId: 'job-1', key: `unstuck:${at(6)}`, note: '' });
  });
});

describe('E7, E8: quality checks', () => {
  it('E7: a failing check → qc_failed for the assignee, with the note', () => {
    const doc = jobDoc();
    tick(doc, [0, 1, 2, 3]);
    const events = eventsOf(doc, (d) =>
      recordQc(d, { pass: false, note: 'Brakes squeal', by: MANAGER.id, at: at(20), redoItemIds: [ids(d)[0]!] })
    );
    expect(events).toEqual([{ kind: 'qc_failed', jobId: 'job-1', key: `qc_failed:${at(20)}`, mechanicId: MECHANIC.id, note: 'Brakes squeal' }]);
  });

  it('E7: each new failing entry counts once; entries seen before do not come back', () => {
    const before = facts({ assigneeId: MECHANIC.id, qc: [{ pass: false, by: MANAGER.id, at: at(1) }] });
    const after = {
      ...before,
      qc: [
        ...before.qc,
        { pass: false, by: MANAGER.id, at: at(2) },
        { pass: true, by: MANAGER.id, at: at(3) },
        { pass: false, by: MANAGER.id, at: at(4) }
      ]
    };
    const failed = deriveEvents(before, after).filter((e) => e.kind === 'qc_failed');
    expect(failed.map((e) => e.key)).toEqual([`qc_failed:${at(2)}`, `qc_failed:${at(4)}`]);
  });

  it('E8: a passing check → ready_for_pickup keyed by its time', () => {
    const doc = jobDoc();
    tick(doc, [0, 1, 2, 3]);
    expect(eventsOf(doc, (d) => recordQc(d, { pass: true, by: MANAGER.id, at: at(20) }))).toEqual([
      { kind: 'ready_for_pickup', jobId: 'job-1', key: `ready_for_pickup:${at(20)}` }
    ]);
  });
});

describe('event order and keys', () => {
  it('events come in a fixed order: assigned, unassigned, progress, unstuck, qc_failed, ready_for_qc', () => {
    const before = facts({
      assigneeId: MECHANIC.id,
      items: [item('a', true, at(1)), item('b', false)],
      stuck: { open: true, reason: 'x', reportedBy: MECHANIC.id, reportedAt: at(2) }
    });
    const after: JobFacts = {
      ...before,
      assigneeId: OTHER_MECHANIC.id,
      assignedAt: at(5),
      items: [item('a', true, at(1)), item('b', true, at(6))],
      stuck: { ...before.stuck!, open: false, resolvedAt: at(4) },
      qc: [{ pass: false, by: MANAGER.id, at: at(3), itemsSig: 'stale' }]
    };
    expect(kinds(deriveEvents(before, after))).toEqual(['assigned', 'unassigned', 'progress', 'unstuck', 'qc_failed', 'ready_for_qc']);
  });

  it('events come in a fixed order: stuck before ready_for_pickup', () => {
    const items = [item('a', true, at(1))];
    const before = facts({ items });
    const after = facts({
      items,
      stuck: { open: true, reason: 'x', reportedBy: MECHANIC.id, reportedAt: at(2) },
      qc: [{ pass: true, by: MANAGER.id, at: at(3), itemsSig: itemsSignature(items) }]
    });
    expect(kinds(deriveEvents(before, after))).toEqual(['stuck', 'ready_for_pickup']);
  });

  it('jobId comes from the state after the change', () => {
    const events = deriveEvents(facts({ id: 'old' }), facts({ id: 'job-2', assigneeId: MECHANIC.id }));
    expect(events.map((e) => e.jobId)).toEqual(['job-2']);
  });

  it('the same change computed twice gives equal events; seen again, it gives none', () => {
    const doc = jobDoc();
    const before = readJob(doc);
    tick(doc, [0, 1, 2, 3]);
    reportStuck(doc, { reason: 'x', by: MECHANIC.id, at: at(11) });
    const after = readJob(doc);
    expect(deriveEvents(before, after)).toEqual(deriveEvents(structuredClone(before), structuredClone(after)));
    expect(deriveEvents(after, after)).toEqual([]);
  });

  it('keys do not depend on the order in which a server received merged updates', () => {
    const server = jobDoc();
    tick(server, [0, 1]);
    const a = replicaOf(server);
    const b = replicaOf(server);
    tick(a, [2], 12);
    reportStuck(a, { reason: 'No pads', by: MECHANIC.id, at: at(13) });
    tick(b, [3], 14);

    /** The keys a server emits when `first`'s updates reach it, then `second`'s. */
    const keysSeen = (first: Y.Doc, second: Y.Doc) => {
      const seen = replicaOf(server);
      const keys: string[] = [];
      for (const replica of [first, second]) {
        const before = readJob(seen);
        send(replica, seen);
        keys.push(...deriveEvents(before, readJob(seen)).map((e) => e.key));
      }
      return keys.sort();
    };
    const ab = keysSeen(a, b);
    expect(ab).toEqual(keysSeen(b, a));
    expect(ab).toEqual(['progress', 'progress', `stuck:${at(13)}`]);
  });

  it('a replica that merged first and a server that saw both updates agree on the key of the last tick', () => {
    const server = jobDoc();
    tick(server, [0, 1]);
    const a = replicaOf(server);
    const b = replicaOf(server);
    tick(a, [2], 12);
    tick(b, [3], 14);
    send(b, a);
    const onReplica = deriveEvents(readJob(server), readJob(a)).find((e) => e.kind === 'ready_for_qc');
    send(a, server);
    const onServer = deriveEvents(readJob(b), readJob(server)).find((e) => e.kind === 'ready_for_qc');
    expect(onReplica?.key).toBeDefined();
    expect(onReplica?.key).toBe(onServer?.key);
  });
});

describe('E9: moot alerts', () => {
  it('E9: ready_for_qc is moot once the status left quality_check', () => {
    const doc = jobDoc();
    tick(doc, [0, 1, 2, 3]);
    const event = deriveEvents(null, readJob(doc)).find((e) => e.kind === 'ready_for_qc')!;
    expect(isEventMoot(event, readJob(doc))).toBe(false);
    setItemDone(doc, ids(doc)[0]!, false, MECHANIC.id, at(11));
    expect(isEventMoot(event, readJob(doc))).toBe(true);
  });

  it('E9: stuck is moot once resolved or re-reported', () => {
    const doc = jobDoc();
    const [event] = eventsOf(doc, (d) => reportStuck(d, { reason: 'x', by: MECHANIC.id, at: at(5) }));
    expect(isEventMoot(event!, readJob(doc))).toBe(false);
    reportStuck(doc, { reason: 'y', by: MECHANIC.id, at: at(6) });
    expect(isEventMoot(event!, readJob(doc))).toBe(true);
    resolveStuck(doc, { by: MANAGER.id, at: at(7) });
    expect(isEventMoot(event!, readJob(doc))).toBe(true);
  });

  it('E9: assigned is moot once the mechanic is no longer the assignee', () => {
    const doc = jobDoc();
    const [event] = deriveEvents(null, readJob(doc));
    expect(isEventMoot(event!, readJob(doc))).toBe(false);
    assignMechanic(doc, OTHER_MECHANIC.id, at(5));
    expect(isEventMoot(event!, readJob(doc))).toBe(true);
  });

  it.each<JobEvent['kind']>(['unassigned', 'progress', 'unstuck', 'qc_failed', 'ready_for_pickup'])('E9: %s is never moot', (kind) => {
    expect(isEventMoot({ kind, jobId: 'job-1', key: kind, mechanicId: MECHANIC.id }, facts({ collectedAt: at(1) }))).toBe(false);
  });

  it('E9: two states with the same mootFingerprint make every alert moot in both or in neither', () => {
    // A job's life, one change at a time; every event it raised is an alert to judge in every state.
    const doc = jobDoc();
    const states: JobFacts[] = [readJob(doc)];
    const alerts: JobEvent[] = [...deriveEvents(null, readJob(doc))];
    const step = (change: (d: Y.Doc) => void) => {
      alerts.push(...eventsOf(doc, change));
      states.push(readJob(doc));
    };
    step((d) => tick(d, [0]));
    step((d) => addNote(d, { text: 'n', authorId: MECHANIC.id, at: at(11), visibility: 'internal' }));
    step((d) => reportStuck(d, { reason: 'x', by: MECHANIC.id, at: at(12) }));
    step((d) => reportStuck(d, { reason: 'y', by: MECHANIC.id, at: at(13) }));
    step((d) => resolveStuck(d, { by: MANAGER.id, at: at(14) }));
    step((d) => tick(d, [1, 2, 3], 15));
    step((d) => addNote(d, { text: 'm', authorId: MECHANIC.id, at: at(16), visibility: 'customer' }));
    step((d) => setItemDone(d, ids(d)[3]!, false, MECHANIC.id, at(17)));
    step((d) => tick(d, [3], 18));
    step((d) => assignMechanic(d, OTHER_MECHANIC.id, at(19)));
    step((d) => recordQc(d, { pass: false, by: MANAGER.id, at: at(20), note: 'no' }));
    step((d) => assignMechanic(d, MECHANIC.id, at(21)));
    step((d) => reportStuck(d, { reason: 'again', by: MECHANIC.id, at: at(22) }));
    expect(alerts.map((a) => a.kind)).toEqual(expect.arrayContaining(['assigned', 'stuck', 'ready_for_qc']));
    let samePairs = 0;
    for (const a of states) {
      for (const b of states) {
        if (mootFingerprint(a) !== mootFingerprint(b)) continue;
        samePairs += 1;
        for (const alert of alerts) expect(isEventMoot(alert, a)).toBe(isEventMoot(alert, b));
      }
    }
    expect(samePairs).toBeGreaterThan(states.length); // some distinct states do share a fingerprint
  });
});

/**
 * The workshop day (SPEC S7, D10, P15–P17, E12–E13, W, C): promised time, parts ordered and
 * arrived, clocked work sessions.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { clockArray, jobMap, partsArray, readJob, readRaw } from '../src/doc.js';
import { clockedMsByMechanic, clockedSeconds, compactClock, isClockRunning, OPEN_SESSION_CAP_MS, startClock, stopClock } from '../src/clock.js';
import { deriveEvents, isEventMoot, mootFingerprint, overdueKey } from '../src/events.js';
import { recordQc, setItemDone } from '../src/ops.js';
import { markPartArrived, orderPart, partsExpectation } from '../src/parts.js';
import { canOpenJob, checkChange } from '../src/permissions.js';
import { isOverdue, setPromisedAt } from '../src/promised.js';
import { deriveStatus } from '../src/status.js';
import type { Actor, ClockFacts, Violation } from '../src/types.js';
import { publicView } from '../src/view.js';
import { CUSTOMER, MANAGER, MECHANIC, OTHER_MECHANIC, at, expectRefusedInput, facts, jobDoc, replicaOf, send } from './helpers.js';

function attempt(actor: Actor, server: Y.Doc, write: (doc: Y.Doc) => void): Violation[] {
  const client = replicaOf(server);
  write(client);
  const trial = replicaOf(server);
  send(client, trial);
  return checkChange(actor, readRaw(server), readRaw(trial));
}
const reasons = (v: Violation[]) => v.map((x) => `${x.path}: ${x.reason}`);
const ms = (minute: number) => Date.parse(at(minute));

describe('S7: shape and reading', () => {
  it('S7: a new job has no parts, no sessions and no promised time; createJob stores promisedAt', () => {
    const plain = readJob(jobDoc());
    expect(plain).toMatchObject({ parts: [], clock: [] });
    expect(plain.promisedAt).toBeUndefined();
    expect(readJob(jobDoc({ promisedAt: at(600) })).promisedAt).toBe(at(600));
  });

  it('S7/S2: mistyped part and session fields read as their empty values; non-maps are skipped', () => {
    const doc = jobDoc();
    const part = new Y.Map<unknown>();
    part.set('id', 'p1');
    part.set('expectedAt', 7);
    partsArray(doc).push([part, 'junk' as never]);
    const session = new Y.Map<unknown>();
    session.set('mechanicId', 42);
    clockArray(doc).push([session]);
    const f = readJob(doc);
    expect(f.parts).toEqual([{ id: 'p1', name: '', expectedAt: null, orderedBy: '', orderedAt: '', arrivedAt: null, arrivedBy: null }]);
    expect(f.clock).toEqual([{ id: '', mechanicId: '', startedAt: '', stoppedAt: null }]);
  });

  it('S7/S3: operations refuse bad input and change nothing', () => {
    const doc = jobDoc();
    expectRefusedInput(doc, () => setPromisedAt(doc, 'next Tuesday'), /promisedAt/);
    expectRefusedInput(doc, () => orderPart(doc, { name: '  ', by: MECHANIC.id, at: at(1) }), /part name/);
    expectRefusedInput(doc, () => orderPart(doc, { name: 'Pads', expectedAt: '2026-13-45', by: MECHANIC.id, at: at(1) }), /expectedAt/);
    expectRefusedInput(doc, () => markPartArrived(doc, 'nope', MANAGER.id, at(2)), /unknown part/);
    expectRefusedInput(doc, () => stopClock(doc, MECHANIC.id, at(3)), /not running/);
    startClock(doc, MECHANIC.id, at(4));
    expectRefusedInput(doc, () => startClock(doc, MECHANIC.id, at(5)), /already running/);
  });

  it('S7: setPromisedAt sets, changes and clears; unchanged is a no-op', () => {
    const doc = jobDoc();
    setPromisedAt(doc, at(60));
    expect(readJob(doc).promisedAt).toBe(at(60));
    const before = Y.encodeStateAsUpdate(doc);
    setPromisedAt(doc, at(60));
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    setPromisedAt(doc, null);
    expect(readJob(doc).promisedAt).toBeUndefined();
  });
});

describe('D10: waiting_for_parts', () => {
  it('D10: a part not arrived makes the job waiting_for_parts; its arrival gives the status back', () => {
    const doc = jobDoc();
    setItemDone(doc, readJob(doc).items[0]!.id, true, MECHANIC.id, at(1));
    expect(deriveStatus(readJob(doc))).toBe('in_progress');
    const partId = orderPart(doc, { name: 'Shimano pads', expectedAt: at(2000), by: MECHANIC.id, at: at(2) });
    expect(deriveStatus(readJob(doc))).toBe('waiting_for_parts');
    markPartArrived(doc, partId, MANAGER.id, at(3));
    expect(deriveStatus(readJob(doc))).toBe('in_progress');
  });

  it('D10: after D3 (stuck wins) and before D4 (every item done but a part awaited)', () => {
    const f = facts({
      assigneeId: MECHANIC.id,
      items: [{ id: 'a', title: 'A', done: true, doneBy: MECHANIC.id, doneAt: at(1) }],
      parts: [{ id: 'p', name: 'Pads', expectedAt: null, orderedBy: MECHANIC.id, orderedAt: at(0), arrivedAt: null, arrivedBy: null }]
    });
    expect(deriveStatus(f)).toBe('waiting_for_parts');
    expect(deriveStatus({ ...f, stuck: { open: true, reason: 'x', reportedBy: MECHANIC.id, reportedAt: at(2) } })).toBe('stuck');
    expect(deriveStatus({ ...f, collectedAt: at(3) })).toBe('collected');
  });
});

describe('W4 and V1: what the customer is told', () => {
  it('W4: the latest expected time of the awaited parts, null inside when one has none', () => {
    const part = (id: string, expectedAt: string | null, arrivedAt: string | null = null) => ({
      id, name: id, expectedAt, orderedBy: MANAGER.id, orderedAt: at(0), arrivedAt, arrivedBy: arrivedAt ? MANAGER.id : null
    });
    expect(partsExpectation({ parts: [] })).toBeNull();
    expect(partsExpectation({ parts: [part('a', at(100)), part('b', at(300)), part('c', at(900), at(5))] })).toEqual({ expectedAt: at(300) });
    expect(partsExpectation({ parts: [part('a', at(100)), part('b', null)] })).toEqual({ expectedAt: null });
  });

  it('V1: the public view carries promisedAt and the expectation, never a part name or who ordered it', () => {
    const doc = jobDoc({ promisedAt: at(500) });
    orderPart(doc, { name: 'Secret supplier pads', expectedAt: at(400), by: MECHANIC.id, at: at(1) });
    const view = publicView(readJob(doc), at(2));
    expect(view).toMatchObject({ promisedAt: at(500), waitingForPart: { expectedAt: at(400) }, status: 'waiting_for_parts' });
    expect(JSON.stringify(view)).not.toMatch(/Secret supplier|theo/);
  });
});

describe('C3: clocked time is the union of a mechanic’s sessions', () => {
  const s = (mechanicId: string, from: number, to: number | null): ClockFacts => ({
    id: `${mechanicId}${from}`, mechanicId, startedAt: at(from), stoppedAt: to === null ? null : at(to)
  });

  it('C3: overlapping sessions of one mechanic count once; two mechanics add up', () => {
    expect(clockedSeconds([s('theo', 0, 60), s('theo', 30, 90)], ms(1000))).toBe(90 * 60);
    expect(clockedSeconds([s('theo', 0, 60), s('ana', 30, 90)], ms(1000))).toBe(120 * 60);
    expect(clockedSeconds([s('theo', 0, 10), s('theo', 20, 30)], ms(1000))).toBe(20 * 60);
    expect(clockedMsByMechanic([s('theo', 0, 60), s('ana', 30, 90)], ms(1000))).toEqual(new Map([['theo', 3_600_000], ['ana', 3_600_000]]));
  });

  it('C3: a running session counts up to now, at most the cap; a stop before the start counts nothing', () => {
    expect(clockedSeconds([s('theo', 0, null)], ms(45))).toBe(45 * 60);
    expect(clockedSeconds([s('theo', 0, null), s('theo', 10, 20)], ms(45))).toBe(45 * 60);
    expect(clockedSeconds([s('theo', 0, null)], ms(0) + 3 * OPEN_SESSION_CAP_MS)).toBe(OPEN_SESSION_CAP_MS / 1000);
    expect(clockedSeconds([s('theo', 50, 40)], ms(1000))).toBe(0);
  });

  it('C3: compactClock keeps the clocked time at any moment', () => {
    const sessions = [s('theo', 0, 60), s('theo', 30, 90), s('theo', 200, 210), s('ana', 5, 6), s('theo', 300, null)];
    const compact = compactClock(sessions);
    expect(compact.filter((c) => c.mechanicId === 'theo')).toHaveLength(3);
    for (const now of [ms(250), ms(320), ms(2000)]) expect(clockedSeconds(compact, now)).toBe(clockedSeconds(sessions, now));
  });

  it('C2: stop stops every running session of the mechanic (two devices merged) and none of another’s', () => {
    const server = jobDoc();
    const phone = replicaOf(server, 1);
    const tablet = replicaOf(server, 2);
    startClock(phone, MECHANIC.id, at(0));
    startClock(tablet, MECHANIC.id, at(5));
    startClock(tablet, OTHER_MECHANIC.id, at(5));
    send(tablet, phone);
    stopClock(phone, MECHANIC.id, at(60));
    const f = readJob(phone);
    expect(isClockRunning(f, MECHANIC.id)).toBe(false);
    expect(isClockRunning(f, OTHER_MECHANIC.id)).toBe(true);
    expect(clockedMsByMechanic(f.clock, ms(60)).get(MECHANIC.id)).toBe(60 * 60_000);
  });
});

describe('P15–P17: who writes the workshop-day facts', () => {
  it('P15: the assigned mechanic records a part and marks it arrived, in their own name', () => {
    const server = jobDoc();
    expect(attempt(MECHANIC, server, (d) => orderPart(d, { name: 'Pads', by: MECHANIC.id, at: at(1) }))).toEqual([]);
    const partId = orderPart(server, { name: 'Pads', by: MANAGER.id, at: at(1) });
    expect(attempt(MECHANIC, server, (d) => markPartArrived(d, partId, MECHANIC.id, at(2)))).toEqual([]);
    // Offline: ordered and arrived before the first sync.
    expect(attempt(MECHANIC, server, (d) => markPartArrived(d, orderPart(d, { name: 'Cable', by: MECHANIC.id, at: at(1) }), MECHANIC.id, at(2)))).toEqual([]);
  });

  it('P15: a mechanic may not order in another name, arrive in another name, re-word, remove or un-arrive', () => {
    const server = jobDoc();
    const partId = orderPart(server, { name: 'Pads', by: MANAGER.id, at: at(1) });
    const part = (d: Y.Doc) => partsArray(d).get(0) as Y.Map<unknown>;
    expect(reasons(attempt(MECHANIC, server, (d) => orderPart(d, { name: 'Pads', by: OTHER_MECHANIC.id, at: at(1) })))).toEqual([
      'parts[1]: a mechanic records parts in their own name (P15)'
    ]);
    expect(reasons(attempt(MECHANIC, server, (d) => markPartArrived(d, partId, MANAGER.id, at(2))))).toEqual([
      'parts[0]: a mechanic marks arrivals in their own name (P15)'
    ]);
    expect(reasons(attempt(MECHANIC, server, (d) => part(d).set('name', 'Cheaper pads')))).toEqual(['parts[0]: a mechanic only marks a part arrived (P15)']);
    expect(reasons(attempt(MECHANIC, server, (d) => partsArray(d).delete(0, 1)))).toEqual(['parts: only a manager removes parts entries (P15)']);
    markPartArrived(server, partId, MANAGER.id, at(3));
    expect(attempt(MECHANIC, server, (d) => part(d).set('arrivedAt', null)).length).toBeGreaterThan(0);
  });

  it('P16: a mechanic clocks their own work only; re-stopping their own stopped session is allowed', () => {
    const server = jobDoc();
    expect(attempt(MECHANIC, server, (d) => startClock(d, MECHANIC.id, at(1)))).toEqual([]);
    expect(reasons(attempt(MECHANIC, server, (d) => startClock(d, OTHER_MECHANIC.id, at(1))))).toEqual([
      'clock[0]: a mechanic clocks only their own work (P16)'
    ]);
    startClock(server, OTHER_MECHANIC.id, at(0));
    startClock(server, MECHANIC.id, at(0));
    expect(reasons(attempt(MECHANIC, server, (d) => stopClock(d, OTHER_MECHANIC.id, at(5))))).toEqual([
      "clock[0]: a mechanic does not change another's session (P16)"
    ]);
    expect(attempt(MECHANIC, server, (d) => stopClock(d, MECHANIC.id, at(5)))).toEqual([]);
    stopClock(server, MECHANIC.id, at(5));
    expect(attempt(MECHANIC, server, (d) => (clockArray(d).get(1) as Y.Map<unknown>).set('stoppedAt', at(6)))).toEqual([]);
    expect(reasons(attempt(MECHANIC, server, (d) => (clockArray(d).get(1) as Y.Map<unknown>).set('startedAt', at(1))))).toEqual([
      'clock[1]: a mechanic only stops a session (P16)'
    ]);
    expect(reasons(attempt(MECHANIC, server, (d) => clockArray(d).delete(1, 1)))).toEqual(['clock: only a manager removes clock entries (P16)']);
  });

  it('P17/P2: only a manager sets the promised time; a manager corrects sessions; a customer writes none of it', () => {
    const server = jobDoc();
    expect(attempt(MANAGER, server, (d) => setPromisedAt(d, at(100)))).toEqual([]);
    expect(reasons(attempt(MECHANIC, server, (d) => setPromisedAt(d, at(100))))).toEqual(['job.promisedAt: only a manager changes the job (P3)']);
    expect(reasons(attempt(MANAGER, server, (d) => jobMap(d).set('promisedAt', 5)))).toEqual(['job.promisedAt: must be a string']);
    startClock(server, MECHANIC.id, at(0));
    expect(attempt(MANAGER, server, (d) => (clockArray(d).get(0) as Y.Map<unknown>).set('stoppedAt', at(30)))).toEqual([]);
    expect(reasons(attempt(MANAGER, server, (d) => (clockArray(d).get(0) as Y.Map<unknown>).set('stoppedAt', 3)))).toEqual(['clock[0].stoppedAt: must be a string or null']);
    expect(attempt(CUSTOMER, server, (d) => orderPart(d, { name: 'x', by: CUSTOMER.id, at: at(1) })).map((v) => v.path)).toEqual(['parts']);
    expect(canOpenJob(OTHER_MECHANIC, MECHANIC.id)).toBe(false);
  });

  it('P1/S7: a shared type inside a part is refused for every role', () => {
    const server = jobDoc();
    const violations = attempt(MANAGER, server, (d) => {
      const part = new Y.Map<unknown>();
      part.set('id', 'p');
      part.set('name', new Y.Text('big'));
      partsArray(d).push([part]);
    });
    expect(violations.map((v) => v.path)).toContain('parts[0].name');
  });
});

describe('E12–E13', () => {
  it('E12: parts_arrived once per part that got its arrival, for the assignee', () => {
    const doc = jobDoc();
    const partId = orderPart(doc, { name: 'Pads', by: MANAGER.id, at: at(1) });
    const before = readJob(doc);
    markPartArrived(doc, partId, MANAGER.id, at(2));
    expect(deriveEvents(before, readJob(doc))).toContainEqual({
      kind: 'parts_arrived', jobId: 'job-1', key: `parts_arrived:${partId}`, mechanicId: MECHANIC.id, note: 'Pads'
    });
    expect(deriveEvents(readJob(doc), readJob(doc)).filter((e) => e.kind === 'parts_arrived')).toEqual([]);
    // Recorded already arrived: nothing was awaited, nothing to tell.
    const other = jobDoc();
    const b2 = readJob(other);
    markPartArrived(other, orderPart(other, { name: 'Cable', by: MANAGER.id, at: at(1) }), MANAGER.id, at(1));
    expect(deriveEvents(b2, readJob(other)).filter((e) => e.kind === 'parts_arrived')).toEqual([]);
  });

  it('E13: overdue when the promised time passed and the job is neither ready nor collected', () => {
    expect(isOverdue(at(10), 'in_progress', ms(10))).toBe(true);
    expect(isOverdue(at(10), 'in_progress', ms(9))).toBe(false);
    expect(isOverdue(at(10), 'ready_for_pickup', ms(20))).toBe(false);
    expect(isOverdue(at(10), 'collected', ms(20))).toBe(false);
    expect(isOverdue(null, 'intake', ms(20))).toBe(false);
    expect(isOverdue('soon', 'intake', ms(20))).toBe(false);
  });

  it('E9/E13: an overdue alert turns moot when the job is ready or promised anew; the fingerprint sees the promise', () => {
    const doc = jobDoc({ promisedAt: at(10) });
    const event = { kind: 'overdue' as const, jobId: 'job-1', key: overdueKey(at(10)) };
    expect(isEventMoot(event, readJob(doc))).toBe(false);
    const before = mootFingerprint(readJob(doc));
    setPromisedAt(doc, at(90));
    expect(mootFingerprint(readJob(doc))).not.toBe(before);
    expect(isEventMoot(event, readJob(doc))).toBe(true);
    setPromisedAt(doc, at(10));
    for (const item of readJob(doc).items) setItemDone(doc, item.id, true, MECHANIC.id, at(20));
    recordQc(doc, { pass: true, by: MANAGER.id, at: at(21) });
    expect(isEventMoot(event, readJob(doc))).toBe(true);
  });
});

/**
 * D8 with the workshop-day facts: parts and timers made offline on two devices (and a manager's
 * promise) merge to one document that both derive alike; every device's update passes the
 * server's check (P15, P16) in whichever order it arrives; clocked time never counts twice (C3).
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob, readRaw } from '../src/doc.js';
import { JobModelError } from '../src/errors.js';
import { clockedMsByMechanic, startClock, stopClock } from '../src/clock.js';
import { markPartArrived, orderPart } from '../src/parts.js';
import { checkChange } from '../src/permissions.js';
import { setPromisedAt } from '../src/promised.js';
import { deriveStatus } from '../src/status.js';
import type { Actor } from '../src/types.js';
import { MANAGER, MECHANIC, at, exchangeAll, jobDoc, mulberry32, pick, replicaOf, seedCount, state } from './helpers.js';

/** One random workshop-day edit by `actor` on `doc` at `minute`; refused input is skipped (S3). */
function randomEdit(random: () => number, actor: Actor, doc: Y.Doc, minute: number): void {
  const parts = readJob(doc).parts;
  const action = pick(random, actor.role === 'manager' ? ['order', 'arrive', 'promise'] : ['order', 'arrive', 'start', 'stop', 'start', 'stop']);
  try {
    if (action === 'order') orderPart(doc, { name: `Part ${minute}`, expectedAt: random() < 0.5 ? null : at(minute + 600), by: actor.id, at: at(minute) });
    if (action === 'arrive' && parts.length > 0) markPartArrived(doc, pick(random, parts).id, actor.id, at(minute));
    if (action === 'start') startClock(doc, actor.id, at(minute));
    if (action === 'stop') stopClock(doc, actor.id, at(minute));
    if (action === 'promise') setPromisedAt(doc, at(minute + Math.floor(random() * 500)));
  } catch (e) {
    if (!(e instanceof JobModelError)) throw e;
  }
}

/** The server applies `from`'s missing updates as `actor`, after checking them like Admission. */
function deliver(actor: Actor, from: Y.Doc, server: Y.Doc): void {
  const update = Y.encodeStateAsUpdate(from, Y.encodeStateVector(server));
  const trial = replicaOf(server);
  Y.applyUpdate(trial, update);
  expect(checkChange(actor, readRaw(server), readRaw(trial))).toEqual([]);
  Y.applyUpdate(server, update);
}

describe('D8 + S7: parts and timers made offline on two devices', () => {
  it('D8/P15/P16/C3: devices converge, each update is allowed in any order, clocked time is the union', () => {
    const seeds = seedCount(80);
    for (let seed = 1; seed <= seeds; seed++) {
      const random = mulberry32(seed);
      const server = jobDoc();
      const phone = replicaOf(server, 11);
      const tablet = replicaOf(server, 12);
      const office = replicaOf(server, 13);
      const devices: [Actor, Y.Doc][] = [[MECHANIC, phone], [MECHANIC, tablet], [MANAGER, office]];
      let minute = 1;
      for (let round = 0; round < 3; round++) {
        for (let step = 0; step < 8; step++) {
          const [actor, doc] = pick(random, devices);
          randomEdit(random, actor, doc, minute++);
        }
        // Back online in a random order, each through the server's check.
        const order = [...devices].sort(() => random() - 0.5);
        for (const [actor, doc] of order) deliver(actor, doc, server);
        if (random() < 0.5) for (const [, doc] of devices) Y.applyUpdate(doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)));
      }
      exchangeAll([server, phone, tablet, office]);
      const facts = readJob(server);
      for (const [, doc] of devices) {
        expect(state(doc)).toEqual(state(server));
        expect(deriveStatus(readJob(doc))).toBe(deriveStatus(facts));
      }
      // C3: never more than the stretch covered by any session, never less than the longest one.
      const now = Date.parse(at(minute));
      const spans = facts.clock.map((s) => [Date.parse(s.startedAt), s.stoppedAt === null ? now : Date.parse(s.stoppedAt)] as const);
      const clocked = clockedMsByMechanic(facts.clock, now).get(MECHANIC.id) ?? 0;
      if (spans.length > 0) {
        expect(clocked).toBeLessThanOrEqual(Math.max(...spans.map((s) => s[1])) - Math.min(...spans.map((s) => s[0])));
        expect(clocked).toBeGreaterThanOrEqual(Math.max(0, ...spans.map((s) => s[1] - s[0])));
      }
      expect(deriveStatus(facts) === 'waiting_for_parts').toBe(facts.parts.some((p) => p.arrivedAt === null) && deriveStatus(facts) !== 'stuck');
    }
  });

  it('C3: the same hour clocked on two devices counts once after the merge', () => {
    const server = jobDoc();
    const phone = replicaOf(server, 1);
    const tablet = replicaOf(server, 2);
    startClock(phone, MECHANIC.id, at(0));
    stopClock(phone, MECHANIC.id, at(60));
    startClock(tablet, MECHANIC.id, at(10));
    stopClock(tablet, MECHANIC.id, at(60));
    deliver(MECHANIC, phone, server);
    deliver(MECHANIC, tablet, server);
    const facts = readJob(server);
    expect(facts.clock).toHaveLength(2);
    expect(clockedMsByMechanic(facts.clock, Date.parse(at(100))).get(MECHANIC.id)).toBe(60 * 60_000);
  });
});

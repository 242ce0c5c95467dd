/**
 * Convergence fuzz (docs/product.md, Targets): real clients through the real server, random edits, random
 * disconnects and a server restart. For every seed, all clients, the live server and storage
 * reloaded end with the same content (equal snapshots and equal facts). The edits include parts
 * ordered and arrived and timers started and stopped, offline on two devices of one mechanic
 * (SPEC S7, P15, P16): every such update is accepted and the read model's clocked time is the
 * union of the merged sessions (C3). Mechanics also propose extra work on their replicas
 * (offline too), and the customer decides lines through the share link while replicas are apart
 * (SPEC A4).
 * FUZZ_SEEDS raises the number of seeds (the benchmark runs hundreds; CI a few dozen).
 */
import {
  addNote,
  clockedSeconds,
  deriveStatus,
  isClockRunning,
  markPartArrived,
  orderPart,
  proposeItem,
  readJob,
  reportStuck,
  resolveStuck,
  setItemDone,
  startClock,
  stopClock
} from '@pitboard/job-model';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, testDatabase, type Client, type TestServer } from './helpers/server.js';

const SEEDS = Number(process.env.FUZZ_SEEDS ?? 24);

function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fingerprint = (doc: Y.Doc) => Buffer.from(Y.encodeSnapshot(Y.snapshot(doc))).toString('base64');

describe('convergence fuzz', () => {
  it(`${SEEDS} seeds converge: clients, server and storage`, async () => {
    const db = await testDatabase();
    let t: TestServer = await startTestServer({ db });
    const boss = await createUser(t.pitboard, 'manager');
    const theo = await createUser(t.pitboard, 'mechanic');
    let proposals = 0;
    let decisions = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const random = mulberry32(seed);
      const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: `Fuzz ${seed}`, customer: { name: 'C' }, items: ['A', 'B', 'C', 'D'], mechanicId: theo.id });
      const name = `job:${body.id}`;
      const shareToken = (body.shareUrl as string).split('/p/')[1]!;
      const people = [
        { user: theo, doc: new Y.Doc() },
        { user: boss, doc: new Y.Doc() },
        { user: theo, doc: new Y.Doc() }
      ];
      const clients: (Client | null)[] = [];
      for (const p of people) clients.push(await connect(t.wsUrl, name, p.user.token, p.doc));
      const restartAt = Math.floor(random() * 40);
      for (let step = 0; step < 40; step++) {
        const i = Math.floor(random() * people.length);
        const { user, doc } = people[i]!;
        const facts = readJob(doc);
        const now = new Date(Date.now() + step).toISOString();
        const r = random();
        const tickable = facts.items.filter((item) => item.approval === undefined || item.approval === 'approved');
        if (r < 0.3 && tickable.length) {
          const item = tickable[Math.floor(random() * tickable.length)]!;
          setItemDone(doc, item.id, !item.done, user.id, now);
        } else if (r < 0.35 && user.role === 'mechanic') {
          proposeItem(doc, { title: `extra ${seed}.${step}`, price: Math.floor(random() * 10_000), reason: 'worn', by: user.id, at: now });
        } else if (r < 0.4) {
          // The customer decides a line the server has (whatever the replicas hold right now).
          const pending = (await t.pitboard.jobs.facts(body.id)).items.filter((item) => item.approval === 'pending');
          const line = pending[Math.floor(random() * pending.length)];
          if (line) {
            const decided = await api(t.url).post(`/api/share/${shareToken}/approvals/${line.id}`, { decision: random() < 0.5 ? 'approved' : 'declined' });
            expect(decided.status, `seed ${seed} decision`).toBe(200);
          }
        } else if (r < 0.5) {
          addNote(doc, { text: `note ${seed}.${step}`, authorId: user.id, at: now, visibility: random() < 0.5 ? 'internal' : 'customer' });
        } else if (r < 0.57 && user.role === 'mechanic' && !facts.stuck?.open) {
          reportStuck(doc, { reason: `stuck ${step}`, by: user.id, at: now });
        } else if (r < 0.64 && user.role === 'manager' && facts.stuck?.open) {
          resolveStuck(doc, { resolution: `fixed ${step}`, by: user.id, at: now });
        } else if (r < 0.7) {
          orderPart(doc, { name: `part ${seed}.${step}`, expectedAt: random() < 0.5 ? null : now, by: user.id, at: now });
        } else if (r < 0.76 && facts.parts.some((p) => p.arrivedAt === null)) {
          const awaited = facts.parts.filter((p) => p.arrivedAt === null);
          markPartArrived(doc, awaited[Math.floor(random() * awaited.length)]!.id, user.id, now);
        } else if (r < 0.86 && user.role === 'mechanic') {
          if (isClockRunning(facts, user.id)) stopClock(doc, user.id, now);
          else startClock(doc, user.id, now);
        } else if (clients[i]) {
          clients[i]!.close(); // goes offline; keeps editing its replica
          clients[i] = null;
        } else {
          clients[i] = await connect(t.wsUrl, name, user.token, doc);
        }
        if (step === restartAt) {
          for (const c of clients) c?.close();
          await t.stop();
          t = await startTestServer({ db });
          for (let k = 0; k < clients.length; k++) clients[k] = null;
        }
      }
      // Everyone comes back and settles.
      for (let k = 0; k < people.length; k++) {
        clients[k]?.close();
        clients[k] = await connect(t.wsUrl, name, people[k]!.user.token, people[k]!.doc);
      }
      for (const c of clients) await c!.settled();
      // A last round trip so every client has what the others sent.
      for (let k = 0; k < people.length; k++) {
        clients[k]!.close();
        clients[k] = await connect(t.wsUrl, name, people[k]!.user.token, people[k]!.doc);
      }
      const live = t.pitboard.hocuspocus.documents.get(name)!;
      const expected = fingerprint(live);
      for (const p of people) {
        expect(fingerprint(p.doc), `seed ${seed}`).toBe(expected);
        expect(readJob(p.doc)).toEqual(readJob(live));
      }
      for (const c of clients) c!.close();
      await t.pitboard.projector.idle();
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await t.pitboard.storage.loadDocument(name))!);
      expect(fingerprint(stored), `seed ${seed} storage`).toBe(expected);
      const row = (await t.pitboard.storage.getJob(body.id))!;
      expect(row.status).toBe(deriveStatus(readJob(stored)));
      const later = Date.now() + 60_000;
      expect(clockedSeconds(row.clock, later), `seed ${seed} clocked`).toBe(clockedSeconds(readJob(stored).clock, later));
      proposals += readJob(stored).items.filter((item) => item.approval !== undefined).length;
      decisions += readJob(stored).items.filter((item) => item.decidedAt !== undefined).length;
    }
    await t.stop();
    // The seeds did propose and decide, so agreement covers them.
    expect(proposals).toBeGreaterThan(SEEDS / 2);
    expect(decisions).toBeGreaterThan(0);
  }, 240_000);
});

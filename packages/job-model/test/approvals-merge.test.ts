/**
 * D8 with approvals (A4): proposals made offline on phones, decisions written on different
 * replicas (even the same line decided apart, which the server's once-only record prevents but
 * a merge must survive), re-pricing and withdrawals — all replicas converge to one document,
 * one set of facts, one status, one total.
 */
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { readJob } from '../src/doc.js';
import { JobModelError } from '../src/errors.js';
import { decideApproval, editItem, proposeItem, totalOf } from '../src/approvals.js';
import { recordQc, removeItem, setItemDone } from '../src/ops.js';
import { deriveStatus, progressOf } from '../src/status.js';
import type { JobStatus } from '../src/types.js';
import { MANAGER, MECHANIC, at, exchangeAll, jobDoc, mulberry32, pick, replicaOf, seedCount, send } from './helpers.js';

type Edit = (d: Y.Doc, random: () => number, minute: number) => void;
const ids = (doc: Y.Doc) => readJob(doc).items.map((i) => i.id);
const pending = (doc: Y.Doc) => readJob(doc).items.filter((i) => i.approval === 'pending');

const edits: Edit[] = [
  (d, r, m) => proposeItem(d, { title: `Extra ${m}`, price: Math.floor(r() * 10_000), reason: 'worn', by: MECHANIC.id, at: at(m) }),
  (d, r, m) => {
    const line = pick(r, pending(d));
    if (line) decideApproval(d, line.id, { decision: pick(r, ['approved', 'declined'] as const), at: at(m), via: `link-${m}`, title: line.title, price: line.price ?? 0 });
  },
  (d, r, m) => {
    const line = pick(r, pending(d));
    if (line) decideApproval(d, line.id, { decision: pick(r, ['approved', 'declined'] as const), at: at(m), via: `link-${m}`, title: line.title, price: line.price ?? 0 });
  },
  (d, r) => editItem(d, pick(r, ids(d)), { price: Math.floor(r() * 1000) }),
  (d, r) => removeItem(d, pick(r, pending(d).map((i) => i.id))),
  (d, r, m) => setItemDone(d, pick(r, ids(d)), r() < 0.8, MECHANIC.id, at(m)),
  (d, r, m) => setItemDone(d, pick(r, ids(d)), true, MECHANIC.id, at(m)),
  (d, r, m) => recordQc(d, { pass: r() < 0.7, by: MANAGER.id, at: at(m) })
];

describe('A4/D8: property — proposals and decisions made apart converge', () => {
  it('A4: seeded sequences on three replicas converge to identical facts, status and total', () => {
    const statuses = new Set<JobStatus>();
    for (let seed = 1; seed <= seedCount(200); seed++) {
      const random = mulberry32(seed);
      const server = jobDoc({ items: ['Brakes', 'Gears'] });
      const replicas = [1, 2, 3].map((n) => replicaOf(server, seed * 10 + n));
      for (let minute = 1; minute <= 16; minute++) {
        const doc = pick(random, replicas);
        try {
          pick(random, edits)(doc, random, minute);
        } catch (error) {
          if (!(error instanceof JobModelError)) throw error;
        }
        if (random() < 0.25) send(pick(random, replicas), pick(random, replicas));
      }
      exchangeAll(replicas);
      const [first, ...rest] = replicas.map((d) => {
        const facts = readJob(d);
        return { seed, snapshot: Y.encodeSnapshot(Y.snapshot(d)), facts, status: deriveStatus(facts), total: totalOf(facts), progress: progressOf(facts) };
      });
      for (const other of rest) expect(other).toEqual(first);
      statuses.add(first!.status);
      // A merged decision is whole: one replica's state with its own recorded time and link.
      for (const line of first!.facts.items.filter((i) => i.approval === 'approved' || i.approval === 'declined')) {
        expect(line.decidedAt).toBeDefined();
        expect(line.decidedVia).toBe(`link-${Number(line.decidedAt!.slice(14, 16))}`);
      }
    }
    expect(statuses.has('awaiting_approval')).toBe(true);
    expect(statuses.size).toBeGreaterThanOrEqual(4);
  });
});

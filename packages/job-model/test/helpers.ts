/** Shared fixtures: times, a job document, replicas, and a facts builder for table tests. */
import * as Y from 'yjs';
import { expect } from 'vitest';
import { JobModelError } from '../src/errors.js';
import { createJob, type NewJobInit } from '../src/ops.js';
import type { ItemFacts, JobFacts } from '../src/types.js';

export const MANAGER = { id: 'boss', role: 'manager' } as const;
export const MECHANIC = { id: 'theo', role: 'mechanic' } as const;
export const OTHER_MECHANIC = { id: 'ana', role: 'mechanic' } as const;
export const CUSTOMER = { id: 'lee', role: 'customer' } as const;

/** Minute `n` of a fixed day, as an ISO timestamp: later minutes sort later. */
export function at(n: number): string {
  return new Date(Date.UTC(2026, 0, 1, 9, 0) + n * 60_000).toISOString();
}

/** A job document as the server creates it: 4 items, assigned to MECHANIC unless told otherwise. */
export function jobDoc(init: Partial<NewJobInit> = {}): Y.Doc {
  const doc = new Y.Doc();
  createJob(doc, {
    id: 'job-1',
    number: 7,
    bike: 'Kona Sutra',
    description: 'Full service',
    customerId: CUSTOMER.id,
    customerName: 'Lee Customer',
    items: ['Brakes', 'Gears', 'Chain', 'Wheels'],
    createdAt: at(0),
    assigneeId: MECHANIC.id,
    ...init
  });
  return doc;
}

export const state = (doc: Y.Doc): Uint8Array => Y.encodeStateAsUpdate(doc);

/**
 * A new replica holding everything `doc` holds (a client that synced, then went offline).
 * A fixed clientID makes Yjs' tie-breaks between concurrent writes, and so a test, repeatable.
 */
export function replicaOf(doc: Y.Doc, clientID?: number): Y.Doc {
  const copy = new Y.Doc();
  if (clientID !== undefined) copy.clientID = clientID;
  Y.applyUpdate(copy, state(doc));
  return copy;
}

/** Sends what `from` has and `to` lacks. */
export function send(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** Every replica receives every other's updates. */
export function exchangeAll(docs: Y.Doc[]): void {
  for (const from of docs) for (const to of docs) if (from !== to) send(from, to);
}

/** S3: `change` throws JobModelError and leaves the document byte-identical. */
export function expectRefusedInput(doc: Y.Doc, change: () => unknown, reason?: RegExp): void {
  const before = state(doc);
  let thrown: unknown;
  try {
    change();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(JobModelError);
  if (reason) expect((thrown as JobModelError).reason).toMatch(reason);
  expect(state(doc)).toEqual(before);
}

/** How many updates `change` produced (S3: one per operation, none for a no-op). */
export function countUpdates(doc: Y.Doc, change: () => unknown): number {
  let count = 0;
  const listener = () => count++;
  doc.on('update', listener);
  try {
    change();
  } finally {
    doc.off('update', listener);
  }
  return count;
}

export function item(id: string, done: boolean, doneAt?: string): ItemFacts {
  return { id, title: `Item ${id}`, done, ...(done ? { doneBy: MECHANIC.id, doneAt: doneAt ?? at(10) } : {}) };
}

/** Facts of a plain unassigned job with no items; override what a test is about. */
export function facts(overrides: Partial<JobFacts> = {}): JobFacts {
  return {
    id: 'job-1',
    number: 7,
    bike: 'Kona Sutra',
    description: '',
    customerId: CUSTOMER.id,
    customerName: 'Lee Customer',
    serial: '',
    customerPhone: '',
    assigneeId: null,
    createdAt: at(0),
    items: [],
    notes: [],
    stuck: null,
    qc: [],
    parts: [],
    clock: [],
    photos: [],
    ...overrides
  };
}

/**
 * How many seeded rounds a property test runs: `full` under `npm run bench:fuzz`
 * (MODEL_SEEDS=full), half in `npm test`, so the suite holds on a busy 2-core machine.
 */
export function seedCount(full: number): number {
  const wanted = process.env.MODEL_SEEDS;
  if (wanted === 'full') return full;
  if (wanted && Number(wanted) > 0) return Number(wanted);
  return Math.max(10, Math.round(full / 2));
}

/** mulberry32: a tiny seeded PRNG, so property tests replay exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

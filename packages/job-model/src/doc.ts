/**
 * The job document's six roots (SPEC S1, S6) and how to read them: `readRaw` keeps everything a
 * client wrote, for permission checks; `readJob` turns it into typed facts and never throws (S2).
 */
import * as Y from 'yjs';
import { photosArray, photosFromRaw } from './photos.js';
import { isRecord } from './schema.js';
import { illFormedPaths } from './well-formed.js';
import { clockFromRaw, partsFromRaw } from './day-facts.js';
import type { ItemFacts, JobFacts, NoteFacts, QcFacts, RawJob, StuckFacts } from './types.js';

/** S1 (five roots), S6 (`photos`) and S7 (`parts`, `clock`). */
export const KNOWN_ROOTS = ['job', 'items', 'notes', 'stuck', 'qc', 'photos', 'parts', 'clock'] as const;

export const isKnownRoot = (name: string): boolean => (KNOWN_ROOTS as readonly string[]).includes(name);

const MAP_ROOTS: readonly string[] = ['job', 'stuck'];

export const jobMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('job');
export const itemsArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('items');
export const notesArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('notes');
export const stuckMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap('stuck');
export const qcArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('qc');
export const partsArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('parts');
export const clockArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray('clock');

const toJson = (value: unknown): unknown => (value instanceof Y.AbstractType ? value.toJSON() : value);

/**
 * A map as a plain object. Not Y.Map#toJSON: it assigns keys, so a client's `__proto__` key
 * would become the object's prototype, unseen by key-by-key comparison; this defines own keys.
 */
const mapJson = (map: Y.Map<unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  // forEach, not entries(): the server reads every document after every update, and Yjs'
  // iterator objects were a tenth of its time per edit.
  map.forEach((value, key) => {
    if (key === '__proto__') Object.defineProperty(out, key, { value: toJson(value), enumerable: true, writable: true, configurable: true });
    else out[key] = toJson(value);
  });
  return out;
};

/** A list entry as JSON; anything but a Y.Map is wrapped so it cannot pass for one (see RawJob). */
export const rawEntry = (entry: unknown): unknown => (entry instanceof Y.Map ? mapJson(entry) : [toJson(entry)]);

/** Everything in the document as plain JSON, unknown roots and keys included. */
export function readRaw(doc: Y.Doc): RawJob {
  // Defining the known roots first gives them their types, whatever a client sent.
  const raw: Omit<RawJob, 'roots' | 'misshapen'> = {
    job: mapJson(jobMap(doc)),
    items: itemsArray(doc).toArray().map(rawEntry),
    notes: notesArray(doc).toArray().map(rawEntry),
    stuck: mapJson(stuckMap(doc)),
    qc: qcArray(doc).toArray().map(rawEntry),
    parts: partsArray(doc).toArray().map(rawEntry),
    clock: clockArray(doc).toArray().map(rawEntry),
    photos: photosArray(doc).toArray().map(rawEntry)
  };
  const roots: string[] = [];
  const misshapen: string[] = [];
  for (const [name, type] of doc.share) {
    const hasListContent = type._start !== null;
    const hasKeys = type._map.size > 0;
    if (hasListContent || hasKeys) roots.push(name);
    if (isKnownRoot(name) && (MAP_ROOTS.includes(name) ? hasListContent : hasKeys)) misshapen.push(name);
  }
  // Below the roots, JSON hides content (a Y.Text's embeds, a map's list items): S1 judged on Yjs' own structures.
  misshapen.push(...illFormedPaths(doc));
  return { roots, misshapen, ...raw };
}

export function readJob(doc: Y.Doc): JobFacts {
  return factsFromRaw(readRaw(doc));
}

// S2: a missing or mistyped value reads as its empty value; optional fields stay absent.
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const bool = (v: unknown): boolean => v === true;
const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const entries = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** Copies the listed keys of `from` that hold strings, leaving the others absent. */
function optionalStrings<K extends string>(from: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = from[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

const cents = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** S5 fields of an item; a mistyped one stays absent (S2). */
function approvalFacts(e: Record<string, unknown>): Partial<ItemFacts> {
  const approval = e.approval;
  return {
    ...(cents(e.price) ? { price: e.price } : {}),
    ...(approval === 'pending' || approval === 'approved' || approval === 'declined' ? { approval } : {}),
    ...optionalStrings(e, ['reason', 'proposedBy', 'proposedAt', 'decidedAt', 'decidedVia', 'decidedTitle']),
    ...(cents(e.decidedPrice) ? { decidedPrice: e.decidedPrice } : {})
  };
}

/** Typed facts from raw JSON. Total: never throws, whatever `raw` holds (S2). */
export function factsFromRaw(raw: RawJob): JobFacts {
  const job = record(raw.job);
  const stuck = record(raw.stuck);
  const assigneeId = job.assigneeId;
  return {
    id: str(job.id),
    number: num(job.number),
    bike: str(job.bike),
    description: str(job.description),
    customerId: str(job.customerId),
    customerName: str(job.customerName),
    serial: str(job.serial),
    customerPhone: str(job.customerPhone),
    // '' names no one, so it reads like null.
    assigneeId: typeof assigneeId === 'string' && assigneeId !== '' ? assigneeId : null,
    createdAt: str(job.createdAt),
    ...optionalStrings(job, ['assignedAt', 'collectedAt', 'promisedAt']),
    items: entries(raw.items).map(
      (e): ItemFacts => ({
        id: str(e.id),
        title: str(e.title),
        done: bool(e.done),
        ...optionalStrings(e, ['doneBy', 'doneAt']),
        ...approvalFacts(e)
      })
    ),
    notes: entries(raw.notes).map(
      (e): NoteFacts => ({
        id: str(e.id),
        text: str(e.text),
        authorId: str(e.authorId),
        at: str(e.at),
        // Anything unexpected stays internal, so a malformed note never reaches a customer.
        visibility: e.visibility === 'customer' ? 'customer' : 'internal'
      })
    ),
    stuck:
      Object.keys(stuck).length === 0
        ? null
        : ({
            open: bool(stuck.open),
            reason: str(stuck.reason),
            reportedBy: str(stuck.reportedBy),
            reportedAt: str(stuck.reportedAt),
            ...optionalStrings(stuck, ['resolution', 'resolvedBy', 'resolvedAt'])
          } satisfies StuckFacts),
    qc: entries(raw.qc).map(
      (e): QcFacts => ({ pass: bool(e.pass), by: str(e.by), at: str(e.at), ...optionalStrings(e, ['note', 'itemsSig']) })
    ),
    parts: partsFromRaw(raw.parts),
    clock: clockFromRaw(raw.clock),
    photos: photosFromRaw(Array.isArray(raw.photos) ? raw.photos : [])
  };
}

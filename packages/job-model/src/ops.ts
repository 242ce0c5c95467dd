/**
 * Typed operations on a job document (SPEC S3). Each one validates all of its input first —
 * bad input throws JobModelError and changes nothing — then writes in ONE transaction, so
 * a peer never sees half an operation.
 */
import * as Y from 'yjs';
import { itemsArray, jobMap, notesArray, qcArray, readJob, stuckMap } from './doc.js';
import { JobModelError } from './errors.js';
import { checkPhone, checkSerial } from './intake.js';
import { LIMITS } from './schema.js';
import { isCountable, isTickable } from './approvals.js';
import { itemsSignature } from './status.js';
import type { NoteVisibility } from './types.js';

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

// Input checks. Each returns the value to store, or throws.

export function text(value: string, what: string, max: number, { allowEmpty = false } = {}): string {
  if (typeof value !== 'string') throw new JobModelError(`${what} must be a string`);
  const trimmed = value.trim();
  if (!allowEmpty && trimmed === '') throw new JobModelError(`${what} must not be empty`);
  if (trimmed.length > max) throw new JobModelError(`${what} must be at most ${max} characters`);
  return trimmed;
}

export function id(value: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new JobModelError(`${what} must be a non-empty string`);
  return value;
}

function visibility(value: NoteVisibility): NoteVisibility {
  if (value !== 'internal' && value !== 'customer') throw new JobModelError("visibility must be 'internal' or 'customer'");
  return value;
}

/** UTC ISO 8601 as `Date.toISOString` writes it, so times compare correctly as strings (D2). */
export function timestamp(value: string, what = 'at'): string {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
  if (typeof value !== 'string' || !iso.test(value) || Number.isNaN(Date.parse(value))) {
    throw new JobModelError(`${what} must be an ISO timestamp (UTC)`);
  }
  return value;
}

export function requireJob(doc: Y.Doc): void {
  if (typeof jobMap(doc).get('id') !== 'string') throw new JobModelError('this document holds no job');
}

export function setMany(map: Y.Map<unknown>, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) map.set(key, value);
}

function findItem(doc: Y.Doc, itemId: string): Y.Map<unknown> {
  const item = itemsArray(doc)
    .toArray()
    .find((e): e is Y.Map<unknown> => e instanceof Y.Map && e.get('id') === itemId);
  if (!item) throw new JobModelError(`unknown item ${itemId}`);
  return item;
}

function newItem(itemId: string, title: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  setMany(item, { id: itemId, title, done: false });
  return item;
}

function untick(item: Y.Map<unknown>): void {
  item.set('done', false);
  item.delete('doneBy');
  item.delete('doneAt');
}

export interface NewJobInit {
  id: string;
  number: number;
  bike: string;
  description?: string;
  customerId: string;
  customerName: string;
  /** Item titles. */
  items: string[];
  createdAt: string;
  assigneeId?: string | null;
  /** S7: when the bike is promised back (UTC ISO). */
  promisedAt?: string;
  /** S8: written only when not empty. */
  serial?: string;
  customerPhone?: string;
}

export function createJob(doc: Y.Doc, init: NewJobInit): void {
  if (jobMap(doc).has('id')) throw new JobModelError('this document already holds a job');
  if (!Number.isInteger(init.number) || init.number < 1) throw new JobModelError('number must be a positive integer');
  if (!Array.isArray(init.items) || init.items.length > LIMITS.items) {
    throw new JobModelError(`items must be a list of at most ${LIMITS.items} titles`);
  }
  const assigneeId = init.assigneeId ?? null;
  const job = {
    id: id(init.id, 'id'),
    number: init.number,
    bike: text(init.bike, 'bike', LIMITS.title),
    description: text(init.description ?? '', 'description', LIMITS.text, { allowEmpty: true }),
    customerId: id(init.customerId, 'customerId'),
    customerName: text(init.customerName, 'customerName', LIMITS.title),
    assigneeId: assigneeId === null ? null : id(assigneeId, 'assigneeId'),
    createdAt: timestamp(init.createdAt, 'createdAt'),
    ...(init.promisedAt === undefined ? {} : { promisedAt: timestamp(init.promisedAt, 'promisedAt') })
  };
  const intake = intakeFacts(init);
  const titles = init.items.map((title) => text(title, 'item title', LIMITS.title));
  doc.transact(() => {
    setMany(jobMap(doc), { ...job, ...intake });
    if (job.assigneeId !== null) jobMap(doc).set('assignedAt', job.createdAt);
    itemsArray(doc).push(titles.map((title) => newItem(newId(), title)));
  });
}

/** `mechanicId` null unassigns. Assigning the current assignee again changes nothing. */
export function assignMechanic(doc: Y.Doc, mechanicId: string | null, at: string): void {
  requireJob(doc);
  if (mechanicId !== null) id(mechanicId, 'mechanicId');
  timestamp(at);
  if (readJob(doc).assigneeId === mechanicId) return;
  doc.transact(() => setMany(jobMap(doc), { assigneeId: mechanicId, assignedAt: at }));
}

/** Ticks or un-ticks an item; a no-op when it already is in that state. */
export function setItemDone(doc: Y.Doc, itemId: string, done: boolean, actorId: string, at: string): void {
  if (typeof done !== 'boolean') throw new JobModelError('done must be a boolean');
  id(actorId, 'actorId');
  timestamp(at);
  const item = findItem(doc, itemId);
  if ((item.get('done') === true) === done) return;
  if (done && !isTickable(item.get('approval'))) throw new JobModelError('this line waits for the customer or was declined: it is not worked on');
  doc.transact(() => (done ? setMany(item, { done: true, doneBy: actorId, doneAt: at }) : untick(item)));
}

export function addNote(
  doc: Y.Doc,
  note: { text: string; authorId: string; at: string; visibility: NoteVisibility; id?: string }
): string {
  requireJob(doc);
  const noteId = note.id === undefined ? newId() : id(note.id, 'note id');
  const values = {
    id: noteId,
    text: text(note.text, 'note', LIMITS.text),
    authorId: id(note.authorId, 'authorId'),
    at: timestamp(note.at),
    visibility: visibility(note.visibility)
  };
  if (readJob(doc).notes.some((n) => n.id === noteId)) throw new JobModelError(`note ${noteId} already exists`);
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    setMany(entry, values);
    notesArray(doc).push([entry]);
  });
  return noteId;
}

/**
 * Shows a note to the customer or hides it (`internal`); a no-op when it already has that
 * visibility. Only a manager may change an existing note (P2, P5).
 */
export function setNoteVisibility(doc: Y.Doc, noteId: string, value: NoteVisibility): void {
  requireJob(doc);
  const checked = visibility(value);
  const note = notesArray(doc)
    .toArray()
    .find((e): e is Y.Map<unknown> => e instanceof Y.Map && e.get('id') === noteId);
  if (!note) throw new JobModelError(`unknown note ${noteId}`);
  if (note.get('visibility') === checked) return;
  doc.transact(() => note.set('visibility', checked));
}

/** Opens the stuck report, or re-words an open one. Resolution fields stay as they are. */
export function reportStuck(doc: Y.Doc, r: { reason: string; by: string; at: string }): void {
  requireJob(doc);
  const values = {
    open: true,
    reason: text(r.reason, 'reason', LIMITS.text),
    reportedBy: id(r.by, 'by'),
    reportedAt: timestamp(r.at)
  };
  doc.transact(() => setMany(stuckMap(doc), values));
}

export function resolveStuck(doc: Y.Doc, r: { resolution?: string; by: string; at: string }): void {
  const values = {
    open: false,
    resolution: text(r.resolution ?? '', 'resolution', LIMITS.text, { allowEmpty: true }),
    resolvedBy: id(r.by, 'by'),
    resolvedAt: timestamp(r.at)
  };
  if (readJob(doc).stuck?.open !== true) throw new JobModelError('no stuck report is open');
  doc.transact(() => setMany(stuckMap(doc), values));
}

/**
 * Records a quality check. A fail may send items back (`redoItemIds` are un-ticked first);
 * a pass needs every item done. The entry stores the signature of the items it judged (S4).
 */
export function recordQc(
  doc: Y.Doc,
  r: { pass: boolean; note?: string; by: string; at: string; redoItemIds?: string[] }
): void {
  requireJob(doc);
  if (typeof r.pass !== 'boolean') throw new JobModelError('pass must be a boolean');
  const note = text(r.note ?? '', 'note', LIMITS.text, { allowEmpty: true });
  const entryValues = { pass: r.pass, by: id(r.by, 'by'), at: timestamp(r.at), ...(note === '' ? {} : { note }) };
  const redo = (r.redoItemIds ?? []).map((itemId) => findItem(doc, itemId));
  if (r.pass && redo.length > 0) throw new JobModelError('only a failed check sends items back');
  // A1: a declined line is out of the job; a pending one must be decided (and done) first.
  if (r.pass && !readJob(doc).items.filter(isCountable).every((i) => i.done)) throw new JobModelError('not every item is done');
  doc.transact(() => {
    redo.forEach(untick);
    const entry = new Y.Map<unknown>();
    setMany(entry, { ...entryValues, itemsSig: itemsSignature(readJob(doc).items) });
    qcArray(doc).push([entry]);
  });
}

export function markCollected(doc: Y.Doc, at: string): void {
  requireJob(doc);
  timestamp(at);
  if (jobMap(doc).get('collectedAt') !== undefined) throw new JobModelError('already collected');
  doc.transact(() => jobMap(doc).set('collectedAt', at));
}

/** S8: the serial and phone to write at intake, the empty ones left out. */
function intakeFacts(d: { serial?: string; customerPhone?: string }): Record<string, string> {
  const serial = d.serial === undefined ? '' : checkSerial(d.serial);
  const customerPhone = d.customerPhone === undefined ? '' : checkPhone(d.customerPhone);
  return { ...(serial ? { serial } : {}), ...(customerPhone ? { customerPhone } : {}) };
}

/** Changes the given details; unchanged values are not rewritten ('' clears serial and phone). */
export function updateDetails(
  doc: Y.Doc,
  d: { bike?: string; description?: string; customerName?: string; serial?: string; customerPhone?: string }
): void {
  requireJob(doc);
  const values: Record<string, string> = {
    ...(d.serial === undefined ? {} : { serial: checkSerial(d.serial) }),
    ...(d.customerPhone === undefined ? {} : { customerPhone: checkPhone(d.customerPhone) }),
    ...(d.bike === undefined ? {} : { bike: text(d.bike, 'bike', LIMITS.title) }),
    ...(d.description === undefined ? {} : { description: text(d.description, 'description', LIMITS.text, { allowEmpty: true }) }),
    ...(d.customerName === undefined ? {} : { customerName: text(d.customerName, 'customerName', LIMITS.title) })
  };
  const changed = Object.entries(values).filter(([key, value]) => (jobMap(doc).get(key) ?? '') !== value);
  if (changed.length === 0) return;
  doc.transact(() => setMany(jobMap(doc), Object.fromEntries(changed)));
}

export function addItem(doc: Y.Doc, title: string): string {
  requireJob(doc);
  const checkedTitle = text(title, 'item title', LIMITS.title);
  if (itemsArray(doc).length >= LIMITS.items) throw new JobModelError(`a job has at most ${LIMITS.items} items`);
  const itemId = newId();
  doc.transact(() => itemsArray(doc).push([newItem(itemId, checkedTitle)]));
  return itemId;
}

export function removeItem(doc: Y.Doc, itemId: string): void {
  const item = findItem(doc, itemId);
  doc.transact(() => itemsArray(doc).delete(itemsArray(doc).toArray().indexOf(item), 1));
}

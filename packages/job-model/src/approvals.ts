/**
 * Priced lines and extra work that needs the customer's approval (SPEC S5, A1–A6): reading
 * helpers and the typed operations. A proposal is a fact in the job document, so a mechanic
 * offline proposes on the phone's replica and it merges later; only the server writes a
 * decision, for the customer, through a share link (P12).
 */
import * as Y from 'yjs';
import { itemsArray, jobMap, readJob } from './doc.js';
import { JobModelError } from './errors.js';
import { LIMITS } from './schema.js';
import type { ApprovalState, ItemFacts, JobFacts } from './types.js';

/** A1: a declined line is out of the job: it counts for neither progress, "every item done", QC nor the total. */
export const isCountable = (item: ItemFacts): boolean => item.approval !== 'declined';

export const isPending = (item: ItemFacts): boolean => item.approval === 'pending';

/** A1: a line waiting for the customer, or declined, is not worked on, so nobody ticks it. */
export const isTickable = (approval: unknown): boolean => approval === undefined || approval === 'approved';

/** A5: the sum of the prices of the lines not declined (pending ones included: they are asked for), in cents. */
export function totalOf(facts: Pick<JobFacts, 'items'>): number {
  return facts.items.filter(isCountable).reduce((sum, item) => sum + shownPrice(item), 0);
}

/**
 * A4: a decided line is worth what the customer agreed to. (The server refuses re-pricing a
 * decided line, P12; a re-price made offline before the decision may still merge in after it.)
 */
export const shownPrice = (item: ItemFacts): number => item.decidedPrice ?? item.price ?? 0;
export const shownTitle = (item: ItemFacts): string => item.decidedTitle ?? item.title;

/** Every line that needs (or needed) approval, in item order (the audit list, A6). */
export const approvalLines = (facts: Pick<JobFacts, 'items'>): ItemFacts[] => facts.items.filter((i) => i.approval !== undefined);

// Input checks (S3): each returns the value to store, or throws.

function title(value: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new JobModelError('item title must not be empty');
  if (value.trim().length > LIMITS.title) throw new JobModelError(`item title must be at most ${LIMITS.title} characters`);
  return value.trim();
}

export function checkPrice(value: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.price) {
    throw new JobModelError(`price must be a whole number of cents from 0 to ${LIMITS.price}`);
  }
  return value;
}

function reason(value: string | undefined): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new JobModelError('reason must be a string');
  if (value.trim().length > LIMITS.reason) throw new JobModelError(`reason must be at most ${LIMITS.reason} characters`);
  return value.trim();
}

function stamp(value: string, what: string): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new JobModelError(`${what} must be an ISO timestamp (UTC)`);
  }
  return value;
}

function nonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value === '') throw new JobModelError(`${what} must be a non-empty string`);
  return value;
}

function itemMap(doc: Y.Doc, itemId: string): Y.Map<unknown> {
  const item = itemsArray(doc)
    .toArray()
    .find((e): e is Y.Map<unknown> => e instanceof Y.Map && e.get('id') === itemId);
  if (!item) throw new JobModelError(`unknown item ${itemId}`);
  return item;
}

function push(doc: Y.Doc, values: Record<string, unknown>): void {
  if (typeof jobMap(doc).get('id') !== 'string') throw new JobModelError('this document holds no job');
  if (itemsArray(doc).length >= LIMITS.items) throw new JobModelError(`a job has at most ${LIMITS.items} items`);
  doc.transact(() => {
    const item = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(values)) item.set(key, value);
    itemsArray(doc).push([item]);
  });
}

/** A2: a manager adds a line after intake, with an optional price. Returns its id. */
export function addPricedItem(doc: Y.Doc, line: { title: string; price?: number; id?: string }): string {
  const itemId = line.id === undefined ? globalThis.crypto.randomUUID() : nonEmpty(line.id, 'item id');
  const values = { id: itemId, title: title(line.title), done: false, ...(line.price === undefined ? {} : { price: checkPrice(line.price) }) };
  push(doc, values);
  return itemId;
}

/**
 * A3: extra work that needs the customer's approval, proposed by a manager or the assigned
 * mechanic (P11), offline too. It starts `pending`, with its price and a short reason.
 */
export function proposeItem(doc: Y.Doc, p: { title: string; price: number; reason?: string; by: string; at: string; id?: string }): string {
  const itemId = p.id === undefined ? globalThis.crypto.randomUUID() : nonEmpty(p.id, 'item id');
  if (readJob(doc).items.some((i) => i.id === itemId)) throw new JobModelError(`item ${itemId} already exists`);
  const why = reason(p.reason);
  push(doc, {
    id: itemId,
    title: title(p.title),
    done: false,
    price: checkPrice(p.price),
    approval: 'pending',
    ...(why === '' ? {} : { reason: why }),
    proposedBy: nonEmpty(p.by, 'by'),
    proposedAt: stamp(p.at, 'at')
  });
  return itemId;
}

/**
 * A2: a manager renames or re-prices a line that is not done and not decided (P10, P12);
 * `price: null` takes the price away. Unchanged values are not rewritten.
 */
export function editItem(doc: Y.Doc, itemId: string, edit: { title?: string; price?: number | null }): void {
  const item = itemMap(doc, itemId);
  const values: Record<string, unknown> = {
    ...(edit.title === undefined ? {} : { title: title(edit.title) }),
    ...(edit.price === undefined || edit.price === null ? {} : { price: checkPrice(edit.price) })
  };
  if (item.get('done') === true) throw new JobModelError('a done item keeps its title and price');
  const approval = item.get('approval');
  if (approval === 'approved' || approval === 'declined') throw new JobModelError('a decided line keeps the title and price the customer saw');
  if (edit.price === null && approval !== undefined) throw new JobModelError('a line that needs approval keeps a price');
  const changed = Object.entries(values).filter(([key, value]) => item.get(key) !== value);
  const dropPrice = edit.price === null && item.has('price');
  if (changed.length === 0 && !dropPrice) return;
  doc.transact(() => {
    for (const [key, value] of changed) item.set(key, value);
    if (dropPrice) item.delete('price');
  });
}

export interface Decision {
  decision: Exclude<ApprovalState, 'pending'>;
  at: string;
  /** The share link's id. */
  via: string;
  /** What the customer was shown: the decision is refused when the line says otherwise now. */
  title: string;
  price: number;
}

/** Why a decision cannot be recorded on this line now, or null when it can (A4). */
export function decisionConflict(item: ItemFacts | undefined, shown: { title?: string; price?: number }): string | null {
  if (!item || item.approval === undefined) return 'this line does not need your approval';
  if (item.approval !== 'pending') return `this line was already ${item.approval}`;
  if ((shown.title !== undefined && shown.title !== item.title) || (shown.price !== undefined && shown.price !== (item.price ?? 0))) {
    return 'this line changed since you saw it: look at it again before you decide';
  }
  return null;
}

/** A4: the server records the customer's decision, once, with exactly what was shown. */
export function decideApproval(doc: Y.Doc, itemId: string, d: Decision): void {
  if (d.decision !== 'approved' && d.decision !== 'declined') throw new JobModelError("decision must be 'approved' or 'declined'");
  const values = { approval: d.decision, decidedAt: stamp(d.at, 'at'), decidedVia: nonEmpty(d.via, 'via'), decidedTitle: d.title, decidedPrice: d.price };
  const item = itemMap(doc, itemId);
  const conflict = decisionConflict(
    readJob(doc).items.find((i) => i.id === itemId),
    { title: d.title, price: d.price }
  );
  if (conflict !== null) throw new JobModelError(conflict);
  doc.transact(() => {
    for (const [key, value] of Object.entries(values)) item.set(key, value);
  });
}

/** Money for people: cents in the workshop's currency (`CURRENCY`), e.g. "€45.00". */
export function formatMoney(cents: number, currency: string, locale = 'en'): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(cents / 100);
  } catch {
    // An unknown currency code: the amount with the code, rather than nothing.
    return `${(cents / 100).toFixed(2)} ${currency}`;
  }
}

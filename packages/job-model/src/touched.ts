/**
 * What one Yjs transaction on a job document touched, read from the structs it added and the
 * items it deleted — not from the document. A tick adds a value under `done`/`doneBy`/`doneAt`
 * of an item map and deletes the values it replaces; a new note adds one map to `notes` and
 * its keys. Whatever else a transaction does (a key of `job`, an item added or removed, a
 * delete anywhere else, a shared type or a garbage-collected struct, a root nobody knows)
 * marks it `other`: no fast rule covers it and the whole document must be read and judged.
 *
 * Run it from the document's `afterTransaction` event: the structs are integrated (parents
 * resolved, also those given only through an origin in the update) and not merged yet.
 */
import * as Y from 'yjs';
import { TICK_FIELDS } from './schema.js';

export interface Touched {
  /** Item maps (entries of `items` that existed before) whose tick fields were written or deleted, and nothing else of them. */
  ticked: Set<Y.Map<unknown>>;
  /** Note maps added to `notes` by this transaction, holding plain values only. */
  newNotes: Set<Y.Map<unknown>>;
  /** Anything else: judge and read the whole document. */
  other: boolean;
}

/** The store's internals this reads (typed by yjs, but not all through its declarations). */
type Struct = Y.Item | Y.GC;
// Y.AbstractType<any>: the root and entry types differ in their event type only.
/* eslint-disable @typescript-eslint/no-explicit-any */

export function touchedBy(tr: Y.Transaction): Touched {
  const touched: Touched = { ticked: new Set(), newNotes: new Set(), other: false };
  try {
    if (!judge(tr, touched)) touched.other = true;
  } catch {
    touched.other = true; // a shape this reader did not foresee: the full check judges it
  }
  return touched;
}

function judge(tr: Y.Transaction, touched: Touched): boolean {
  const doc = tr.doc;
  const items = doc.share.get('items');
  const notes = doc.share.get('notes');
  const isNew = (id: Y.ID) => id.clock >= (tr.beforeState.get(id.client) ?? 0);
  const structsOf = (client: number) => (doc.store.clients.get(client) ?? []) as Struct[];

  /** An item map that existed before this transaction and still stands in `items`. */
  const isItemMap = (type: Y.AbstractType<any>): type is Y.Map<unknown> => {
    const entry = type._item;
    return items !== undefined && type.constructor === Y.Map && entry !== null && entry.parent === items && !entry.deleted && !isNew(entry.id);
  };
  /** A note map added by this transaction (its keys are judged with it). */
  const isNewNote = (type: Y.AbstractType<any>): boolean => {
    const entry = type._item;
    return notes !== undefined && type.constructor === Y.Map && entry !== null && entry.parent === notes && !entry.deleted && isNew(entry.id);
  };

  // Every struct this transaction added.
  for (const [client, end] of tr.afterState) {
    const start = tr.beforeState.get(client) ?? 0;
    if (end <= start) continue;
    const structs = structsOf(client);
    for (let i = Y.findIndexSS(structs, start); i < structs.length && structs[i]!.id.clock < end; i++) {
      const struct = structs[i]!;
      if (!(struct instanceof Y.Item)) return false; // garbage collected: its parent is unknown
      const parent = struct.parent;
      if (!(parent instanceof Y.AbstractType)) return false;
      const key = struct.parentSub;
      if (parent === notes) {
        // A new note: one live Y.Map entry (a plain value or any other type is not one).
        const content = struct.content;
        if (key !== null || struct.deleted || !(content instanceof Y.ContentType) || content.type.constructor !== Y.Map) return false;
        touched.newNotes.add(content.type as Y.Map<unknown>);
        continue;
      }
      if (key === null || !(struct.content instanceof Y.ContentAny)) return false;
      if (isItemMap(parent) && Object.hasOwn(TICK_FIELDS, key)) touched.ticked.add(parent);
      else if (!isNewNote(parent)) return false;
    }
  }

  // Every item this transaction deleted (a tick deletes the values it replaces).
  for (const [client, ranges] of tr.deleteSet.clients) {
    const structs = structsOf(client);
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i]!.id.clock < clock + len; i++) {
        const struct = structs[i]!;
        if (!(struct instanceof Y.Item)) return false;
        if (isNew(struct.id)) continue; // added by this transaction: judged above
        const parent = struct.parent;
        if (!(parent instanceof Y.AbstractType) || struct.parentSub === null || !isItemMap(parent) || !Object.hasOwn(TICK_FIELDS, struct.parentSub)) return false;
        touched.ticked.add(parent);
      }
    }
  }
  return true;
}

/** The index of a live entry in a list root (counting live entries only); -1 when it is not one. */
export function entryIndex(list: Y.AbstractType<any>, entry: Y.Item): number {
  let index = 0;
  for (let item = list._start; item !== null; item = item.right) {
    if (item === entry) return item.deleted ? -1 : index;
    if (!item.deleted && item.countable) index += item.length;
  }
  return -1;
}

/**
 * The new entries in list order when they are the list's live tail (appended, as `addNote`
 * does; concurrent appends interleave there too), else null. Linear in the entries and the
 * deleted ones between them, not in the list.
 */
export function tailOrder(list: Y.AbstractType<any>, entries: Set<Y.Map<unknown>>): Y.Map<unknown>[] | null {
  const first = entries.values().next().value;
  if (first === undefined) return [];
  const isMember = (item: Y.Item) => item.content instanceof Y.ContentType && entries.has(item.content.type as Y.Map<unknown>);
  let start = first._item;
  if (start === null || start.parent !== list) return null;
  while (start.left !== null && (start.left.deleted || isMember(start.left))) start = start.left;
  const order: Y.Map<unknown>[] = [];
  for (let item: Y.Item | null = start; item !== null; item = item.right) {
    if (item.deleted) continue;
    if (!isMember(item)) return null;
    order.push((item.content as Y.ContentType).type as Y.Map<unknown>);
  }
  return order.length === entries.size ? order : null;
}

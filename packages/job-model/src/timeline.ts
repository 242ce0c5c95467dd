/**
 * A job's timeline (SPEC T1–T4): who did what and when, derived from the facts each time it is
 * shown, never stored. One source function per kind of fact; a new fact adds its function to
 * TIMELINE_SOURCES and nothing else changes.
 */
import { approvalLines, shownPrice, shownTitle } from './approvals.js';
import type { JobFacts } from './types.js';

export interface TimelineEntry {
  /** ISO time it happened. */
  at: string;
  /**
   * What happened: 'created', 'assigned', 'item_done', 'note', 'stuck', 'unstuck', 'qc_passed',
   * 'qc_failed', 'approval_requested', 'approval_approved', 'approval_declined', 'part_ordered',
   * 'part_arrived', 'clock_started', 'clock_stopped', 'photo_added', 'collected', or a later fact's kind.
   */
  kind: string;
  /** The user who did it (staff or customer id), when the facts say. */
  by?: string;
  /** What staff read: the item's title, the note, the reason… */
  text?: string;
  /** A price in cents (an approval line's, as the customer was shown it). */
  price?: number;
  /** Present when the customer sees this entry (T2), with the only text and price they may read. */
  customer?: { text?: string; price?: number };
}

/** What the customer sees of an entry (T2): no user id, no internal text. */
export interface PublicTimelineEntry {
  at: string;
  kind: string;
  text?: string;
  price?: number;
}

export type TimelineSource = (facts: JobFacts) => TimelineEntry[];

const created: TimelineSource = (f) => [{ at: f.createdAt, kind: 'created', text: f.bike, customer: {} }];

// T3: only the current assignment is a fact; earlier ones left no trace in the document.
const assignment: TimelineSource = (f) =>
  f.assigneeId !== null && f.assignedAt ? [{ at: f.assignedAt, kind: 'assigned', by: f.assigneeId, customer: {} }] : [];

const ticks: TimelineSource = (f) =>
  f.items
    .filter((item) => item.done && item.doneAt)
    .map((item) => ({ at: item.doneAt!, kind: 'item_done', ...(item.doneBy ? { by: item.doneBy } : {}), text: item.title, customer: { text: item.title } }));

const notes: TimelineSource = (f) =>
  f.notes.map((note) => ({
    at: note.at,
    kind: 'note',
    by: note.authorId,
    text: note.text,
    ...(note.visibility === 'customer' ? { customer: { text: note.text } } : {})
  }));

// A stuck report's reason and resolution are internal (V1): the customer sees neither.
const stuck: TimelineSource = (f) => {
  const report = f.stuck;
  if (!report) return [];
  const entries: TimelineEntry[] = [{ at: report.reportedAt, kind: 'stuck', by: report.reportedBy, text: report.reason }];
  if (!report.open && report.resolvedAt) {
    entries.push({
      at: report.resolvedAt,
      kind: 'unstuck',
      ...(report.resolvedBy ? { by: report.resolvedBy } : {}),
      ...(report.resolution ? { text: report.resolution } : {})
    });
  }
  return entries;
};

const qualityChecks: TimelineSource = (f) =>
  f.qc.map((qc) => ({
    at: qc.at,
    kind: qc.pass ? 'qc_passed' : 'qc_failed',
    by: qc.by,
    ...(qc.note ? { text: qc.note } : {}),
    ...(qc.pass ? { customer: {} } : {})
  }));

/**
 * A: extra work proposed and the customer's decision, with the title and price they were shown
 * (V2). Who proposed it is for staff; the link it was decided through is named nowhere here.
 */
const approvals: TimelineSource = (f) =>
  approvalLines(f).flatMap((item) => {
    const seen = { text: shownTitle(item), price: shownPrice(item) };
    const entries: TimelineEntry[] = [];
    if (item.proposedAt) {
      entries.push({ at: item.proposedAt, kind: 'approval_requested', ...(item.proposedBy ? { by: item.proposedBy } : {}), ...seen, customer: { ...seen } });
    }
    if (item.decidedAt && (item.approval === 'approved' || item.approval === 'declined')) {
      entries.push({ at: item.decidedAt, kind: `approval_${item.approval}`, ...seen, customer: { ...seen } });
    }
    return entries;
  });

// W4: the customer learns that a part is awaited and when it came, never its name.
const parts: TimelineSource = (f) =>
  f.parts.flatMap((part) => [
    { at: part.orderedAt, kind: 'part_ordered', by: part.orderedBy, text: part.name, customer: {} },
    ...(part.arrivedAt ? [{ at: part.arrivedAt, kind: 'part_arrived', ...(part.arrivedBy ? { by: part.arrivedBy } : {}), text: part.name, customer: {} }] : [])
  ]);

// C: clocked work is the workshop's own business: staff only.
const clockedWork: TimelineSource = (f) =>
  f.clock.flatMap((session) => [
    { at: session.startedAt, kind: 'clock_started', by: session.mechanicId },
    ...(session.stoppedAt ? [{ at: session.stoppedAt, kind: 'clock_stopped', by: session.mechanicId }] : [])
  ]);

// S6/F2: a photo, named by its item's title while that item exists; the customer sees only customer-visible ones (V1).
const photos: TimelineSource = (f) =>
  f.photos.map((photo) => {
    const item = photo.itemId === null ? undefined : f.items.find((i) => i.id === photo.itemId);
    const about = item ? { text: shownTitle(item) } : {};
    return { at: photo.at, kind: 'photo_added', by: photo.by, ...about, ...(photo.visibility === 'customer' ? { customer: { ...about } } : {}) };
  });

const collection: TimelineSource = (f) => (f.collectedAt ? [{ at: f.collectedAt, kind: 'collected', customer: {} }] : []);

/** T1: every source, in the order ties are shown. Add a fact's source here. */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [
  created,
  assignment,
  ticks,
  notes,
  stuck,
  qualityChecks,
  approvals,
  parts,
  clockedWork,
  photos,
  collection
];

/** T1: what happened to the job, oldest first; entries without a time are left out. */
export function jobTimeline(facts: JobFacts, sources: readonly TimelineSource[] = TIMELINE_SOURCES): TimelineEntry[] {
  const entries = sources.flatMap((source) => source(facts)).filter((entry) => entry.at !== '');
  // Array#sort is stable, so equal times keep the sources' order.
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** T2: the customer's subset, with nothing but time, kind and the customer's text and price. */
export function publicTimeline(facts: JobFacts): PublicTimelineEntry[] {
  return jobTimeline(facts)
    .filter((entry) => entry.customer !== undefined)
    .map((entry) => ({
      at: entry.at,
      kind: entry.kind,
      ...(entry.customer?.text ? { text: entry.customer.text } : {}),
      ...(entry.customer?.price !== undefined ? { price: entry.customer.price } : {})
    }));
}

/**
 * A job's timeline (SPEC T1–T4): who did what and when, derived from the facts each time it is
 * shown, never stored. One source function per kind of fact; a new fact (approvals, parts,
 * clocked work…) adds its function to TIMELINE_SOURCES and nothing else changes.
 */
import type { JobFacts } from './types.js';

export interface TimelineEntry {
  /** ISO time it happened. */
  at: string;
  /** What happened: 'created', 'assigned', 'item_done', 'note', 'stuck', 'unstuck', 'qc_passed', 'qc_failed', 'collected', or a later fact's kind. */
  kind: string;
  /** The user who did it (staff or customer id), when the facts say. */
  by?: string;
  /** What staff read: the item's title, the note, the reason… */
  text?: string;
  /** Present when the customer sees this entry (T2), with the only text they may read. */
  customer?: { text?: string };
}

/** What the customer sees of an entry (T2): no user id, no internal text. */
export interface PublicTimelineEntry {
  at: string;
  kind: string;
  text?: string;
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

const collection: TimelineSource = (f) => (f.collectedAt ? [{ at: f.collectedAt, kind: 'collected', customer: {} }] : []);

/** T1: every source, in the order ties are shown. Add a fact's source here. */
export const TIMELINE_SOURCES: readonly TimelineSource[] = [created, assignment, ticks, notes, stuck, qualityChecks, collection];

/** T1: what happened to the job, oldest first; entries without a time are left out. */
export function jobTimeline(facts: JobFacts, sources: readonly TimelineSource[] = TIMELINE_SOURCES): TimelineEntry[] {
  const entries = sources.flatMap((source) => source(facts)).filter((entry) => entry.at !== '');
  // Array#sort is stable, so equal times keep the sources' order.
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/** T2: the customer's subset, with nothing but time, kind and the customer's text. */
export function publicTimeline(facts: JobFacts): PublicTimelineEntry[] {
  return jobTimeline(facts)
    .filter((entry) => entry.customer !== undefined)
    .map((entry) => ({ at: entry.at, kind: entry.kind, ...(entry.customer?.text ? { text: entry.customer.text } : {}) }));
}

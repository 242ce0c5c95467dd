/**
 * Clocked work (SPEC S7, section C): sessions a mechanic starts and stops on the phone, offline
 * too. Two devices may each hold a session for the same stretch of work; clocked time is the
 * length of the UNION of a mechanic's sessions, so merging never counts an hour twice (C3).
 */
import * as Y from 'yjs';
import { clockArray } from './doc.js';
import { JobModelError } from './errors.js';
import { id, newId, requireJob, setMany, timestamp } from './ops.js';
import type { ClockFacts, JobFacts } from './types.js';

/** C3: a session left running counts at most this long (a timer forgotten overnight). */
export const OPEN_SESSION_CAP_MS = 12 * 60 * 60 * 1000;

/** At most this many sessions per job (a bound on what one job may hold). */
export const MAX_SESSIONS = 500;

const openSessions = (doc: Y.Doc, mechanicId: string): Y.Map<unknown>[] =>
  clockArray(doc)
    .toArray()
    .filter((e): e is Y.Map<unknown> => e instanceof Y.Map && e.get('mechanicId') === mechanicId && e.get('stoppedAt') === null);

/** C2: starts the mechanic's timer; refused while one of theirs already runs on this replica. */
export function startClock(doc: Y.Doc, mechanicId: string, at: string, sessionId?: string): string {
  requireJob(doc);
  id(mechanicId, 'mechanicId');
  timestamp(at);
  const entryId = sessionId === undefined ? newId() : id(sessionId, 'session id');
  if (openSessions(doc, mechanicId).length > 0) throw new JobModelError('the timer is already running');
  if (clockArray(doc).length >= MAX_SESSIONS) throw new JobModelError(`a job has at most ${MAX_SESSIONS} clocked sessions`);
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    setMany(entry, { id: entryId, mechanicId, startedAt: at, stoppedAt: null });
    clockArray(doc).push([entry]);
  });
  return entryId;
}

/**
 * C2: stops every running session of the mechanic (after a merge two devices may each have
 * started one). A stop without a running session is refused. A stop time before the start
 * (a clock that went back) is taken as the start: the session counts nothing.
 */
export function stopClock(doc: Y.Doc, mechanicId: string, at: string): void {
  requireJob(doc);
  id(mechanicId, 'mechanicId');
  timestamp(at);
  const open = openSessions(doc, mechanicId);
  if (open.length === 0) throw new JobModelError('the timer is not running');
  doc.transact(() => {
    for (const session of open) {
      const started = session.get('startedAt');
      session.set('stoppedAt', typeof started === 'string' && started > at ? started : at);
    }
  });
}

/** Whether the mechanic has a running session (C2). */
export function isClockRunning(facts: Pick<JobFacts, 'clock'>, mechanicId: string): boolean {
  return facts.clock.some((s) => s.mechanicId === mechanicId && s.stoppedAt === null);
}

/** A session as milliseconds [start, end), an open one up to `now` and at most the cap (C3). */
function span(s: Pick<ClockFacts, 'startedAt' | 'stoppedAt'>, now: number): [number, number] | null {
  const start = Date.parse(s.startedAt);
  const end = s.stoppedAt === null ? Math.min(now, start + OPEN_SESSION_CAP_MS) : Date.parse(s.stoppedAt);
  return Number.isFinite(start) && Number.isFinite(end) && end > start ? [start, end] : null;
}

/** Length of the union of spans. */
function unionMs(spans: [number, number][]): number {
  spans.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [start, end] of spans) {
    if (start > to) {
      if (to > from) total += to - from;
      [from, to] = [start, end];
    } else if (end > to) to = end;
  }
  if (to > from) total += to - from;
  return total;
}

/** C3: clocked milliseconds per mechanic: the union of their sessions, as of `now`. */
export function clockedMsByMechanic(sessions: Pick<ClockFacts, 'mechanicId' | 'startedAt' | 'stoppedAt'>[], now: number): Map<string, number> {
  const byMechanic = new Map<string, [number, number][]>();
  for (const s of sessions) {
    const range = span(s, now);
    if (range) byMechanic.set(s.mechanicId, [...(byMechanic.get(s.mechanicId) ?? []), range]);
  }
  return new Map([...byMechanic].map(([mechanicId, spans]) => [mechanicId, unionMs(spans)]));
}

/** C3: the job's clocked time in whole seconds: every mechanic's union, summed. */
export function clockedSeconds(sessions: Pick<ClockFacts, 'mechanicId' | 'startedAt' | 'stoppedAt'>[], now: number): number {
  let ms = 0;
  for (const v of clockedMsByMechanic(sessions, now).values()) ms += v;
  return Math.floor(ms / 1000);
}

export type ClockSpan = Pick<ClockFacts, 'mechanicId' | 'startedAt' | 'stoppedAt'>;

/**
 * The sessions reduced to what clocked time needs, for the read model: each mechanic's
 * stopped sessions merged into disjoint spans, running ones kept as they are. `clockedSeconds`
 * of the result equals that of the sessions at any time.
 */
export function compactClock(sessions: ClockFacts[]): ClockSpan[] {
  const out: ClockSpan[] = [];
  const closed = new Map<string, [number, number][]>();
  for (const s of sessions) {
    if (s.stoppedAt === null) {
      if (Number.isFinite(Date.parse(s.startedAt))) out.push({ mechanicId: s.mechanicId, startedAt: s.startedAt, stoppedAt: null });
      continue;
    }
    const range = span(s, 0);
    if (range) closed.set(s.mechanicId, [...(closed.get(s.mechanicId) ?? []), range]);
  }
  for (const [mechanicId, spans] of closed) {
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [start, end] of spans) {
      const last = merged.at(-1);
      if (last && start <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([start, end]);
    }
    for (const [start, end] of merged) out.push({ mechanicId, startedAt: new Date(start).toISOString(), stoppedAt: new Date(end).toISOString() });
  }
  return out;
}

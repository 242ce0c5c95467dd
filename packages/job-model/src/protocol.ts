/**
 * The `/collab` protocol Pitboard adds on top of Hocuspocus (docs/sync.md), shared by the server
 * and the web client: the protocol version, the machine-readable reasons a document or socket is
 * closed with, and the message shapes (inbox messages and job rows: src/inbox.ts; stats: src/stats.ts).
 *
 * Hocuspocus 4 delivers a document close (and a permission-denied at connect) to the client as a
 * reason string only — the provider reports code 1000 whatever the server meant. So the reason
 * carries the code: `"<closeCode> <code>: <English text>"`, e.g.
 * `"4403 not_assigned: this job is not assigned to you"`. Clients decide on `code`; the text is
 * for people and logs and may change.
 */

export type { InboxMessage, InboxRequest, JobSummary, NotificationMessage } from './inbox.js';
export type { ManagerStats, MechanicStats } from './stats.js';

/** Bumped when a message or close reason changes incompatibly (additions do not bump it). */
export const PROTOCOL_VERSION = 1;

/** Every close reason: its WebSocket-style close code (docs/sync.md) and its usual text. */
export const CLOSE_REASONS = {
  malformed_update: { closeCode: 4400, text: 'malformed update' },
  /** An update that arrived before one it builds on: passes once the handshake sends what is missing. */
  missing_dependency: { closeCode: 4400, text: 'update depends on changes the server does not have' },
  unknown_document: { closeCode: 4400, text: 'unknown document' },
  not_signed_in: { closeCode: 4401, text: 'not signed in' },
  invalid_session: { closeCode: 4401, text: 'invalid session token' },
  session_expired: { closeCode: 4401, text: 'session expired' },
  /** Sign-out, expiry, role change or removal while the document was open (text says which). */
  session_ended: { closeCode: 4401, text: 'session ended' },
  /** The whole socket: no document signed in within AUTH_DEADLINE_SECONDS (the provider reconnects). */
  auth_deadline: { closeCode: 4401, text: 'sign-in took too long' },
  cross_site: { closeCode: 4403, text: 'cross-site connection refused' },
  not_assigned: { closeCode: 4403, text: 'this job is not assigned to you' },
  /** A change the role may not make (SPEC P1–P7, P9); the text names the fact and the rule. */
  not_allowed: { closeCode: 4403, text: 'not allowed to change this' },
  reassigned: { closeCode: 4403, text: 'this job was assigned to someone else' },
  not_your_inbox: { closeCode: 4403, text: 'not your inbox' },
  customer: { closeCode: 4403, text: 'customers see jobs through their progress page' },
  read_only: { closeCode: 4403, text: 'this document is read-only' },
  no_such_job: { closeCode: 4404, text: 'no such job' },
  too_far_behind: { closeCode: 4008, text: 'too far behind; reconnect to catch up' },
  too_many_notes: { closeCode: 4413, text: 'too many notes on this job' },
  too_many_items: { closeCode: 4413, text: 'too many items on this job' },
  job_too_large: { closeCode: 4413, text: 'this job is too large' },
  rate_limited: { closeCode: 4429, text: 'too many messages: slow down' },
  /** The whole socket (1008): over PREAUTH_MAX_BYTES before any document signed in. */
  preauth_too_much: { closeCode: 1008, text: 'too much data before signing in' },
  // Generic ones, for a refusal the server has no more specific code for (by its close code).
  bad_request: { closeCode: 4400, text: 'bad request' },
  unauthorized: { closeCode: 4401, text: 'not signed in' },
  forbidden: { closeCode: 4403, text: 'not allowed' },
  not_found: { closeCode: 4404, text: 'not found' },
  too_large: { closeCode: 4413, text: 'too large' },
  busy: { closeCode: 4503, text: 'the server is busy; please try again in a moment' },
  internal_error: { closeCode: 4500, text: 'internal error' }
} as const satisfies Record<string, { closeCode: number; text: string }>;

export type CloseReasonCode = keyof typeof CLOSE_REASONS;

/** A parsed close reason. `unknown`: not one this client knows (another version, or no code). */
export interface CloseReason {
  code: CloseReasonCode | 'unknown';
  /** The close code the reason names (null when it names none). */
  closeCode: number | null;
  /** The words for people. */
  text: string;
}

const WIRE = /^(\d{4}) ([a-z][a-z0-9_]*): ([\s\S]*)$/;

export function isCloseReasonCode(value: unknown): value is CloseReasonCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CLOSE_REASONS, value);
}

/** The reason string to send for `code`; `text` (default: the usual one) may add details. */
export function encodeCloseReason(code: CloseReasonCode, text: string = CLOSE_REASONS[code].text): string {
  return `${CLOSE_REASONS[code].closeCode} ${code}: ${text}`;
}

/** `{code, reason}` for a Hocuspocus `connection.close` / a thrown hook error / a socket close. */
export function closeEvent(code: CloseReasonCode, text?: string): { code: number; reason: string } {
  return { code: CLOSE_REASONS[code].closeCode, reason: encodeCloseReason(code, text) };
}

/** Reads a close or permission-denied reason. Total: anything unexpected is `unknown`, never a throw. */
export function parseCloseReason(reason: unknown): CloseReason {
  if (typeof reason !== 'string') return { code: 'unknown', closeCode: null, text: '' };
  const m = WIRE.exec(reason);
  if (!m) return { code: 'unknown', closeCode: null, text: reason };
  const code = m[2]!;
  return { code: isCloseReasonCode(code) ? code : 'unknown', closeCode: Number(m[1]), text: m[3]! };
}

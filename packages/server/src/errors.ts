import { CLOSE_REASONS, closeEvent, type CloseReasonCode } from '@pitboard/job-model';

/**
 * One error style for the whole server: a typed error with an HTTP status and a reason.
 * The API turns it into `{ "error": reason }`; the sync endpoint into a close event
 * `{ code, reason }` whose reason carries the machine-readable code (`closeEventFor`; codes in
 * docs/sync.md and `@pitboard/job-model`'s protocol.ts).
 */
export class PitboardError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** WebSocket close code used when this error ends a sync connection. */
    readonly closeCode: number = 4000 + status,
    /** The machine-readable close reason (protocol.ts); without one, a generic one by close code. */
    readonly closeReason?: CloseReasonCode
  ) {
    super(reason);
    this.name = new.target.name;
  }

  /** The input the error is about (a form shows it there), machine-readable. */
  field?: string;

  /** Names the input the error is about. */
  about(field: string): this {
    this.field = field;
    return this;
  }
}

/** A sync refusal named by its shared code; `text` (default: the code's usual text) for people. */
export function refusal(code: CloseReasonCode, text: string = CLOSE_REASONS[code].text): PitboardError {
  const { closeCode } = CLOSE_REASONS[code];
  return new PitboardError(closeCode >= 4000 ? closeCode - 4000 : 400, text, closeCode, code);
}

export class BadRequestError extends PitboardError {
  constructor(reason: string, closeReason?: CloseReasonCode) {
    super(400, reason, 4400, closeReason);
  }
}

export class UnauthorizedError extends PitboardError {
  constructor(reason = 'not signed in', closeReason?: CloseReasonCode) {
    super(401, reason, 4401, closeReason);
  }
}

export class ForbiddenError extends PitboardError {
  constructor(reason = 'not allowed', closeReason?: CloseReasonCode) {
    super(403, reason, 4403, closeReason);
  }
}

export class NotFoundError extends PitboardError {
  constructor(reason = 'not found', closeReason?: CloseReasonCode) {
    super(404, reason, 4404, closeReason);
  }
}

export class ConflictError extends PitboardError {
  constructor(reason: string) {
    super(409, reason);
  }
}

export class TooLargeError extends PitboardError {
  constructor(reason = 'request too large') {
    super(413, reason);
  }
}

export class RateLimitedError extends PitboardError {
  constructor(
    reason = 'too many attempts, try again later',
    readonly retryAfterSeconds = 60
  ) {
    super(429, reason);
  }
}

/** The database stayed locked (by another process) longer than a request may wait. */
export class StorageBusyError extends PitboardError {
  constructor(reason = 'the database is busy; please try again in a moment') {
    super(503, reason);
  }
}

const GENERIC: Record<number, CloseReasonCode> = {
  4400: 'bad_request',
  4401: 'unauthorized',
  4403: 'forbidden',
  4404: 'not_found',
  4413: 'too_large',
  4429: 'rate_limited',
  4503: 'busy'
};

/**
 * The `{code, reason}` shape Hocuspocus uses to close a connection (or deny one) when a hook
 * throws, with the machine-readable code in the reason (the client sees the reason only).
 */
export function closeEventFor(error: unknown): { code: number; reason: string } {
  if (!(error instanceof PitboardError)) return closeEvent('internal_error');
  const code = error.closeReason ?? GENERIC[error.closeCode];
  return code ? closeEvent(code, error.reason) : closeEvent('internal_error', error.reason);
}

/** What a Hocuspocus hook throws to refuse: Hocuspocus reads `code` and `reason` from it. */
export class SyncRefusal extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(
    /** The error refused for (its `reason` is the plain text, for logs). */
    readonly error: unknown
  ) {
    const event = closeEventFor(error);
    super(event.reason);
    this.name = 'SyncRefusal';
    this.code = event.code;
    this.reason = event.reason;
  }
}

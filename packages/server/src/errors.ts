/**
 * One error style for the whole server: a typed error with an HTTP status and a reason.
 * The API turns it into `{ "error": reason }`; the sync endpoint into a WebSocket close
 * event `{ code, reason }` (codes documented in docs/sync.md).
 */
export class PitboardError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    /** WebSocket close code used when this error ends a sync connection. */
    readonly closeCode: number = 4000 + status
  ) {
    super(reason);
    this.name = new.target.name;
  }
}

export class BadRequestError extends PitboardError {
  constructor(reason: string) {
    super(400, reason);
  }
}

export class UnauthorizedError extends PitboardError {
  constructor(reason = 'not signed in') {
    super(401, reason);
  }
}

export class ForbiddenError extends PitboardError {
  constructor(reason = 'not allowed') {
    super(403, reason);
  }
}

export class NotFoundError extends PitboardError {
  constructor(reason = 'not found') {
    super(404, reason);
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

/** The `{code, reason}` shape Hocuspocus uses to close a connection when a hook throws. */
export function closeEventFor(error: unknown): { code: number; reason: string } {
  if (error instanceof PitboardError) return { code: error.closeCode, reason: error.reason };
  return { code: 4500, reason: 'internal error' };
}

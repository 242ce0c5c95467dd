/** Every sync refusal reaches the client with a machine-readable code (docs/sync.md). */
import { parseCloseReason } from '@pitboard/job-model';
import { describe, expect, it } from 'vitest';
import { closeEventFor, ConflictError, ForbiddenError, PitboardError, refusal, StorageBusyError, SyncRefusal, UnauthorizedError } from '../src/errors.js';

describe('closeEventFor', () => {
  it('carries the error’s own code, its close code and its words', () => {
    const event = closeEventFor(refusal('not_allowed', 'not allowed to change job.assigneeId: P3'));
    expect(event.code).toBe(4403);
    expect(parseCloseReason(event.reason)).toEqual({ code: 'not_allowed', closeCode: 4403, text: 'not allowed to change job.assigneeId: P3' });
  });

  it('gives an error without a code a generic one by its close code, and anything else internal_error', () => {
    expect(parseCloseReason(closeEventFor(new ForbiddenError('nope')).reason)).toEqual({ code: 'forbidden', closeCode: 4403, text: 'nope' });
    expect(parseCloseReason(closeEventFor(new UnauthorizedError()).reason).code).toBe('unauthorized');
    expect(parseCloseReason(closeEventFor(new StorageBusyError()).reason).code).toBe('busy');
    expect(parseCloseReason(closeEventFor(new ConflictError('taken')).reason)).toMatchObject({ code: 'internal_error', text: 'taken' });
    expect(closeEventFor(new Error('secret detail'))).toEqual({ code: 4500, reason: '4500 internal_error: internal error' });
  });

  it('SyncRefusal is what Hocuspocus reads (code, reason) and keeps the error for logs', () => {
    const error = new PitboardError(429, 'too many messages: slow down', 4429, 'rate_limited');
    const thrown = new SyncRefusal(error);
    expect({ code: thrown.code, reason: thrown.reason }).toEqual({ code: 4429, reason: '4429 rate_limited: too many messages: slow down' });
    expect(thrown.error).toBe(error);
  });
});

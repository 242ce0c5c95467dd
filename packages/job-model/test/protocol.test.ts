import { describe, expect, it } from 'vitest';
import { CLOSE_REASONS, closeEvent, encodeCloseReason, isCloseReasonCode, parseCloseReason, PROTOCOL_VERSION, type CloseReasonCode } from '../src/index.js';

const CODES = Object.keys(CLOSE_REASONS) as CloseReasonCode[];

describe('close reasons (docs/sync.md)', () => {
  it('has a protocol version', () => {
    expect(PROTOCOL_VERSION).toBeGreaterThanOrEqual(1);
  });

  it('every code round-trips, with its usual text and with other words', () => {
    for (const code of CODES) {
      const { closeCode, text } = CLOSE_REASONS[code];
      expect(parseCloseReason(encodeCloseReason(code))).toEqual({ code, closeCode, text });
      const other = `${text}: renamed, with "quotes"; and\nnew lines`;
      expect(parseCloseReason(encodeCloseReason(code, other))).toEqual({ code, closeCode, text: other });
      expect(closeEvent(code, other)).toEqual({ code: closeCode, reason: encodeCloseReason(code, other) });
    }
  });

  it('names the codes of the docs table', () => {
    const byCloseCode = (n: number) => CODES.filter((c) => CLOSE_REASONS[c].closeCode === n);
    expect(byCloseCode(4401)).toEqual(expect.arrayContaining(['not_signed_in', 'invalid_session', 'session_expired', 'session_ended', 'auth_deadline']));
    expect(byCloseCode(4403)).toEqual(expect.arrayContaining(['cross_site', 'not_assigned', 'not_allowed', 'reassigned', 'not_your_inbox']));
    expect(byCloseCode(4400)).toEqual(expect.arrayContaining(['malformed_update', 'missing_dependency', 'unknown_document']));
    expect(byCloseCode(4404)).toEqual(expect.arrayContaining(['no_such_job']));
    expect(byCloseCode(4008)).toEqual(['too_far_behind']);
    expect(byCloseCode(4413)).toEqual(expect.arrayContaining(['too_many_notes', 'too_many_items', 'job_too_large']));
    expect(byCloseCode(4429)).toEqual(['rate_limited']);
  });

  it('fits a WebSocket close frame (123 bytes) with its usual text', () => {
    for (const code of CODES) expect(new TextEncoder().encode(encodeCloseReason(code)).length).toBeLessThanOrEqual(123);
  });

  it('parsing is total: old-style, foreign or odd reasons are "unknown", never a throw', () => {
    expect(parseCloseReason('this job is not assigned to you')).toEqual({ code: 'unknown', closeCode: null, text: 'this job is not assigned to you' });
    expect(parseCloseReason('session ended: signed out')).toEqual({ code: 'unknown', closeCode: null, text: 'session ended: signed out' });
    expect(parseCloseReason('4403 from_the_future: something new')).toEqual({ code: 'unknown', closeCode: 4403, text: 'something new' });
    expect(parseCloseReason('4403 toString: inherited names are no codes').code).toBe('unknown');
    expect(parseCloseReason('4403 __proto__: nor this').code).toBe('unknown');
    for (const odd of [undefined, null, 42, {}, [], '', ' ', '4403', '4403 not_assigned', 'provider_initiated', '\u0000\uffff']) {
      const parsed = parseCloseReason(odd);
      expect(parsed.code).toBe('unknown');
      expect(typeof parsed.text).toBe('string');
    }
    expect(isCloseReasonCode('constructor')).toBe(false);
    expect(isCloseReasonCode('rate_limited')).toBe(true);
  });
});

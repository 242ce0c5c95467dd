import { describe, expect, it } from 'vitest';
import { readJob, readRaw } from '../src/doc.js';
import { JobModelError } from '../src/errors.js';
import { phoneDigits, serialKey } from '../src/intake.js';
import { updateDetails } from '../src/ops.js';
import { checkChange } from '../src/permissions.js';
import { publicView } from '../src/view.js';
import { MANAGER, MECHANIC, at, jobDoc } from './helpers.js';

describe('serial and customer phone (S8)', () => {
  it('S8: createJob records them on the job map, trimmed', () => {
    const doc = jobDoc({ serial: '  WTU 123-456 ', customerPhone: ' +31 6 1234 5678 ' });
    expect(readJob(doc)).toMatchObject({ serial: 'WTU 123-456', customerPhone: '+31 6 1234 5678' });
    expect(readRaw(doc).job).toMatchObject({ serial: 'WTU 123-456', customerPhone: '+31 6 1234 5678' });
  });

  it('S8: absent on a job made without them, and read as empty (S2)', () => {
    const doc = jobDoc();
    expect(readRaw(doc).job).not.toHaveProperty('serial');
    expect(readJob(doc)).toMatchObject({ serial: '', customerPhone: '' });
  });

  it('S8: updateDetails sets, changes and clears them', () => {
    const doc = jobDoc();
    updateDetails(doc, { serial: 'ABC1', customerPhone: '0612345678' });
    expect(readJob(doc)).toMatchObject({ serial: 'ABC1', customerPhone: '0612345678' });
    updateDetails(doc, { serial: '', customerPhone: '' });
    expect(readJob(doc)).toMatchObject({ serial: '', customerPhone: '' });
  });

  it('S8: bad input throws and changes nothing', () => {
    const doc = jobDoc();
    expect(() => updateDetails(doc, { customerPhone: 'call me' })).toThrow(JobModelError);
    expect(() => updateDetails(doc, { customerPhone: '12' })).toThrow(JobModelError);
    expect(() => updateDetails(doc, { serial: 'x'.repeat(65) })).toThrow(JobModelError);
    expect(() => jobDoc({ customerPhone: '+31 (0)6-12' + '3'.repeat(40) })).toThrow(JobModelError);
    expect(readJob(doc)).toMatchObject({ serial: '', customerPhone: '' });
  });

  it('P18: a manager may write them (P2), a mechanic may not (P3)', () => {
    const doc = jobDoc();
    const before = readRaw(doc);
    updateDetails(doc, { serial: 'ABC1', customerPhone: '0612345678' });
    const after = readRaw(doc);
    expect(checkChange(MANAGER, before, after)).toEqual([]);
    expect(checkChange(MECHANIC, before, after).map((v) => v.path)).toEqual(expect.arrayContaining(['job.serial']));
  });

  it('S8: a serial that is not a string is not well-formed (P2)', () => {
    const doc = jobDoc();
    const before = readRaw(doc);
    const after = { ...before, job: { ...before.job, serial: 42 } };
    expect(checkChange(MANAGER, before, after)).toEqual([{ path: 'job.serial', reason: 'must be a string' }]);
  });

  it('V1: the public view holds neither phone nor serial', () => {
    const doc = jobDoc({ serial: 'WTU123456', customerPhone: '+31 6 1234 5678' });
    const json = JSON.stringify(publicView(readJob(doc), at(1)));
    expect(json).not.toContain('WTU123456');
    expect(json).not.toContain('1234 5678');
  });

  it('Q1: search forms of a phone and a serial', () => {
    expect(phoneDigits('+31 (0)6-1234 5678')).toBe('310612345678');
    expect(serialKey('WTU 123-456')).toBe('wtu123456');
  });
});

/** The one place for authorization decisions (src/auth/access.ts): each decision by role. */
import { describe, expect, it } from 'vitest';
import { hasRole, jobDocumentRefusal, jobsVisibleTo, requireJobView, requireRole, seesEveryJob, seesStaffDetails } from '../src/auth/access.js';
import { ForbiddenError } from '../src/errors.js';

const manager = { id: 'm1', role: 'manager' as const };
const mechanic = { id: 'k1', role: 'mechanic' as const };
const customer = { id: 'c1', role: 'customer' as const };
const job = { customerId: 'c1', assigneeId: 'k1' };

describe('access', () => {
  it('an area of one role refuses the others in plain words (403)', () => {
    expect(() => requireRole(manager, 'manager')).not.toThrow();
    expect(() => requireRole(mechanic, 'manager')).toThrow(new ForbiddenError('managers only'));
    expect(() => requireRole(manager, 'customer')).toThrow('customers only');
    expect(() => requireRole(customer, 'mechanic', 'the assigned mechanic reports stuck')).toThrow('the assigned mechanic reports stuck');
    expect(hasRole(null, 'manager')).toBe(false);
  });

  it('lists: managers every job, a mechanic their assigned ones, a customer their own', () => {
    expect(jobsVisibleTo(manager)).toEqual({});
    expect(jobsVisibleTo(mechanic)).toEqual({ assigneeId: 'k1' });
    expect(jobsVisibleTo(customer)).toEqual({ customerId: 'c1' });
    expect([manager, mechanic, customer].map(seesEveryJob)).toEqual([true, false, false]);
    expect([manager, mechanic, customer].map(seesStaffDetails)).toEqual([true, true, false]);
  });

  it('a job: its customer and its mechanic may see it, no one else but managers', () => {
    expect(() => requireJobView(customer, job)).not.toThrow();
    expect(() => requireJobView({ id: 'c2', role: 'customer' }, job)).toThrow('not your repair');
    expect(() => requireJobView({ id: 'k2', role: 'mechanic' }, job)).toThrow('this job is not assigned to you');
    expect(() => requireJobView(manager, job)).not.toThrow();
  });

  it("a job's document: refused with the shared close-reason code (SPEC P7, P8)", () => {
    expect(jobDocumentRefusal(manager, null)).toBeNull();
    expect(jobDocumentRefusal(mechanic, 'k1')).toBeNull();
    expect(jobDocumentRefusal(mechanic, 'k2')).toBe('not_assigned');
    expect(jobDocumentRefusal(mechanic, null)).toBe('not_assigned');
    expect(jobDocumentRefusal(customer, null)).toBe('customer');
  });
});

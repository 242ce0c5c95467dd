/**
 * E10 `approval_requested` (to the customer) and E11 `approval_decided` (to the assignee and
 * the managers). Keys name the line, so each is told once per line however often it is seen.
 */
import type { JobEvent, JobFacts } from './types.js';

export function approvalEvents(before: JobFacts | null, after: JobFacts): Omit<JobEvent, 'jobId'>[] {
  const was = new Map(before?.items.map((i) => [i.id, i.approval]));
  const events: Omit<JobEvent, 'jobId'>[] = [];
  for (const item of after.items) {
    const previous = was.get(item.id);
    // E10: a line that newly waits for the customer (a proposal merged late is still new here).
    if (item.approval === 'pending' && previous !== 'pending') {
      events.push({ kind: 'approval_requested', key: `approval_requested:${item.id}`, itemId: item.id });
    }
    // E11: a line decided since the last look (the state before may have been pending or unseen).
    if ((item.approval === 'approved' || item.approval === 'declined') && previous !== item.approval) {
      events.push({ kind: 'approval_decided', key: `approval_decided:${item.id}`, itemId: item.id, note: item.approval, ...(after.assigneeId === null ? {} : { mechanicId: after.assigneeId }) });
    }
  }
  return events;
}

/** E9 for E10: the request is moot once the line is no longer pending (decided or withdrawn). */
export const isApprovalRequestMoot = (itemId: string | undefined, facts: JobFacts): boolean =>
  !facts.items.some((i) => i.id === itemId && i.approval === 'pending');

/** What E9 reads for approvals: the pending lines. */
export const pendingIds = (facts: JobFacts): string[] => facts.items.filter((i) => i.approval === 'pending').map((i) => i.id);

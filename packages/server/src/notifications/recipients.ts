/** Who is told about which event (docs/product.md, Notifications). */
import { deriveStatus, type JobEvent, type JobFacts } from '@pitboard/job-model';

export function recipientsOf(event: JobEvent, facts: JobFacts, managerIds: string[]): string[] {
  switch (event.kind) {
    case 'assigned':
    case 'unassigned':
      return event.mechanicId ? [event.mechanicId] : [];
    case 'progress':
    case 'ready_for_pickup':
      return facts.customerId ? [facts.customerId] : [];
    case 'ready_for_qc':
    case 'stuck':
      return managerIds;
    case 'unstuck':
    case 'qc_failed':
      return facts.assigneeId ? [facts.assigneeId] : [];
    case 'parts_arrived': {
      // E12: the assignee, unless they marked it arrived themselves.
      const part = facts.parts.find((p) => `parts_arrived:${p.id}` === event.key);
      return facts.assigneeId && part?.arrivedBy !== facts.assigneeId ? [facts.assigneeId] : [];
    }
    case 'overdue':
      return managerIds;
    case 'approval_requested':
      return facts.customerId ? [facts.customerId] : [];
    case 'approval_decided':
      return [...(facts.assigneeId ? [facts.assigneeId] : []), ...managerIds];
  }
}

/**
 * Whether a change reaching these facts could tell the managers (the only recipients that need
 * the user list): a job now in quality check (E4), with an open stuck report (E5) or a decided line (E11). Otherwise
 * the notifier does not read the managers at all.
 */
export function mayTellManagers(facts: JobFacts): boolean {
  // E11: a decided line may be newly decided (its key keeps a repeat from telling twice).
  return facts.stuck?.open === true || deriveStatus(facts) === 'quality_check' || facts.items.some((i) => i.decidedAt !== undefined);
}

/** Who is told about which event (docs/product.md, Notifications). */
import type { JobEvent, JobFacts } from '@pitboard/job-model';

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
  }
}

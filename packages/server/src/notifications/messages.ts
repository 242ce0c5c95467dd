/**
 * What a notification says, per event kind (docs/product.md, Notifications). Texts for customers
 * name only their bike and counts: nothing internal.
 */
import { formatMoney, shownPrice, shownTitle, type JobEvent, type JobFacts } from '@pitboard/job-model';

export function notificationText(event: JobEvent, facts: JobFacts, currency = 'EUR'): { title: string; body: string } {
  const job = `#${facts.number} ${facts.bike}`;
  switch (event.kind) {
    case 'assigned':
      return { title: `New job: ${job}`, body: `You were assigned ${job} (${facts.items.length} items).` };
    case 'unassigned':
      return { title: `Job reassigned: ${job}`, body: `${job} is no longer assigned to you.` };
    case 'progress': {
      const p = event.progress ?? { done: 0, total: 0 };
      return { title: `${facts.bike}: ${p.done} of ${p.total} done`, body: `Work on your ${facts.bike} is under way.` };
    }
    case 'ready_for_qc':
      return { title: `Ready for quality check: ${job}`, body: `Every item of ${job} is done.` };
    case 'stuck':
      return { title: `Stuck: ${job}`, body: event.reason ?? '' };
    case 'unstuck':
      return { title: `Unblocked: ${job}`, body: event.note || 'The stuck report was resolved.' };
    case 'qc_failed':
      return { title: `Quality check failed: ${job}`, body: event.note || 'See the job for what to redo.' };
    case 'ready_for_pickup':
      return { title: `Your ${facts.bike} is ready for pickup!`, body: 'Come and collect it whenever suits you.' };
    case 'parts_arrived':
      return { title: `Part arrived: ${job}`, body: `${event.note || 'A part'} arrived; work on ${job} can go on.` };
    case 'overdue':
      return { title: `Overdue: ${job}`, body: `${job} was promised for ${when(facts.promisedAt)} and is not ready yet.` };
    case 'approval_requested':
    case 'approval_decided': {
      const line = facts.items.find((i) => i.id === event.itemId);
      const what = line ? `${shownTitle(line)} (${formatMoney(shownPrice(line), currency)})` : 'a line';
      if (event.kind === 'approval_requested') {
        // To the customer: their bike, the line, its price and the reason — all on their page anyway.
        return { title: `Your OK needed: ${what}`, body: `${facts.bike}: ${line?.reason || 'extra work was found'}. Approve or decline it on your repair page.` };
      }
      return { title: `Customer ${event.note === 'approved' ? 'approved' : 'declined'}: ${what}`, body: `${job}: decided from the share link.` };
    }
  }
}

/** A time in notification text: minutes, UTC (readers' time zones are unknown to the server). */
const when = (iso: string | undefined): string => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'earlier');

/**
 * The notification engine: a listener on every projected job change. It derives events from
 * the job's stored event baseline to its current facts (so edits that arrive late, twice, or
 * after a restart produce each event once), stores one notification per recipient, resolves
 * alerts the facts made moot, and only then delivers live.
 */
import { deriveEvents, isEventMoot, type JobEventKind, type JobFacts } from '@pitboard/job-model';
import type { Logger } from '../log.js';
import type { NewNotification, NotificationRow, Storage } from '../storage/index.js';
import type { Inbox } from './inbox.js';
import { notificationText } from './messages.js';
import { recipientsOf } from './recipients.js';

export interface NotifierMetrics {
  observeHook(ms: number): void;
}

export class Notifier {
  constructor(
    private readonly storage: Storage,
    private readonly inbox: Inbox,
    private readonly log: Logger,
    private readonly metrics: NotifierMetrics = { observeHook: () => {} }
  ) {}

  /** Jobs changed in one burst: one transaction for all their events. */
  async onJobChanges(changes: JobFacts[]): Promise<void> {
    if (changes.length === 0) return;
    const started = performance.now();
    const managerIds = (await this.storage.listUsers('manager')).map((u) => u.id);
    const now = new Date().toISOString();
    const results = await this.storage.recordJobEvents(
      changes.map((facts) => ({
        jobId: facts.id,
        compute: (baseline: string | null) => {
          const before = baseline ? (JSON.parse(baseline) as JobFacts) : null;
          const notifications: NewNotification[] = [];
          for (const event of deriveEvents(before, facts)) {
            const text = notificationText(event, facts);
            for (const userId of new Set(recipientsOf(event, facts, managerIds))) {
              notifications.push({
                userId,
                jobId: facts.id,
                kind: event.kind,
                eventKey: event.key,
                ...text,
                createdAt: now,
                coalesce: event.kind === 'progress'
              });
            }
          }
          // Notes never cause events: leave their text out of the baseline.
          return { baseline: JSON.stringify({ ...facts, notes: [] }), notifications };
        },
        isMoot: (n: NotificationRow) => isEventMoot({ kind: n.kind as JobEventKind, jobId: n.jobId, key: n.eventKey, mechanicId: n.userId }, facts)
      })),
      now
    );
    this.metrics.observeHook(performance.now() - started);
    for (const [i, { stored, resolved }] of results.entries()) {
      for (const n of stored) await this.inbox.deliverNew(n);
      for (const [userId, rows] of groupByUser(resolved)) await this.inbox.deliverChanged(userId, rows);
      if (stored.length) this.log.debug('notifications stored', { jobId: changes[i]!.id, count: stored.length });
    }
  }
}

function groupByUser(rows: NotificationRow[]): Map<string, NotificationRow[]> {
  const out = new Map<string, NotificationRow[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r]);
  return out;
}

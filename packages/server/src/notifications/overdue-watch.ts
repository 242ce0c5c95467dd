/**
 * The overdue timer (SPEC E13): every `intervalMs` it looks for jobs past their promised time
 * and tells every manager once per job and promised time. State lives in storage only
 * (`overdue_alerts`), so a restart loses nothing and every instance may run it: the storage's
 * one-row claim makes each alert go out once (storage/overdue-alerts.ts).
 */
import { overdueKey, type JobFacts } from '@pitboard/job-model';
import type { Logger } from '../log.js';
import type { NewNotification, Storage } from '../storage/index.js';
import type { Inbox } from './inbox.js';
import { notificationText } from './messages.js';

/** Jobs announced per scan at most: one scan never holds the database for long. */
const BATCH = 100;

export class OverdueWatch {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly inbox: Inbox,
    private readonly facts: (jobId: string) => Promise<JobFacts>,
    private readonly log: Logger,
    private readonly intervalMs: number
  ) {}

  /** Scans now (catching up what came due while no server ran), then every interval. */
  start(): void {
    if (this.intervalMs <= 0 || this.timer) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One scan; resolves with how many notifications it stored. Never two scans at once. */
  check(): Promise<number> {
    this.running ??= this.scan()
      .catch((error: unknown) => {
        this.log.error('overdue check failed', { error });
        return 0;
      })
      .finally(() => (this.running = null));
    return this.running;
  }

  private async scan(): Promise<number> {
    const now = new Date().toISOString();
    const due = await this.storage.overdueAlerts.due(now, BATCH);
    if (due.length === 0) return 0;
    const managers = await this.storage.listUsers('manager');
    let count = 0;
    for (const job of due) {
      const facts = await this.facts(job.jobId);
      const event = { kind: 'overdue' as const, jobId: job.jobId, key: overdueKey(job.promisedAt) };
      const text = notificationText(event, { ...facts, promisedAt: job.promisedAt });
      const notifications: NewNotification[] = managers.map((m) => ({ userId: m.id, jobId: job.jobId, kind: 'overdue', eventKey: event.key, ...text, createdAt: now }));
      const stored = await this.storage.overdueAlerts.announce(job, notifications, now);
      for (const n of stored) await this.inbox.deliverNew(n);
      count += stored.length;
    }
    return count;
  }
}

/**
 * The notification engine: a listener on every projected job change. It derives events from
 * the job's stored event baseline to its current facts (so edits that arrive late, twice, or
 * after a restart produce each event once), stores one notification per recipient, resolves
 * alerts the facts made moot, and only then delivers live.
 */
import { deriveEvents, isEventMoot, mootFingerprint, type JobEventKind, type JobFacts } from '@pitboard/job-model';
import type { Logger } from '../log.js';
import type { NewNotification, NotificationRow, Storage } from '../storage/index.js';
import * as Y from 'yjs';
import type { Inbox } from './inbox.js';
import { eventBaseline, type Baseline } from './baseline.js';
import { notificationText } from './messages.js';
import { mayTellManagers, recipientsOf } from './recipients.js';

export interface NotifierMetrics {
  observeHook(ms: number): void;
}

export class Notifier {
  constructor(
    private readonly storage: Storage,
    private readonly inbox: Inbox,
    private readonly log: Logger,
    private readonly metrics: NotifierMetrics = { observeHook: () => {} },
    /** Prices in texts (`CURRENCY`). */
    private readonly currency = 'EUR'
  ) {}

  private readonly storedListeners: ((stored: NotificationRow[]) => void)[] = [];

  /**
   * Called with the notifications this instance just stored (each is stored by one instance
   * only), before live delivery; e.g. Web Push. Must not throw or wait.
   */
  onStored(listener: (stored: NotificationRow[]) => void): void {
    this.storedListeners.push(listener);
  }

  /**
   * Jobs changed in one burst: one transaction for all their events. With the document's state
   * vector, a reading that the baseline already covers (another instance's copy was behind, or
   * nothing changed) records nothing: the job never steps back.
   */
  async onJobChanges(changes: { facts: JobFacts; stateVector?: Uint8Array }[]): Promise<void> {
    if (changes.length === 0) return;
    const started = performance.now();
    // The user list only when an event could go to the managers: a tick or a note reads no users.
    const managerIds = changes.some(({ facts }) => mayTellManagers(facts)) ? (await this.storage.listUsers('manager')).map((u) => u.id) : [];
    const now = new Date().toISOString();
    const results = await this.storage.recordJobEvents(
      changes.map(({ facts, stateVector }) => ({
        jobId: facts.id,
        compute: (baseline: string | null) => {
          // Baselines stored before the workshop-day facts lack them: read them as none.
          const before = baseline ? ({ parts: [], clock: [], ...JSON.parse(baseline) } as Baseline) : null;
          if (stateVector && before?.seen && covers(Y.decodeStateVector(Buffer.from(before.seen, 'base64')), Y.decodeStateVector(stateVector))) {
            return null;
          }
          const notifications: NewNotification[] = [];
          for (const event of deriveEvents(before, facts)) {
            const text = notificationText(event, facts, this.currency);
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
          // Open alerts can only turn moot when something they depend on changed (E9).
          const resolveMoot = before === null || mootFingerprint(before) !== mootFingerprint(facts);
          return { baseline: eventBaseline(facts, stateVector), notifications, resolveMoot };
        },
        isMoot: (n: NotificationRow) => isEventMoot({ kind: n.kind as JobEventKind, jobId: n.jobId, key: n.eventKey, mechanicId: n.userId }, facts)
      })),
      now
    );
    this.metrics.observeHook(performance.now() - started);
    for (const [i, { stored, resolved }] of results.entries()) {
      if (stored.length) for (const listener of this.storedListeners) listener(stored);
      for (const n of stored) await this.inbox.deliverNew(n);
      for (const [userId, rows] of groupByUser(resolved)) await this.inbox.deliverChanged(userId, rows);
      if (stored.length) this.log.debug('notifications stored', { jobId: changes[i]!.facts.id, count: stored.length });
    }
  }
}

function groupByUser(rows: NotificationRow[]): Map<string, NotificationRow[]> {
  const out = new Map<string, NotificationRow[]>();
  for (const r of rows) out.set(r.userId, [...(out.get(r.userId) ?? []), r]);
  return out;
}

/** Whether state `a` holds everything state `b` holds (every client's clock at least as far). */
function covers(a: Map<number, number>, b: Map<number, number>): boolean {
  for (const [client, clock] of b) if ((a.get(client) ?? 0) < clock) return false;
  return true;
}

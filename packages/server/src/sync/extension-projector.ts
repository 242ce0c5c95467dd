/**
 * Keeps the jobs read model current from every accepted change (client, API or another
 * instance), and tells listeners (notifications, live board feeds) what changed.
 * Changes arriving in one burst are projected once, on the next turn of the event loop.
 */
import type { afterLoadDocumentPayload, Document, Extension, onChangePayload } from '@hocuspocus/server';
import { CLOSE_REASONS, closeEvent, type JobFacts } from '@pitboard/job-model';
import * as Y from 'yjs';
import { jobDocumentRefusal } from '../auth/access.js';
import { projectJob } from '../jobs/projection.js';
import type { Logger } from '../log.js';
import type { JobRow, Storage } from '../storage/index.js';
import type { ConnectionContext } from './context.js';
import { jobDocumentName, parseDocumentName } from './documents.js';
import { LiveFacts } from './live-facts.js';
import { logRefusal } from './refusal-log.js';

interface Projection {
  facts: JobFacts;
  /** The document's state vector when `facts` were read (absent for facts read from storage). */
  stateVector?: Uint8Array;
  row: JobRow;
  previous: JobRow;
  save: boolean;
}

/** Every change of a projection batch at once (e.g. to store their notifications in one go). */
export type JobBatchListener = (changes: { facts: JobFacts; stateVector?: Uint8Array; row: JobRow; previous: JobRow | null }[]) => void | Promise<void>;

export type JobChangeListener = (change: { facts: JobFacts; row: JobRow; previous: JobRow | null }) => void | Promise<void>;

export class Projector implements Extension {
  extensionName = 'pitboard-projector';
  private readonly dirty = new Map<string, { document: Document; changed: boolean }>();
  private readonly rows = new Map<string, JobRow>();
  private scheduled: NodeJS.Immediate | null = null;
  private running: Promise<void> = Promise.resolve();
  /** Turns queued behind the running one, not started yet. */
  private waiting = 0;
  /** The last queued turn, when it is a flush that has not started: later flushes join it. */
  private pendingFlush: Promise<void> | null = null;
  private readonly listeners: JobChangeListener[] = [];
  private readonly batchListeners: JobBatchListener[] = [];
  /** Each loaded document's facts, re-read only where a change touched them. */
  readonly facts = new LiveFacts();

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger
  ) {}

  /** Runs `listener` for the changes of each batch, before the per-change listeners. */
  onJobChanges(listener: JobBatchListener): void {
    this.batchListeners.push(listener);
  }

  onJobChange(listener: JobChangeListener): void {
    this.listeners.push(listener);
  }

  /** A freshly loaded document may hold updates logged just before a crash: project it once. */
  async afterLoadDocument({ documentName, document }: afterLoadDocumentPayload): Promise<void> {
    this.rows.delete(documentName);
    this.schedule(documentName, document, false);
  }

  async onChange({ documentName, document }: onChangePayload): Promise<void> {
    this.schedule(documentName, document, true);
  }

  /**
   * Marks a document changed right now. Hocuspocus runs `onChange` a few microtasks after the
   * transaction; the server's own writes call this so `idle()` already includes them.
   */
  changed(document: Document): void {
    this.schedule(document.name, document, true);
  }

  private schedule(documentName: string, document: Document, changed: boolean) {
    if (parseDocumentName(documentName).kind !== 'job') return;
    this.dirty.set(documentName, { document, changed: changed || (this.dirty.get(documentName)?.changed ?? false) });
    this.scheduled ??= setImmediate(() => {
      this.scheduled = null;
      void this.flushInTurn().catch(() => undefined);
    });
  }

  /** Turns waiting behind the running projection (for tests and /metrics): at most one flush. */
  get waitingTurns(): number {
    return this.waiting;
  }

  /**
   * A flush projects every document dirty when it *starts*, so a flush already waiting covers
   * any change made before it starts: joining it, rather than queueing one more turn per burst
   * of edits, keeps the queue at one turn whatever the load. (Queueing one per burst let it grow
   * without bound where a turn outlasts the gap between edits — PostgreSQL under two sockets at
   * the rate limit — and an API write, waiting at the end of the queue, hung until the load
   * stopped: docs/security.md, class 7.) Only the chain's last turn is joined, so order holds.
   */
  private flushInTurn(): Promise<void> {
    if (this.pendingFlush) return this.pendingFlush;
    const turn: Promise<void> = this.inTurn(() => {
      if (this.pendingFlush === turn) this.pendingFlush = null;
      return this.flushNow();
    });
    this.pendingFlush = turn;
    return turn;
  }

  /**
   * Runs projections one at a time, in the order asked. A projection reads the job's facts and
   * then waits on storage; two at once could record an older reading after a newer one, and the
   * notification engine would see the job step back (e.g. "unassigned" right after "assigned").
   */
  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    this.waiting += 1;
    this.pendingFlush = null;
    const turn = this.running.then(() => {
      this.waiting -= 1;
      return work();
    });
    this.running = turn.then(
      () => undefined,
      () => undefined
    );
    return turn;
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.rows.delete(documentName);
  }

  /** Projects everything pending, after the projections already under way (also used at shutdown). */
  flush(): Promise<void> {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    return this.flushInTurn();
  }

  /** One batch: the facts of every dirty document as they are now, one commit for the rows. */
  private async flushNow(): Promise<void> {
    const batch = [...this.dirty];
    this.dirty.clear();
    const projected: { document: Document; step: Projection }[] = [];
    for (const [name, { document, changed }] of batch) {
      try {
        const stateVector = Y.encodeStateVector(document);
        const step = await this.prepare(this.facts.read(document), changed);
        if (step) projected.push({ document, step: { ...step, stateVector } });
      } catch (error) {
        this.log.error('projection failed', { document: name, error });
      }
    }
    try {
      const toSave = projected.filter((p) => p.step.save);
      const saved = await this.storage.saveJobs(toSave.map((p) => p.step.row));
      toSave.forEach((p, i) => (p.step.row = saved[i]!));
    } catch (error) {
      this.log.error('projection failed', { documents: projected.map((p) => p.document.name), error });
      return;
    }
    for (const { document, step } of projected) this.rows.set(document.name, step.row);
    await this.announceBatch(projected.map((p) => p.step));
    for (const { document, step } of projected) {
      await this.announce(step);
      if (step.previous.assigneeId !== step.row.assigneeId) this.closeUnassigned(document, step.row.assigneeId);
    }
  }

  /** Waits for the projections already scheduled or running. */
  idle(): Promise<void> {
    return this.flush();
  }

  /** Saves the read-model row for these facts and runs the listeners (also for jobs not loaded). */
  projectFacts(facts: JobFacts, changed: boolean): Promise<{ row: JobRow | null; previous: JobRow | null }> {
    return this.inTurn(() => this.projectFactsNow(facts, changed));
  }

  private async projectFactsNow(facts: JobFacts, changed: boolean): Promise<{ row: JobRow | null; previous: JobRow | null }> {
    const step = await this.prepare(facts, changed);
    if (!step) return { row: null, previous: null };
    if (step.save) step.row = await this.storage.saveJob(step.row);
    this.rows.set(jobDocumentName(facts.id), step.row);
    await this.announceBatch([step]);
    await this.announce(step);
    return { row: step.row, previous: step.previous };
  }

  /** The job's new read-model row, and whether it needs saving; null for no job of ours. */
  private async prepare(facts: JobFacts, changed: boolean): Promise<Projection | null> {
    if (!facts.id) return null;
    const previous = this.rows.get(jobDocumentName(facts.id)) ?? (await this.storage.getJob(facts.id));
    if (!previous) return null; // not a job this server created
    const row = projectJob(facts, previous, new Date().toISOString());
    if (!changed && sameRow(row, previous)) return { facts, row: previous, previous, save: false };
    return { facts, row, previous, save: true };
  }

  private async announceBatch(steps: Projection[]) {
    if (steps.length === 0) return;
    const changes = steps.map(({ facts, stateVector, row, previous }) => ({ facts, ...(stateVector ? { stateVector } : {}), row, previous }));
    for (const listener of this.batchListeners) {
      try {
        await listener(changes);
      } catch (error) {
        this.log.error('job change listener failed', { jobIds: changes.map((c) => c.facts.id), error });
      }
    }
  }

  private async announce({ facts, row, previous }: Projection) {
    for (const listener of this.listeners) {
      try {
        await listener({ facts, row, previous });
      } catch (error) {
        this.log.error('job change listener failed', { jobId: facts.id, error });
      }
    }
  }

  /** Whoever may no longer open the job (a mechanic taken off it) loses the open document at once (SPEC P8). */
  private closeUnassigned(document: Document, assigneeId: string | null) {
    for (const connection of document.getConnections()) {
      const user = (connection.context as ConnectionContext | undefined)?.user;
      if (user && jobDocumentRefusal(user, assigneeId)) {
        const { closeCode, text } = CLOSE_REASONS.reassigned;
        logRefusal(this.log, { code: closeCode, reason: text, document: document.name, userId: user.id });
        connection.close(closeEvent('reassigned'));
      }
    }
  }
}

/** Equal but for `updatedAt`: a change that altered nothing the read model shows. */
function sameRow(a: JobRow, b: JobRow): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}

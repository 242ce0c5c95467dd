/**
 * Keeps the jobs read model current from every accepted change (client, API or another
 * instance), and tells listeners (notifications, live board feeds) what changed.
 * Changes arriving in one burst are projected once, on the next turn of the event loop.
 */
import type { afterLoadDocumentPayload, Document, Extension, onChangePayload } from '@hocuspocus/server';
import { readJob, type JobFacts } from '@pitboard/job-model';
import { projectJob } from '../jobs/projection.js';
import type { Logger } from '../log.js';
import type { JobRow, Storage } from '../storage/index.js';
import type { ConnectionContext } from './context.js';
import { jobDocumentName, parseDocumentName } from './documents.js';

export type JobChangeListener = (change: { facts: JobFacts; row: JobRow; previous: JobRow | null }) => void | Promise<void>;

export class Projector implements Extension {
  extensionName = 'pitboard-projector';
  private readonly dirty = new Map<string, { document: Document; changed: boolean }>();
  private readonly rows = new Map<string, JobRow>();
  private scheduled: NodeJS.Immediate | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly listeners: JobChangeListener[] = [];

  constructor(
    private readonly storage: Storage,
    private readonly log: Logger
  ) {}

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
      this.running = this.running.then(() => this.flush());
    });
  }

  async afterUnloadDocument({ documentName }: { documentName: string }): Promise<void> {
    this.rows.delete(documentName);
  }

  /** Projects everything pending now (also used at shutdown). */
  async flush(): Promise<void> {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    const batch = [...this.dirty];
    this.dirty.clear();
    for (const [name, { document, changed }] of batch) {
      try {
        await this.project(document, changed);
      } catch (error) {
        this.log.error('projection failed', { document: name, error });
      }
    }
  }

  /** Waits for the projections already scheduled or running. */
  async idle(): Promise<void> {
    await this.flush();
    await this.running;
  }

  private async project(document: Document, changed: boolean) {
    const { row, previous } = await this.projectFacts(readJob(document), changed);
    if (row && previous && previous.assigneeId !== row.assigneeId) this.closeUnassigned(document, row.assigneeId);
  }

  /** Saves the read-model row for these facts and runs the listeners (also for jobs not loaded). */
  async projectFacts(facts: JobFacts, changed: boolean): Promise<{ row: JobRow | null; previous: JobRow | null }> {
    if (!facts.id) return { row: null, previous: null };
    const name = jobDocumentName(facts.id);
    const previous = this.rows.get(name) ?? (await this.storage.getJob(facts.id));
    if (!previous) return { row: null, previous: null }; // not a job this server created
    let row = projectJob(facts, previous, new Date().toISOString());
    if (!changed && sameRow(row, previous)) row = previous;
    else await this.storage.saveJob(row);
    this.rows.set(name, row);
    for (const listener of this.listeners) {
      try {
        await listener({ facts, row, previous });
      } catch (error) {
        this.log.error('job change listener failed', { jobId: facts.id, error });
      }
    }
    return { row, previous };
  }

  /** A mechanic taken off a job loses the open document at once (SPEC P8). */
  private closeUnassigned(document: Document, assigneeId: string | null) {
    for (const connection of document.getConnections()) {
      const user = (connection.context as ConnectionContext | undefined)?.user;
      if (user?.role === 'mechanic' && user.id !== assigneeId) {
        connection.close({ code: 4403, reason: 'this job was assigned to someone else' });
      }
    }
  }
}

/** Equal but for `updatedAt`: a change that altered nothing the read model shows. */
function sameRow(a: JobRow, b: JobRow): boolean {
  return JSON.stringify({ ...a, updatedAt: '' }) === JSON.stringify({ ...b, updatedAt: '' });
}

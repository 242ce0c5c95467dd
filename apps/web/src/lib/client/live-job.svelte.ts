/**
 * A job document open in the page: its facts as reactive state, the connection state, the
 * number of local changes the server has not acknowledged yet and the time of the last sync.
 *
 * This is the online version; the offline-first version keeps the same interface and adds an
 * IndexedDB replica (Dexie + y-dexie) underneath.
 */
import { deriveStatus, progressOf, readJob, type JobFacts, type JobStatus, type Progress } from '@pitboard/job-model';
import * as Y from 'yjs';
import { onConnectionState, provide, type ConnectionState } from './connection';

export class LiveJob {
  readonly doc: Y.Doc;
  facts = $state<JobFacts | null>(null);
  status = $derived<JobStatus | null>(this.facts ? deriveStatus(this.facts) : null);
  progress = $derived<Progress>(this.facts ? progressOf(this.facts) : { done: 0, total: 0 });
  connection = $state<ConnectionState>('connecting');
  /** Local changes not yet acknowledged by the server. */
  pending = $state(0);
  lastSyncedAt = $state<Date | null>(null);
  /** Set when the server refused us (e.g. the job was reassigned). */
  error = $state<string | null>(null);
  private readonly provider: ReturnType<typeof provide>;
  private readonly stopConnection: () => void;

  constructor(readonly jobId: string) {
    this.doc = new Y.Doc();
    const refresh = () => (this.facts = readJob(this.doc));
    this.doc.on('update', refresh);
    this.provider = provide(`job:${jobId}`, this.doc, {
      onSynced: () => {
        refresh();
        this.lastSyncedAt = new Date();
      },
      onUnsyncedChanges: ({ number }: { number: number }) => {
        this.pending = number;
        if (number === 0) this.lastSyncedAt = new Date();
      },
      onAuthenticationFailed: ({ reason }: { reason: string }) => (this.error = reason),
      onClose: ({ event }: { event: { code: number; reason: string } }) => {
        if (event.code >= 4000) this.error = event.reason;
      }
    });
    this.stopConnection = onConnectionState((s) => (this.connection = s));
  }

  /** Applies a job-model operation to the document (it syncs by itself). */
  change(op: (doc: Y.Doc) => void): void {
    op(this.doc);
  }

  close(): void {
    this.stopConnection();
    this.provider.destroy();
    this.doc.destroy();
  }
}

export function openJob(jobId: string): LiveJob {
  return new LiveJob(jobId);
}

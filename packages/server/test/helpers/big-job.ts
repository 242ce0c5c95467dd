/**
 * A job document of any size, built locally and stored directly (a 20,000-note document is far
 * over what one client message may carry, and adding notes one by one re-reads the list each
 * time). For the per-update work test and bench:tick.
 */
import { createJob, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { projectJob } from '../../src/jobs/projection.js';
import type { JobRow, Storage } from '../../src/storage/index.js';

export interface BigJob {
  id: string;
  notes: number;
  items: number;
}

/** `notes` notes (internal and customer-visible in turn) and `items` items, assigned to `assigneeId`. */
export function bigJobDoc(job: BigJob, number: number, customerId: string, assigneeId: string): Y.Doc {
  const doc = new Y.Doc();
  const at = new Date().toISOString();
  createJob(doc, { id: job.id, number, bike: `Bike ${number}`, customerId, customerName: 'C', items: Array.from({ length: job.items }, (_, i) => `Step ${i + 1}`), createdAt: at, assigneeId });
  doc.transact(() => {
    const entries: Y.Map<unknown>[] = [];
    for (let i = 0; i < job.notes; i++) {
      const note = new Y.Map<unknown>();
      const values = { id: `n${i}`, text: `Note ${i}: seat post torqued to spec, checked twice`, authorId: assigneeId, at, visibility: i % 2 ? 'customer' : 'internal' };
      for (const [k, v] of Object.entries(values)) note.set(k, v);
      entries.push(note);
    }
    doc.getArray<Y.Map<unknown>>('notes').push(entries);
  });
  return doc;
}

/** Stores the job (row and document) as job creation does. */
export function storeBigJob(storage: Storage, job: BigJob, customerId: string, assigneeId: string): Promise<JobRow> {
  return storage.createJob((number) => {
    const doc = bigJobDoc(job, number, customerId, assigneeId);
    return { row: projectJob(readJob(doc), null, new Date().toISOString()), documentName: `job:${job.id}`, update: Y.encodeStateAsUpdate(doc) };
  });
}

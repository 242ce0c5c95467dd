/**
 * A job as one self-contained file (docs/api.md, "A job as a file"): its facts as readable JSON
 * (`readJob`), the events those facts imply, the people it names, and its Yjs state, from which
 * another server brings the job back exactly (`npm run cli -- job import FILE`).
 */
import { deriveEvents, deriveStatus, progressOf, readJob, type JobEvent, type JobFacts } from '@pitboard/job-model';
import * as Y from 'yjs';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { jobDocumentName } from '../sync/documents.js';

export const JOB_FILE_FORMAT = 'pitboard-job';
export const JOB_FILE_VERSION = 1;

export interface JobFilePerson {
  id: string;
  name: string;
  email: string;
  role: string;
}

export interface JobFile {
  format: typeof JOB_FILE_FORMAT;
  version: number;
  exportedAt: string;
  /** The job's facts, as every Pitboard reads them. */
  job: JobFacts;
  /** Derived from the facts (SPEC D1–D8), for readers without Pitboard. */
  status: string;
  progress: { done: number; total: number };
  updatedAt: string;
  statusSince: string;
  /** The events the facts imply (SPEC E1–E8, from an empty job to now), in rule order. */
  events: JobEvent[];
  /** The accounts the facts name by id (customer, assignee, note authors, QC…). */
  people: JobFilePerson[];
  /** The Yjs document, `Y.encodeStateAsUpdate`, base64. */
  yjs: string;
}

export async function exportJob(storage: Storage, jobId: string, now = new Date().toISOString()): Promise<JobFile> {
  const row = await storage.getJob(jobId);
  const state = row && (await storage.loadDocument(jobDocumentName(jobId)));
  if (!row || !state) throw new NotFoundError('no such job');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const job = readJob(doc);
  const yjs = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
  doc.destroy();
  const people: JobFilePerson[] = [];
  for (const id of peopleOf(job)) {
    const user = await storage.getUserById(id);
    if (user) people.push({ id: user.id, name: user.name, email: user.email, role: user.role });
  }
  return {
    format: JOB_FILE_FORMAT,
    version: JOB_FILE_VERSION,
    exportedAt: now,
    job,
    status: deriveStatus(job),
    progress: progressOf(job),
    updatedAt: row.updatedAt,
    statusSince: row.statusSince,
    events: deriveEvents(null, job),
    people,
    yjs
  };
}

/** Every account id the facts mention. */
export function peopleOf(job: JobFacts): string[] {
  const ids = [job.customerId, job.assigneeId, ...job.items.map((i) => i.doneBy), ...job.notes.map((n) => n.authorId), job.stuck?.reportedBy, job.stuck?.resolvedBy, ...job.qc.map((q) => q.by)];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string' && id.length > 0))];
}

/**
 * Reads a job file: its shape, and that its Yjs state gives exactly the facts written beside it
 * (a garbled or hand-edited file is refused, not half-imported). The document is the caller's.
 */
export function parseJobFile(text: string): { file: JobFile; doc: Y.Doc; facts: JobFacts } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BadRequestError('not a Pitboard job file: it is not JSON');
  }
  const file = data as Partial<JobFile> | null;
  if (!file || typeof file !== 'object' || file.format !== JOB_FILE_FORMAT) throw new BadRequestError(`not a Pitboard job file: "format" must be "${JOB_FILE_FORMAT}"`);
  if (file.version !== JOB_FILE_VERSION) throw new BadRequestError(`this job file is version ${String(file.version)}; this Pitboard reads version ${JOB_FILE_VERSION}`);
  if (typeof file.yjs !== 'string' || !file.job || typeof file.job !== 'object' || !Array.isArray(file.people)) {
    throw new BadRequestError('the job file is incomplete: it needs "job", "people" and "yjs"');
  }
  const doc = new Y.Doc();
  let facts: JobFacts;
  try {
    Y.applyUpdate(doc, Buffer.from(file.yjs, 'base64'));
    facts = readJob(doc);
  } catch {
    doc.destroy();
    throw new BadRequestError('the job file is damaged: its Yjs state cannot be read');
  }
  if (!facts.id || JSON.stringify(facts) !== JSON.stringify(file.job)) {
    doc.destroy();
    throw new BadRequestError('the job file is damaged: its Yjs state does not give the facts written in it');
  }
  return { file: file as JobFile, doc, facts };
}

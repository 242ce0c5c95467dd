/**
 * The single gate every write to a job document passes, from a client (via the Gatekeeper
 * extension) or from the server itself (API writes): the update is tried on a copy, checked
 * against the permission rules of the job model, and appended durably to the update log —
 * all before the live document, the acknowledgement or any broadcast sees it.
 */
import { checkChange, readJob, readRaw, type Actor } from '@pitboard/job-model';
import * as Y from 'yjs';
import { BadRequestError, ForbiddenError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { Storage } from '../storage/index.js';
import { cloneDoc, isEmptyUpdate } from './clone.js';

export class Admission {
  constructor(
    private readonly storage: Storage,
    private readonly metrics?: Metrics
  ) {}

  async admit(doc: Y.Doc & { name: string }, actor: Actor, update: Uint8Array): Promise<void> {
    if (isEmptyUpdate(update)) return;
    if (actor.role === 'customer') throw new ForbiddenError('customers cannot change jobs');
    if (actor.role === 'mechanic' && readJob(doc).assigneeId !== actor.id) {
      throw new ForbiddenError('this job is not assigned to you');
    }

    const trial = cloneDoc(doc);
    try {
      Y.applyUpdate(trial, update);
    } catch {
      throw new BadRequestError('malformed update');
    }
    // An update whose dependencies the server lacks would be applied later, unchecked.
    if (trial.store.pendingStructs !== null || trial.store.pendingDs !== null) {
      throw new BadRequestError('update depends on changes the server does not have');
    }
    const violations = checkChange(actor, readRaw(doc), readRaw(trial));
    trial.destroy();
    if (violations.length > 0) {
      const first = violations[0]!;
      throw new ForbiddenError(`not allowed to change ${first.path}: ${first.reason}`);
    }
    const started = performance.now();
    await this.storage.appendUpdate(doc.name, update);
    this.metrics?.storageWriteSeconds.observe(performance.now() - started);
  }
}

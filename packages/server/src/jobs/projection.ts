/**
 * The read-model row of a job, computed from its facts. Lists, stats and the board read these
 * rows, so they never load documents.
 */
import { clockedSeconds, compactClock, deriveStatus, isOverdue, phoneDigits, progressOf, totalOf, type JobFacts, type JobSummary } from '@pitboard/job-model';
import type { JobRow } from '../storage/index.js';

export function projectJob(facts: JobFacts, previous: JobRow | null, now: string): JobRow {
  const status = deriveStatus(facts);
  const progress = progressOf(facts);
  return {
    id: facts.id,
    number: facts.number,
    bike: facts.bike,
    description: facts.description,
    customerId: facts.customerId,
    customerName: facts.customerName,
    assigneeId: facts.assigneeId,
    status,
    itemsDone: progress.done,
    itemsTotal: progress.total,
    stuckReason: facts.stuck?.open ? facts.stuck.reason : null,
    createdAt: facts.createdAt,
    updatedAt: now,
    statusSince: previous && previous.status === status ? previous.statusSince : now,
    collectedAt: facts.collectedAt ?? null,
    seq: previous?.seq ?? 0, // storage gives it the next one when saving
    promisedAt: facts.promisedAt ?? null,
    clock: compactClock(facts.clock),
    total: totalOf(facts),
    serial: facts.serial,
    customerPhone: phoneDigits(facts.customerPhone)
  };
}

/**
 * The list shape of docs/api.md, plus a few additive fields for boards. A customer's copy
 * carries no staff id: `assigneeId` is null for them (docs/security.md, class 10).
 */
export function jobSummary(row: JobRow, forStaff: boolean, now = Date.now()): JobSummary {
  return {
    id: row.id,
    number: row.number,
    bike: row.bike,
    status: row.status,
    progress: { done: row.itemsDone, total: row.itemsTotal },
    assigneeId: forStaff ? row.assigneeId : null,
    customerId: row.customerId,
    updatedAt: row.updatedAt,
    statusSince: row.statusSince,
    createdAt: row.createdAt,
    seq: row.seq,
    // The serial is staff data like the customer's name (SPEC P18): customers see the public view.
    // As of the moment the row is read: clients re-derive `overdue` from `promisedAt` as time passes.
    promisedAt: row.promisedAt,
    overdue: isOverdue(row.promisedAt, row.status, now),
    clockedSeconds: clockedSeconds(row.clock, now),
    total: row.total,
    ...(forStaff ? { customerName: row.customerName, description: row.description, stuckReason: row.stuckReason, serial: row.serial } : {})
  };
}

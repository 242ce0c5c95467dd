/**
 * What a customer or share-link viewer sees (SPEC V1, docs/product.md Privacy). Built field by field
 * from an allow-list, so a fact added to the model later stays private until added here.
 */
import { partsExpectation } from './parts.js';
import { approvalLines, isCountable, shownPrice, shownTitle, totalOf } from './approvals.js';
import { deriveStatus, progressOf } from './status.js';
import { publicTimeline } from './timeline.js';
import type { JobFacts, PublicApproval, PublicJobView } from './types.js';

export function publicView(facts: JobFacts, updatedAt: string): PublicJobView {
  return {
    number: facts.number,
    bike: facts.bike,
    status: deriveStatus(facts),
    progress: progressOf(facts),
    // A1: declined lines are out of the job (they stay in `approvals`, marked declined).
    items: facts.items.filter(isCountable).map((item) => ({ title: item.title, done: item.done })),
    notes: facts.notes.filter((note) => note.visibility === 'customer').map((note) => ({ text: note.text, at: note.at })),
    // V2: who proposed a line and through which link it was decided stay staff-only.
    approvals: approvalLines(facts).map(
      (item): PublicApproval => ({
        itemId: item.id,
        title: shownTitle(item),
        price: shownPrice(item),
        reason: item.reason ?? '',
        state: item.approval!,
        ...(item.decidedAt === undefined ? {} : { decidedAt: item.decidedAt }),
        photoIds: facts.photos.filter((photo) => photo.visibility === 'customer' && photo.itemId === item.id).map((photo) => photo.id)
      })
    ),
    total: totalOf(facts),
    photos: facts.photos.filter((photo) => photo.visibility === 'customer').map((photo) => ({ id: photo.id, itemId: photo.itemId })),
    createdAt: facts.createdAt,
    ...(facts.collectedAt === undefined ? {} : { collectedAt: facts.collectedAt }),
    updatedAt,
    promisedAt: facts.promisedAt ?? null,
    // W4: when a part is awaited, only its expected date: no part names, no staff.
    waitingForPart: partsExpectation(facts),
    timeline: publicTimeline(facts)
  };
}

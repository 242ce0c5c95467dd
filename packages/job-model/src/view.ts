/**
 * What a customer or share-link viewer sees (SPEC V1, docs/product.md Privacy). Built field by field
 * from an allow-list, so a fact added to the model later stays private until added here.
 */
import { deriveStatus, progressOf } from './status.js';
import { publicTimeline } from './timeline.js';
import type { JobFacts, PublicJobView } from './types.js';

export function publicView(facts: JobFacts, updatedAt: string): PublicJobView {
  return {
    number: facts.number,
    bike: facts.bike,
    status: deriveStatus(facts),
    progress: progressOf(facts),
    items: facts.items.map((item) => ({ title: item.title, done: item.done })),
    notes: facts.notes.filter((note) => note.visibility === 'customer').map((note) => ({ text: note.text, at: note.at })),
    createdAt: facts.createdAt,
    ...(facts.collectedAt === undefined ? {} : { collectedAt: facts.collectedAt }),
    updatedAt,
    timeline: publicTimeline(facts)
  };
}

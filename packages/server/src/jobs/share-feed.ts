/**
 * Live public views for share-link pages: every projected change of a job is published to the
 * viewers of that job (Server-Sent Events, see http/routes/share-events.ts).
 */
import { publicView, type JobFacts, type PublicJobView } from '@pitboard/job-model';
import type { JobRow } from '../storage/index.js';

type Viewer = (view: PublicJobView) => void;

export class ShareFeed {
  private readonly viewers = new Map<string, Set<Viewer>>();

  subscribe(jobId: string, viewer: Viewer): () => void {
    let set = this.viewers.get(jobId);
    if (!set) this.viewers.set(jobId, (set = new Set()));
    set.add(viewer);
    return () => {
      set.delete(viewer);
      if (set.size === 0) this.viewers.delete(jobId);
    };
  }

  publish(facts: JobFacts, row: JobRow): void {
    const set = this.viewers.get(facts.id);
    if (!set) return;
    const view = publicView(facts, row.updatedAt);
    for (const viewer of set) viewer(view);
  }

  get viewerCount(): number {
    let n = 0;
    for (const set of this.viewers.values()) n += set.size;
    return n;
  }
}

/**
 * Live public views for share-link pages: every projected change of a job is published to the
 * viewers of that job (Server-Sent Events, see http/routes/share-events.ts).
 */
import { publicView, type JobFacts, type PublicJobView } from '@pitboard/job-model';
import type { Bus } from '../scale/bus.js';
import type { JobRow } from '../storage/index.js';

/** Gets each new view; `null` means "check that your link is still valid" (revoked, expired). */
type Viewer = (view: PublicJobView | null) => void;

export class ShareFeed {
  private readonly viewers = new Map<string, Set<Viewer>>();

  /** Views travel through the bus, so a viewer on any instance sees a change made on any other. */
  constructor(private readonly bus: Bus) {
    bus.subscribe((m) => {
      const msg = m as { t?: string; jobId?: string; view?: PublicJobView | null };
      if (msg?.t === 'share' && msg.jobId) this.deliver(msg.jobId, msg.view ?? null);
    });
  }

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
    this.bus.publish({ t: 'share', jobId: facts.id, view: publicView(facts, row.updatedAt) });
  }

  /** A link of the job was revoked: every viewer of the job re-checks its own link now. */
  recheck(jobId: string): void {
    this.bus.publish({ t: 'share', jobId, view: null });
  }

  /**
   * The relay between instances was down (scale/relay.ts): views published meanwhile never
   * reached this instance. Each job watched here gets its current view, to its local viewers
   * only (each re-checks its link first, as for any view).
   */
  async refreshLocal(currentView: (jobId: string) => Promise<PublicJobView | null>): Promise<void> {
    for (const jobId of [...this.viewers.keys()]) {
      const view = await currentView(jobId);
      if (view) this.deliver(jobId, view);
    }
  }

  private deliver(jobId: string, view: PublicJobView | null) {
    for (const viewer of this.viewers.get(jobId) ?? []) viewer(view);
  }

  get viewerCount(): number {
    let n = 0;
    for (const set of this.viewers.values()) n += set.size;
    return n;
  }
}

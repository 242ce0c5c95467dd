/**
 * Live public views for share-link pages (Server-Sent Events, see http/routes/share-events.ts).
 *
 * Each change of a job is turned into ONE public view and ONE encoded event, fanned out to
 * every open stream of that job without touching storage: streams are grouped by their link,
 * whose expiry is known in memory. Only a revocation (rare, and announced on the bus) reads
 * the job's links, once per job, not once per stream (docs/security.md, class 1).
 * Open streams are capped per link and per address; beyond, opening one is a 429.
 */
import { publicView, type JobFacts, type PublicJobView } from '@pitboard/job-model';
import { RateLimitedError } from '../errors.js';
import type { Bus } from '../scale/bus.js';
import type { JobRow, ShareLinkRow, Storage } from '../storage/index.js';

/** One open event stream. */
export interface ShareStream {
  /** An encoded SSE frame. */
  send(frame: Uint8Array): void;
  /** The link stopped being valid (revoked, expired): say so and end. */
  gone(): void;
}

interface LinkGroup {
  link: ShareLinkRow;
  streams: Set<ShareStream>;
}

/** 0 means no cap. */
export interface ShareStreamLimits {
  perLink: number;
  perAddress: number;
}

const encoder = new TextEncoder();

export function viewFrame(view: PublicJobView): Uint8Array {
  return encoder.encode(`event: view\ndata: ${JSON.stringify(view)}\n\n`);
}

export class ShareFeed {
  /** jobId → linkId → that link's open streams. */
  private readonly jobs = new Map<string, Map<string, LinkGroup>>();
  private readonly perAddress = new Map<string, number>();

  /** Views travel through the bus, so a viewer on any instance sees a change made on any other. */
  constructor(
    private readonly bus: Bus,
    private readonly storage: Storage,
    private readonly limits: ShareStreamLimits
  ) {
    bus.subscribe((m) => {
      const msg = m as { t?: string; jobId?: string; view?: PublicJobView | null };
      if (msg?.t === 'share' && msg.jobId) this.deliver(msg.jobId, msg.view ?? null);
    });
  }

  /** Refuses early (before any lookup) an address already at its cap. */
  checkAddress(address: string): void {
    if (this.limits.perAddress > 0 && (this.perAddress.get(address) ?? 0) >= this.limits.perAddress) {
      throw new RateLimitedError('too many live views open from this address; close one and try again', 30);
    }
  }

  /**
   * Takes a slot for a stream of `link` from `address` (429 beyond either cap). The returned
   * `attach` starts delivery to the stream; `release` frees the slot (idempotent).
   */
  admit(link: ShareLinkRow, address: string): { attach(stream: ShareStream): void; release(): void } {
    this.checkAddress(address);
    const byLink = this.jobs.get(link.jobId);
    const group = byLink?.get(link.id);
    if (this.limits.perLink > 0 && (group?.streams.size ?? 0) + this.pendingFor(link.id) >= this.limits.perLink) {
      throw new RateLimitedError('too many live views open for this link; close one and try again', 30);
    }
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.pending.set(link.id, this.pendingFor(link.id) + 1);
    let attached: ShareStream | null = null;
    let released = false;
    const unpend = () => {
      const n = this.pendingFor(link.id) - 1;
      if (n > 0) this.pending.set(link.id, n);
      else this.pending.delete(link.id);
    };
    return {
      attach: (stream) => {
        if (released || attached) return;
        unpend();
        attached = stream;
        let jobLinks = this.jobs.get(link.jobId);
        if (!jobLinks) this.jobs.set(link.jobId, (jobLinks = new Map()));
        let g = jobLinks.get(link.id);
        if (!g) jobLinks.set(link.id, (g = { link, streams: new Set() }));
        g.streams.add(stream);
      },
      release: () => {
        if (released) return;
        released = true;
        if (attached) this.detach(link, attached);
        else unpend();
        const n = (this.perAddress.get(address) ?? 1) - 1;
        if (n > 0) this.perAddress.set(address, n);
        else this.perAddress.delete(address);
      }
    };
  }

  /** Slots taken but not attached yet (the first view is being read). */
  private readonly pending = new Map<string, number>();
  private pendingFor(linkId: string): number {
    return this.pending.get(linkId) ?? 0;
  }

  publish(facts: JobFacts, row: JobRow): void {
    // The customer-visible notes are picked once per notes list (a tick keeps the list: see
    // sync/live-facts.ts), not once per change: on a job with thousands of notes that was most of a tick.
    let notes = this.visibleNotes.get(facts.notes);
    if (!notes) this.visibleNotes.set(facts.notes, (notes = publicView(facts, row.updatedAt).notes));
    this.bus.publish({ t: 'share', jobId: facts.id, view: { ...publicView({ ...facts, notes: [] }, row.updatedAt), notes } });
  }

  private readonly visibleNotes = new WeakMap<JobFacts['notes'], PublicJobView['notes']>();

  /** A link of the job was revoked: its open streams end (on every instance). */
  recheck(jobId: string): void {
    this.bus.publish({ t: 'share', jobId, view: null });
  }

  /**
   * The relay between instances was down (scale/relay.ts): views published meanwhile never
   * reached this instance. Each job watched here gets its current view, to its local viewers
   * only; revocations missed meanwhile end their streams.
   */
  async refreshLocal(currentView: (jobId: string) => Promise<PublicJobView | null>): Promise<void> {
    for (const jobId of [...this.jobs.keys()]) {
      await this.recheckLinks(jobId);
      const view = await currentView(jobId);
      if (view) this.deliver(jobId, view);
    }
  }

  get viewerCount(): number {
    let n = 0;
    for (const links of this.jobs.values()) for (const g of links.values()) n += g.streams.size;
    return n;
  }

  private detach(link: ShareLinkRow, stream: ShareStream) {
    const links = this.jobs.get(link.jobId);
    const g = links?.get(link.id);
    if (!links || !g) return;
    g.streams.delete(stream);
    if (g.streams.size === 0) links.delete(link.id);
    if (links.size === 0) this.jobs.delete(link.jobId);
  }

  private deliver(jobId: string, view: PublicJobView | null) {
    const links = this.jobs.get(jobId);
    if (!links) return;
    if (view === null) {
      void this.recheckLinks(jobId);
      return;
    }
    const frame = viewFrame(view);
    const now = Date.now();
    for (const g of [...links.values()]) {
      const expired = g.link.expiresAt !== null && Date.parse(g.link.expiresAt) <= now;
      for (const stream of [...g.streams]) {
        if (expired) stream.gone();
        else stream.send(frame);
      }
    }
  }

  /** One read of the job's links; streams of links no longer valid end. */
  private async recheckLinks(jobId: string) {
    let valid: Set<string>;
    try {
      const now = Date.now();
      const rows = await this.storage.listShareLinks(jobId);
      valid = new Set(rows.filter((l) => !l.revokedAt && !(l.expiresAt && Date.parse(l.expiresAt) <= now)).map((l) => l.id));
    } catch {
      return; // storage unavailable: keep streaming; the next revocation notice re-checks
    }
    for (const g of [...(this.jobs.get(jobId)?.values() ?? [])]) {
      if (!valid.has(g.link.id)) for (const stream of [...g.streams]) stream.gone();
    }
  }
}

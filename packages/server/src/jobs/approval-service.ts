/**
 * Lines after intake and the customer's decisions (SPEC P10–P12, A1–A6). Every write goes
 * through JobService.change, like any other: permissions, the update log, the read model and
 * notifications see it. A decision is claimed once in storage first (approval-decisions.ts).
 */
import {
  addPricedItem,
  decideApproval,
  decisionConflict,
  editItem,
  proposeItem,
  removeItem,
  type Actor,
  type ItemFacts,
  type JobFacts
} from '@pitboard/job-model';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ApprovalDecisionRow, ApprovalDecisions } from '../storage/approval-decisions.js';
import type { JobService } from './job-service.js';
import { requireManager } from './job-service.js';

/** How long a claimed decision may wait for its document write before it is written again (a crash in between). */
const REPAIR_AFTER_MS = 10_000;

export interface NewLine {
  title: string;
  price?: number;
  needsApproval?: boolean;
  reason?: string;
}

export class ApprovalService {
  constructor(
    private readonly jobs: JobService,
    private readonly decisions: ApprovalDecisions,
    private readonly log: Logger
  ) {}

  /** A manager adds a line (A2) or proposes one (A3); the assigned mechanic only proposes (P11). */
  async addLine(actor: Actor, jobId: string, line: NewLine): Promise<string> {
    if (actor.role === 'customer') throw new ForbiddenError('customers cannot change jobs');
    if (actor.role === 'mechanic' && !line.needsApproval) {
      throw new ForbiddenError("a mechanic proposes extra work that needs the customer's approval (needsApproval: true)");
    }
    if (line.needsApproval && line.price === undefined) throw new BadRequestError('price is required: extra work needs a price for the customer to decide on').about('price');
    let id = '';
    const at = new Date().toISOString();
    await this.jobs.change(jobId, actor, (doc) => {
      id = line.needsApproval
        ? proposeItem(doc, { title: line.title, price: line.price!, by: actor.id, at, ...(line.reason ? { reason: line.reason } : {}) })
        : addPricedItem(doc, { title: line.title, ...(line.price === undefined ? {} : { price: line.price }) });
    });
    return id;
  }

  /** A manager renames or re-prices a line that is not done and not decided (P10, P12). */
  async editLine(actor: Actor, jobId: string, itemId: string, edit: { title?: string; price?: number | null }): Promise<ItemFacts> {
    requireManager(actor);
    editable(await this.line(jobId, itemId), 'changed');
    const facts = await this.jobs.change(jobId, actor, (doc) => editItem(doc, itemId, edit));
    return facts.items.find((i) => i.id === itemId)!;
  }

  /** A manager removes a line that is not done; a decided line stays for the audit (P10). */
  async removeLine(actor: Actor, jobId: string, itemId: string): Promise<void> {
    requireManager(actor);
    editable(await this.line(jobId, itemId), 'removed');
    await this.jobs.change(jobId, actor, (doc) => removeItem(doc, itemId));
  }

  /**
   * The customer's decision through a share link (A4, P12): recorded once, with exactly the
   * title and price the line has — and, when the page says what it showed, only if they match.
   */
  async decide(token: string, itemId: string, input: { decision: 'approved' | 'declined'; title?: string; price?: number }) {
    const { link, job } = await this.jobs.shareLinkForToken(token);
    const item = (await this.jobs.facts(job.id)).items.find((i) => i.id === itemId);
    if (!item || item.approval === undefined) throw new NotFoundError('this repair has no such line to decide on');
    const conflict = decisionConflict(item, input);
    if (conflict !== null) throw new ConflictError(conflict);
    const row: ApprovalDecisionRow = {
      jobId: job.id,
      itemId,
      decision: input.decision,
      title: item.title,
      price: item.price ?? 0,
      shareLinkId: link.id,
      decidedAt: new Date().toISOString()
    };
    if (!(await this.decisions.claim(row))) {
      await this.repair(job.id, itemId);
      throw new ConflictError('this line was already decided');
    }
    try {
      const facts = await this.write(row);
      const line = facts.items.find((i) => i.id === itemId)!;
      return { itemId, state: line.approval, title: line.decidedTitle, price: line.decidedPrice, decidedAt: line.decidedAt };
    } catch (error) {
      await this.decisions.release(job.id, itemId, row.decidedAt);
      throw error;
    }
  }

  private write(row: ApprovalDecisionRow): Promise<JobFacts> {
    return this.jobs.change(row.jobId, { id: row.shareLinkId, role: 'share_link' }, (doc) => {
      // Checked again on the live document: a rename may have landed since the first look.
      decideApproval(doc, row.itemId, { decision: row.decision, at: row.decidedAt, via: row.shareLinkId, title: row.title, price: row.price });
    });
  }

  /** A claim older than REPAIR_AFTER_MS whose line is still pending lost its write: write it now. */
  private async repair(jobId: string, itemId: string): Promise<void> {
    const row = await this.decisions.get(jobId, itemId);
    if (!row || Date.now() - Date.parse(row.decidedAt) < REPAIR_AFTER_MS) return;
    const item = (await this.jobs.facts(jobId)).items.find((i) => i.id === itemId);
    if (item?.approval !== 'pending') return;
    try {
      await this.write(row);
      this.log.info('wrote a claimed decision again', { jobId, itemId });
    } catch (error) {
      this.log.warn('a claimed decision could not be written', { jobId, itemId, error });
    }
  }

  private async line(jobId: string, itemId: string): Promise<ItemFacts> {
    const item = (await this.jobs.facts((await this.jobs.requireJob(jobId)).id)).items.find((i) => i.id === itemId);
    if (!item) throw new NotFoundError('no such item on this job');
    return item;
  }
}

function editable(item: ItemFacts, what: string): void {
  if (item.done) throw new ConflictError(`a done item is not ${what}; un-tick it first`);
  if (item.approval === 'approved' || item.approval === 'declined') throw new ConflictError(`the customer ${item.approval} this line: it is not ${what}`);
}

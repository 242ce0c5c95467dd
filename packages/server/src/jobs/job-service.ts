/**
 * Jobs as the API and the pages use them. Every write goes through the live document on the
 * server (a Hocuspocus direct connection) and through Admission, exactly like a client's edit,
 * so permissions, the update log, the read model and notifications all see it.
 */
import type { Hocuspocus } from '@hocuspocus/server';
import {
  JobModelError,
  clockedSeconds,
  isOverdue,
  createJob as createJobDoc,
  deriveStatus,
  progressOf,
  publicView,
  readJob,
  totalOf,
  type Actor,
  type Writer,
  type JobFacts,
  type JobSummary,
  type PublicJobView
} from '@pitboard/job-model';
import * as Y from 'yjs';
import { hasRole, jobsVisibleTo, requireJobView, requireManager, seesStaffDetails } from '../auth/access.js';
import { randomString, sha256Hex } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import type { JobFilter, JobRow, ShareLinkRow, Storage, UserRow } from '../storage/index.js';
import type { Admission } from '../sync/admission.js';
import { cloneDoc } from '../sync/clone.js';
import { jobDocumentName } from '../sync/documents.js';
import type { Projector } from '../sync/extension-projector.js';
import { searchJobs, type JobSearchParams } from './job-search.js';
import { jobSummary, projectJob } from './projection.js';
import type { ShareTokens } from './share-tokens.js';

export interface NewJob {
  bike: string;
  description?: string;
  customer: { id: string } | { name: string; email?: string };
  items: string[];
  mechanicId?: string;
  /** UTC ISO (SPEC S7). */
  promisedAt?: string;
  /** SPEC S8. */
  serial?: string | undefined;
  customerPhone?: string | undefined;
}

export class JobService {
  constructor(
    private readonly storage: Storage,
    private readonly hocuspocus: Hocuspocus,
    private readonly admission: Admission,
    private readonly projector: Projector,
    private readonly config: Config,
    private readonly shareTokens: ShareTokens
  ) {}

  async create(actor: Actor, input: NewJob): Promise<{ job: JobRow; shareUrl: string; shareLinkId: string }> {
    requireManager(actor);
    // Everything is checked before anything is written, and a new customer account is stored
    // in the job's own transaction: a job that fails leaves nothing behind.
    if (input.mechanicId) await this.requireMechanic(input.mechanicId);
    const { user: customer, isNew } = await this.resolveCustomer(input.customer);
    const id = randomString(10);
    const createdAt = new Date().toISOString();
    const link = this.newShareLink(actor, id, null);
    const job = await this.storage.createJob((number) => {
      const doc = new Y.Doc();
      try {
        createJobDoc(doc, {
          id,
          number,
          bike: input.bike,
          description: input.description ?? '',
          customerId: customer.id,
          customerName: customer.name,
          items: input.items,
          createdAt,
          assigneeId: input.mechanicId ?? null,
          ...(input.promisedAt ? { promisedAt: input.promisedAt } : {}),
          ...(input.serial ? { serial: input.serial } : {}),
          ...(input.customerPhone ? { customerPhone: input.customerPhone } : {})
        });
      } catch (e) {
        throw e instanceof JobModelError ? new BadRequestError(e.reason) : e;
      }
      const facts = readJob(doc);
      return { row: projectJob(facts, null, createdAt), documentName: jobDocumentName(id), update: Y.encodeStateAsUpdate(doc) };
    }, { ...(isNew ? { newCustomer: customer } : {}), shareLink: link.row });
    // The new job reaches the notification engine like any change (e.g. "assigned").
    await this.projector.projectFacts(await this.facts(id), true);
    return { job, shareUrl: link.url, shareLinkId: link.row.id };
  }

  /**
   * Applies `change` to the live job document as `actor`; durable when it resolves.
   * `writer: 'server'` only where the server records a fact it holds for the actor (a stored photo, SPEC P13).
   */
  async change(jobId: string, actor: Writer, change: (doc: Y.Doc) => void, writer: 'client' | 'server' = 'client'): Promise<JobFacts> {
    await this.requireJob(jobId);
    const connection = await this.hocuspocus.openDirectConnection(jobDocumentName(jobId), { server: true, actor });
    try {
      const doc = connection.document!;
      const trial = cloneDoc(doc);
      try {
        change(trial);
      } catch (e) {
        throw e instanceof JobModelError ? new BadRequestError(e.reason) : e;
      }
      const update = Y.encodeStateAsUpdate(trial, Y.encodeStateVector(doc));
      trial.destroy();
      await this.admission.admit(doc, actor, update, writer);
      await connection.transact((live) => Y.applyUpdate(live, update));
      const facts = readJob(doc);
      // Answer once the read model and notifications include this write.
      this.projector.changed(doc);
      await this.projector.idle();
      return facts;
    } finally {
      await connection.disconnect();
    }
  }

  /** The current facts of a job: from memory when loaded, else from storage. */
  async facts(jobId: string): Promise<JobFacts> {
    const live = this.hocuspocus.documents.get(jobDocumentName(jobId));
    if (live && !live.isLoading) return readJob(live);
    const state = await this.storage.loadDocument(jobDocumentName(jobId));
    if (!state) throw new NotFoundError('no such job');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const facts = readJob(doc);
    doc.destroy();
    return facts;
  }

  /** A job as the actor may see it: full facts for staff, the public view for its customer. */
  async view(actor: Actor, jobId: string): Promise<JobView | PublicJobView> {
    const row = await this.requireJob(jobId);
    requireJobView(actor, row);
    if (hasRole(actor, 'customer')) return publicView(await this.facts(jobId), row.updatedAt);
    const facts = await this.facts(jobId);
    const status = deriveStatus(facts);
    const now = Date.now();
    return {
      ...facts,
      status,
      progress: progressOf(facts),
      updatedAt: row.updatedAt,
      statusSince: row.statusSince,
      total: totalOf(facts),
      promisedAt: facts.promisedAt ?? null,
      overdue: isOverdue(facts.promisedAt, status, now),
      clockedSeconds: clockedSeconds(facts.clock, now)
    };
  }

  /** Search as `actor` may (jobs/job-search.ts): the API and the pages both come here. */
  async search(actor: Actor, params: JobSearchParams): Promise<JobSummary[]> {
    const forStaff = seesStaffDetails(actor);
    return (await searchJobs(this.storage, actor, params)).map((r) => jobSummary(r, forStaff));
  }

  list(actor: Actor, filter: Pick<JobFilter, 'status' | 'activeOnly'>): Promise<JobRow[]> {
    return this.storage.listJobs({ ...filter, ...jobsVisibleTo(actor) });
  }

  /** The actor's job rows as the API sends them (staff details for staff only). */
  async rows(actor: Actor, filter: Pick<JobFilter, 'status' | 'activeOnly'>): Promise<JobSummary[]> {
    const forStaff = seesStaffDetails(actor);
    return (await this.list(actor, filter)).map((r) => jobSummary(r, forStaff));
  }

  async requireJob(jobId: string): Promise<JobRow> {
    const row = await this.storage.getJob(jobId);
    if (!row) throw new NotFoundError('no such job');
    return row;
  }

  async requireMechanic(id: string): Promise<UserRow> {
    const user = await this.storage.getUserById(id);
    if (!user || !hasRole(user, 'mechanic')) throw new BadRequestError('mechanicId is not a mechanic').about('mechanicId');
    return user;
  }

  // Share links: capability URLs of 160 bits, stored and looked up only by their SHA-256. The
  // token is an HMAC of the link id with a secret kept outside the database, so staff can copy a
  // job's one link again while the database alone cannot rebuild it (docs/api.md, "Share links").

  async createShareLink(actor: Actor, jobId: string, expiresAt: string | null = null) {
    requireManager(actor);
    await this.requireJob(jobId);
    const { row, token, url } = this.newShareLink(actor, jobId, expiresAt);
    await this.storage.createShareLink(row);
    return { id: row.id, token, url };
  }

  private newShareLink(actor: Actor, jobId: string, expiresAt: string | null): { row: ShareLinkRow; token: string; url: string } {
    const id = randomString(8);
    const token = this.shareTokens.tokenFor(id);
    const row: ShareLinkRow = {
      id,
      jobId,
      tokenHash: sha256Hex(token),
      createdBy: actor.id,
      createdAt: new Date().toISOString(),
      expiresAt,
      revokedAt: null
    };
    return { row, token, url: `${this.config.publicUrl}/p/${token}` };
  }

  /** The job's customer link: its newest active one, with its URL when this server's secret made it. */
  async currentShareLink(actor: Actor, jobId: string): Promise<CurrentShareLink | null> {
    const link = (await this.activeShareLinks(actor, jobId))[0];
    if (!link) return null;
    const token = this.shareTokens.rederive(link.id, link.tokenHash);
    const url = token ? `${this.config.publicUrl}/p/${token}` : null;
    return { id: link.id, createdAt: link.createdAt, expiresAt: link.expiresAt, token, url, reason: token ? null : NOT_SHOWN_AGAIN };
  }

  /** The job's links that still work, newest first (a manager switches them off). */
  async activeShareLinks(actor: Actor, jobId: string): Promise<ShareLinkRow[]> {
    requireManager(actor);
    await this.requireJob(jobId);
    const now = Date.now();
    const active = (await this.storage.listShareLinks(jobId)).filter((l) => !l.revokedAt && !(l.expiresAt && Date.parse(l.expiresAt) <= now));
    return active.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** One link per job: a new link revokes every other active link of the job (ids returned). */
  async replaceShareLink(actor: Actor, jobId: string) {
    requireManager(actor);
    await this.requireJob(jobId);
    const at = new Date().toISOString();
    const revoked: string[] = [];
    for (const l of await this.storage.listShareLinks(jobId)) {
      if (!l.revokedAt && (await this.storage.revokeShareLink(jobId, l.id, at))) revoked.push(l.id);
    }
    return { ...(await this.createShareLink(actor, jobId)), revoked };
  }

  async revokeShareLink(actor: Actor, jobId: string, linkId: string): Promise<void> {
    requireManager(actor);
    if (!(await this.storage.revokeShareLink(jobId, linkId, new Date().toISOString()))) {
      throw new NotFoundError('no such share link');
    }
  }

  /** The live link and its job for a share token, or NotFound (unknown, revoked and expired look alike). */
  async shareLinkForToken(token: string): Promise<{ link: ShareLinkRow; job: JobRow }> {
    if (!/^[a-z2-7]{20,64}$/.test(token)) throw new NotFoundError('this link is not valid');
    const link = await this.storage.getShareLinkByHash(sha256Hex(token));
    if (!link || link.revokedAt || (link.expiresAt && Date.parse(link.expiresAt) <= Date.now())) {
      throw new NotFoundError('this link is not valid');
    }
    return { link, job: await this.requireJob(link.jobId) };
  }

  async jobForShareToken(token: string): Promise<JobRow> {
    return (await this.shareLinkForToken(token)).job;
  }

  async publicViewForToken(token: string): Promise<PublicJobView> {
    return this.publicViewOf(await this.jobForShareToken(token));
  }

  async publicViewOf(row: JobRow): Promise<PublicJobView> {
    return publicView(await this.facts(row.id), row.updatedAt);
  }

  /** The job's customer: an existing account, or a new one (not stored yet: `create` stores it with the job). */
  private async resolveCustomer(c: NewJob['customer']): Promise<{ user: UserRow; isNew: boolean }> {
    if ('id' in c) {
      const user = await this.storage.getUserById(c.id);
      if (!user || !hasRole(user, 'customer')) throw new BadRequestError('customerId is not a customer').about('customerId');
      return { user, isNew: false };
    }
    const id = randomString(10);
    const email = (c.email ?? `customer+${id}@pitboard.invalid`).trim().toLowerCase();
    const existing = await this.storage.getUserByEmail(email);
    if (existing) {
      if (!hasRole(existing, 'customer')) throw new ConflictError('that email belongs to a staff account').about('customerEmail');
      return { user: existing, isNew: false };
    }
    const user: UserRow = { id, email, name: c.name.trim(), role: 'customer', passwordHash: null, createdAt: new Date().toISOString() };
    return { user, isNew: true };
  }
}

export interface CurrentShareLink {
  id: string;
  createdAt: string;
  expiresAt: string | null;
  /**
   * Null when this server cannot show the link again — another secret (another instance, a
   * changed SHARE_LINK_SECRET or key file) or older code made it. It still works; a new link can be copied.
   */
  token: string | null;
  url: string | null;
  /** Why `url` is null, in plain words (null when it is not). */
  reason: string | null;
}

export const NOT_SHOWN_AGAIN =
  'this link cannot be shown again here: it was made with another share-link secret or by an older version. It still works for whoever has it; make a new link to copy one (the old one then stops working)';

export type JobView = Omit<JobFacts, 'promisedAt'> & {
  /** SPEC S7, E13, C3 (docs/api.md). */
  promisedAt: string | null;
  overdue: boolean;
  clockedSeconds: number;
  status: string;
  progress: { done: number; total: number };
  /** Cents (SPEC A5). */
  total: number;
  updatedAt: string;
  statusSince: string;
};

/** Kept here for routes that import it from the job service; the decision is auth/access.ts's. */
export { requireManager } from '../auth/access.js';

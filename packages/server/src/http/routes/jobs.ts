import {
  JOB_STATUSES,
  addNote,
  assignMechanic,
  markCollected,
  recordQc,
  reportStuck,
  resolveStuck,
  setItemDone,
  setNoteVisibility,
  type JobStatus
} from '@pitboard/job-model';
import { BadRequestError, ConflictError, ForbiddenError } from '../../errors.js';
import type { JobService, NewJob } from '../../jobs/job-service.js';
import { requireManager } from '../../jobs/job-service.js';
import { jobSummary } from '../../jobs/projection.js';
import { json, type Router } from '../router.js';
import { optionalObject, optionalString, requiredBoolean, requiredString, stringArray } from '../validate.js';
import type { Shop } from '../../shop.js';
import { IntakeFactsBody, JobSearchQuery, parseOr400, SEARCH_PARAMS } from './find-schemas.js';

export function jobRoutes(router: Router, jobs: JobService, deps: { shop: Shop }) {
  router.on('POST', '/api/jobs', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const body = await ctx.body();
    const input: NewJob = {
      bike: requiredString(body, 'bike', 200),
      description: optionalString(body, 'description', 2000) ?? '',
      items: stringArray(body, 'items', { min: 1, max: 100 }),
      customer: parseCustomer(body),
      ...parseOr400(IntakeFactsBody, body)
    };
    const mechanicId = optionalString(body, 'mechanicId', 64);
    if (mechanicId) input.mechanicId = mechanicId;
    const { job, shareUrl, shareLinkId } = await jobs.create(actor, input);
    return json({ id: job.id, number: job.number, shareUrl, shareLinkId }, 201);
  });

  router.on('GET', '/api/jobs', async (ctx) => {
    const actor = await ctx.actor();
    if (SEARCH_PARAMS.some((name) => ctx.url.searchParams.has(name))) {
      const query = parseOr400(JobSearchQuery, Object.fromEntries(ctx.url.searchParams));
      const rows = await jobs.search(actor, {
        ...query,
        includeCollected: query.collected === '1' || query.collected === 'true'
      });
      return json(rows.map((r) => jobSummary(r, actor.role !== 'customer')));
    }
    const status = ctx.url.searchParams.get('status');
    if (status !== null && !JOB_STATUSES.includes(status as JobStatus)) {
      throw new BadRequestError(`status must be one of ${JOB_STATUSES.join(', ')}`);
    }
    const active = ctx.url.searchParams.get('active');
    const rows = await jobs.list(actor, { ...(status ? { status } : {}), activeOnly: active === '1' || active === 'true' });
    return json(rows.map((r) => jobSummary(r, actor.role !== 'customer')));
  });

  router.on('GET', '/api/jobs/:id', async (ctx) => json(await jobs.view(await ctx.actor(), ctx.params.id!)));

  router.on('POST', '/api/jobs/:id/assign', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const body = await ctx.body();
    const mechanicId = body.mechanicId === null ? null : requiredString(body, 'mechanicId', 64);
    if (mechanicId) await jobs.requireMechanic(mechanicId);
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => assignMechanic(doc, mechanicId, at));
    return json({ id: facts.id, assigneeId: facts.assigneeId });
  });

  router.on('POST', '/api/jobs/:id/qc', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const body = await ctx.body();
    const pass = requiredBoolean(body, 'pass');
    const note = optionalString(body, 'note', 2000);
    const redoItemIds = stringArray(body, 'redoItemIds', { max: 100, maxLength: 64 });
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) =>
      recordQc(doc, { pass, by: actor.id, at, ...(note ? { note } : {}), ...(redoItemIds.length ? { redoItemIds } : {}) })
    );
    return json({ id: facts.id, qc: facts.qc.at(-1) });
  });

  router.on('POST', '/api/jobs/:id/collect', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const current = await jobs.facts((await jobs.requireJob(ctx.params.id!)).id);
    if (current.collectedAt) throw new ConflictError('already collected');
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => markCollected(doc, at));
    return json({ id: facts.id, collectedAt: facts.collectedAt });
  });

  // Additive: the same item and note changes a client makes over /collab, for scripts.
  router.on('POST', '/api/jobs/:id/items/:itemId', async (ctx) => {
    const actor = await ctx.actor();
    const done = requiredBoolean(await ctx.body(), 'done');
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => setItemDone(doc, ctx.params.itemId!, done, actor.id, at));
    return json({ id: facts.id, item: facts.items.find((i) => i.id === ctx.params.itemId) });
  });

  router.on('POST', '/api/jobs/:id/notes', async (ctx) => {
    const actor = await ctx.actor();
    const body = await ctx.body();
    const text = requiredString(body, 'text', 5000);
    const visibility = optionalString(body, 'visibility', 20) ?? 'internal';
    if (visibility !== 'internal' && visibility !== 'customer') throw new BadRequestError('visibility must be internal or customer');
    let noteId = '';
    await jobs.change(ctx.params.id!, actor, (doc) => {
      noteId = addNote(doc, { text, authorId: actor.id, at: new Date().toISOString(), visibility });
    });
    return json({ id: noteId }, 201);
  });

  // Additive: a manager shows a note to the customer or hides it (P2); the share page follows.
  router.on('POST', '/api/jobs/:id/notes/:noteId/visibility', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const visibility = requiredString(await ctx.body(), 'visibility', 20);
    if (visibility !== 'internal' && visibility !== 'customer') throw new BadRequestError('visibility must be internal or customer');
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => setNoteVisibility(doc, ctx.params.noteId!, visibility));
    return json({ id: ctx.params.noteId, visibility: facts.notes.find((n) => n.id === ctx.params.noteId)?.visibility });
  });

  router.on('POST', '/api/jobs/:id/share-links', async (ctx) => {
    const actor = await ctx.actor();
    const body = await ctx.body();
    const expiresAt = optionalString(body, 'expiresAt', 40);
    if (expiresAt !== undefined && Number.isNaN(Date.parse(expiresAt))) throw new BadRequestError('expiresAt must be an ISO date');
    const link = await jobs.createShareLink(actor, ctx.params.id!, expiresAt ? new Date(expiresAt).toISOString() : null);
    return json(link, 201);
  });

  router.on('GET', '/api/share/:token', async (ctx) => json({ ...(await jobs.publicViewForToken(ctx.params.token!)), shop: deps.shop }));

  // The seed's endpoints.

  router.on('POST', '/api/mechanic/repair/:id/stuck', async (ctx) => {
    const actor = await ctx.actor();
    if (actor.role !== 'mechanic') throw new ForbiddenError('the assigned mechanic reports stuck');
    const reason = requiredString(await ctx.body(), 'reason', 1000);
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => reportStuck(doc, { reason, by: actor.id, at }));
    return json({ id: facts.id, stuck: facts.stuck });
  });

  router.on('POST', '/api/manager/resolve-stuck/:id', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const note = optionalString(await ctx.body(), 'note', 1000);
    const current = await jobs.facts((await jobs.requireJob(ctx.params.id!)).id);
    if (!current.stuck?.open) throw new ConflictError('this job is not stuck');
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) =>
      resolveStuck(doc, { by: actor.id, at, ...(note ? { resolution: note } : {}) })
    );
    return json({ id: facts.id, stuck: facts.stuck });
  });
}

function parseCustomer(body: Record<string, unknown>): NewJob['customer'] {
  const customerId = optionalString(body, 'customerId', 64);
  if (customerId) return { id: customerId };
  const customer = optionalObject(body, 'customer');
  if (!customer) throw new BadRequestError('customer or customerId is required');
  const name = requiredString(customer, 'name', 100);
  const email = optionalString(customer, 'email', 254);
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new BadRequestError('customer.email is not a valid address');
  return email ? { name, email } : { name };
}

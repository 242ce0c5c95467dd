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
import { BadRequestError, ConflictError } from '../../errors.js';
import { parseRequest } from '../../contract/parse.js';
import {
  AssignRequest,
  ItemDoneRequest,
  NewJobRequest,
  NoteRequest,
  NoteVisibilityRequest,
  QcRequest,
  ResolveStuckRequest,
  ShareLinkRequest,
  StuckRequest
} from '../../contract/requests.js';
import type { JobService } from '../../jobs/job-service.js';
import { requireManager, requireRole } from '../../auth/access.js';
import { json, type Router } from '../router.js';
import type { Shop } from '../../shop.js';
import { JobSearchQuery, SEARCH_PARAMS } from '../../contract/search.js';

export function jobRoutes(router: Router, jobs: JobService, deps: { shop: Shop }) {
  router.on('POST', '/api/jobs', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const input = parseRequest(NewJobRequest, await ctx.body());
    const { job, shareUrl, shareLinkId } = await jobs.create(actor, input);
    return json({ id: job.id, number: job.number, shareUrl, shareLinkId }, 201);
  });

  router.on('GET', '/api/jobs', async (ctx) => {
    const actor = await ctx.actor();
    if (SEARCH_PARAMS.some((name) => ctx.url.searchParams.has(name))) {
      const query = parseRequest(JobSearchQuery, Object.fromEntries(ctx.url.searchParams));
      return json(await jobs.search(actor, { ...query, includeCollected: query.collected === '1' || query.collected === 'true' }));
    }
    const status = ctx.url.searchParams.get('status');
    if (status !== null && !JOB_STATUSES.includes(status as JobStatus)) {
      throw new BadRequestError(`status must be one of ${JOB_STATUSES.join(', ')}`);
    }
    const active = ctx.url.searchParams.get('active');
    return json(await jobs.rows(actor, { ...(status ? { status } : {}), activeOnly: active === '1' || active === 'true' }));
  });

  router.on('GET', '/api/jobs/:id', async (ctx) => json(await jobs.view(await ctx.actor(), ctx.params.id!)));

  router.on('POST', '/api/jobs/:id/assign', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const { mechanicId } = parseRequest(AssignRequest, await ctx.body());
    if (mechanicId) await jobs.requireMechanic(mechanicId);
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => assignMechanic(doc, mechanicId, at));
    return json({ id: facts.id, assigneeId: facts.assigneeId });
  });

  router.on('POST', '/api/jobs/:id/qc', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const { pass, note, redoItemIds } = parseRequest(QcRequest, await ctx.body());
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
    const { done } = parseRequest(ItemDoneRequest, await ctx.body());
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => setItemDone(doc, ctx.params.itemId!, done, actor.id, at));
    return json({ id: facts.id, item: facts.items.find((i) => i.id === ctx.params.itemId) });
  });

  router.on('POST', '/api/jobs/:id/notes', async (ctx) => {
    const actor = await ctx.actor();
    const { text, visibility } = parseRequest(NoteRequest, await ctx.body());
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
    const { visibility } = parseRequest(NoteVisibilityRequest, await ctx.body());
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => setNoteVisibility(doc, ctx.params.noteId!, visibility));
    return json({ id: ctx.params.noteId, visibility: facts.notes.find((n) => n.id === ctx.params.noteId)?.visibility });
  });

  router.on('POST', '/api/jobs/:id/share-links', async (ctx) => {
    const actor = await ctx.actor();
    const { expiresAt } = parseRequest(ShareLinkRequest, await ctx.body());
    const link = await jobs.createShareLink(actor, ctx.params.id!, expiresAt ?? null);
    return json(link, 201);
  });

  router.on('GET', '/api/share/:token', async (ctx) => json({ ...(await jobs.publicViewForToken(ctx.params.token!)), shop: deps.shop }));

  // The seed's endpoints.

  router.on('POST', '/api/mechanic/repair/:id/stuck', async (ctx) => {
    const actor = await ctx.actor();
    requireRole(actor, 'mechanic', 'the assigned mechanic reports stuck');
    const { reason } = parseRequest(StuckRequest, await ctx.body());
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => reportStuck(doc, { reason, by: actor.id, at }));
    return json({ id: facts.id, stuck: facts.stuck });
  });

  router.on('POST', '/api/manager/resolve-stuck/:id', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const { note } = parseRequest(ResolveStuckRequest, await ctx.body());
    const current = await jobs.facts((await jobs.requireJob(ctx.params.id!)).id);
    if (!current.stuck?.open) throw new ConflictError('this job is not stuck');
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) =>
      resolveStuck(doc, { by: actor.id, at, ...(note ? { resolution: note } : {}) })
    );
    return json({ id: facts.id, stuck: facts.stuck });
  });
}

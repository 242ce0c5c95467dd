/**
 * The workshop day over HTTP (docs/api.md): editing a job's details and promised time, parts
 * ordered and arrived, the mechanic's timer. Each change goes through the live document like a
 * client's edit (JobService.change), so permissions, the read model and notifications see it.
 */
import {
  canOpenJob,
  clockedSeconds,
  isClockRunning,
  markPartArrived,
  orderPart,
  setPromisedAt,
  startClock,
  stopClock,
  updateDetails,
  type Actor
} from '@pitboard/job-model';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import { requireManager, type JobService } from '../../jobs/job-service.js';
import { json, type Router } from '../router.js';
import { parseRequest } from '../../contract/parse.js';
import { jobEditSchema, partOrderSchema, timerSchema } from '../../contract/workshop-day.js';

export function workshopDayRoutes(router: Router, jobs: JobService) {
  router.on('PATCH', '/api/jobs/:id', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const edit = parseRequest(jobEditSchema, await ctx.body());
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => {
      const { promisedAt, ...details } = edit;
      updateDetails(doc, details);
      if (promisedAt !== undefined) setPromisedAt(doc, promisedAt);
    });
    return json({ id: facts.id, bike: facts.bike, description: facts.description, promisedAt: facts.promisedAt ?? null, serial: facts.serial, customerPhone: facts.customerPhone });
  });

  router.on('POST', '/api/jobs/:id/parts', async (ctx) => {
    const actor = await ctx.actor();
    await requireWorker(jobs, actor, ctx.params.id!);
    const part = parseRequest(partOrderSchema, await ctx.body());
    let partId = '';
    await jobs.change(ctx.params.id!, actor, (doc) => {
      partId = orderPart(doc, { name: part.name, expectedAt: part.expectedAt ?? null, by: actor.id, at: new Date().toISOString() });
    });
    return json({ id: partId }, 201);
  });

  router.on('POST', '/api/jobs/:id/parts/:partId/arrived', async (ctx) => {
    const actor = await ctx.actor();
    await requireWorker(jobs, actor, ctx.params.id!);
    const partId = ctx.params.partId!;
    const current = await jobs.facts(ctx.params.id!);
    if (!current.parts.some((p) => p.id === partId)) throw new NotFoundError('no such part on this job');
    // Marking an arrived part again changes nothing (a retry from a phone that was offline).
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => markPartArrived(doc, partId, actor.id, new Date().toISOString()));
    const part = facts.parts.find((p) => p.id === partId);
    return json({ id: partId, arrivedAt: part?.arrivedAt ?? null, arrivedBy: part?.arrivedBy ?? null });
  });

  router.on('POST', '/api/jobs/:id/timer', async (ctx) => {
    const actor = await ctx.actor();
    if (actor.role !== 'mechanic') throw new ForbiddenError('the assigned mechanic clocks their work');
    await requireWorker(jobs, actor, ctx.params.id!);
    const { action } = parseRequest(timerSchema, await ctx.body());
    const running = isClockRunning(await jobs.facts(ctx.params.id!), actor.id);
    if (action === 'stop' && !running) throw new ConflictError('the timer is not running: start it first');
    if (action === 'start' && running) throw new ConflictError('the timer is already running');
    const at = new Date().toISOString();
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => (action === 'start' ? startClock(doc, actor.id, at) : stopClock(doc, actor.id, at)));
    return json({ id: facts.id, running: isClockRunning(facts, actor.id), clockedSeconds: clockedSeconds(facts.clock, Date.now()) });
  });
}

/** A manager, or the mechanic the job is assigned to (SPEC P8, P15). */
async function requireWorker(jobs: JobService, actor: Actor, jobId: string): Promise<void> {
  const row = await jobs.requireJob(jobId);
  if (actor.role === 'customer') throw new ForbiddenError('staff only');
  if (!canOpenJob(actor, row.assigneeId)) throw new ForbiddenError('this job is not assigned to you');
}

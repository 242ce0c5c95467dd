/**
 * `PATCH /api/jobs/:id` (manager): edits a job's details — bike, description, serial and the
 * customer's phone (SPEC S8). The promised time joins this route from its own schema.
 */
import { updateDetails } from '@pitboard/job-model';
import { BadRequestError } from '../../errors.js';
import type { JobService } from '../../jobs/job-service.js';
import { requireManager } from '../../jobs/job-service.js';
import { json, type Router } from '../router.js';
import { JobDetailsBody, parseOr400 } from './find-schemas.js';

export function jobDetailsRoutes(router: Router, jobs: JobService) {
  router.on('PATCH', '/api/jobs/:id', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const details = parseOr400(JobDetailsBody, await ctx.body());
    if (Object.values(details).every((value) => value === undefined)) {
      throw new BadRequestError('nothing to change: send bike, description, serial or customerPhone');
    }
    const facts = await jobs.change(ctx.params.id!, actor, (doc) => updateDetails(doc, details));
    return json({ id: facts.id, bike: facts.bike, description: facts.description, serial: facts.serial, customerPhone: facts.customerPhone });
  });
}

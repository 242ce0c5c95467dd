/** `GET /api/jobs/:id/export` (manager): the job as one self-contained JSON file (jobs/job-file.ts). */
import { exportJob } from '../../jobs/job-file.js';
import { requireManager } from '../../auth/access.js';
import type { Storage } from '../../storage/index.js';
import { json, type Router } from '../router.js';

export function jobExportRoute(router: Router, storage: Storage) {
  router.on('GET', '/api/jobs/:id/export', async (ctx) => {
    requireManager(await ctx.actor());
    const file = await exportJob(storage, ctx.params.id!);
    return json(file, 200, { 'content-disposition': `attachment; filename="pitboard-job-${file.job.number}.json"` });
  });
}

/**
 * `GET /api/share/:token/events`: the public view as Server-Sent Events — the current view at
 * once, then every change. A tiny, dependency-free live channel for customers' phones
 * (EventSource reconnects by itself). Ends when the link stops being valid.
 */
import type { PublicJobView } from '@pitboard/job-model';
import type { ShareFeed } from '../../jobs/share-feed.js';
import type { JobService } from '../../jobs/job-service.js';
import { NotFoundError } from '../../errors.js';
import { json, type Router } from '../router.js';

const HEARTBEAT_MS = 25_000;

export function shareEventsRoute(router: Router, jobs: JobService, feed: ShareFeed) {
  router.on('DELETE', '/api/jobs/:id/share-links/:linkId', async (ctx) => {
    await jobs.revokeShareLink(await ctx.actor(), ctx.params.id!, ctx.params.linkId!);
    feed.recheck(ctx.params.id!); // open share pages of that link learn it at once
    return json({ ok: true });
  });

  // One link per job (additive): the current link to copy again, and a new one that replaces it.
  router.on('GET', '/api/jobs/:id/share-link', async (ctx) => {
    const link = await jobs.currentShareLink(await ctx.actor(), ctx.params.id!);
    if (!link) throw new NotFoundError('this job has no active link');
    return json(link);
  });

  router.on('PUT', '/api/jobs/:id/share-link', async (ctx) => {
    const link = await jobs.replaceShareLink(await ctx.actor(), ctx.params.id!);
    feed.recheck(ctx.params.id!); // pages open on the old link are told it is off
    return json(link, 201);
  });

  router.on('GET', '/api/share/:token/events', async (ctx) => {
    const token = ctx.params.token!;
    const { job, link } = await jobs.shareLinkForToken(token);
    const first = await jobs.publicViewForToken(token);
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (view: PublicJobView) => controller.enqueue(encoder.encode(`event: view\ndata: ${JSON.stringify(view)}\n\n`));
        send(first);
        const gone = () => {
          controller.enqueue(encoder.encode('event: gone\ndata: {}\n\n'));
          stop();
          controller.close();
        };
        // Every view (and every revocation of one of the job's links) re-checks this link first.
        const unsubscribe = feed.subscribe(job.id, (view) => {
          jobs.jobForShareToken(token).then(() => view && send(view), gone);
        });
        const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), HEARTBEAT_MS);
        const expiry = link.expiresAt ? setTimeout(gone, Math.max(0, Date.parse(link.expiresAt) - Date.now())) : null;
        stop = () => {
          clearInterval(heartbeat);
          if (expiry) clearTimeout(expiry);
          unsubscribe();
        };
      },
      cancel() {
        stop();
      }
    });
    return new Response(body, {
      headers: {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        'referrer-policy': 'no-referrer'
      }
    });
  });
}

/**
 * `GET /api/share/:token/events`: the public view as Server-Sent Events — the current view at
 * once, then every change. A tiny, dependency-free live channel for customers' phones
 * (EventSource reconnects by itself). Ends when the link stops being valid.
 */
import type { PublicJobView } from '@pitboard/job-model';
import type { ShareFeed } from '../../jobs/share-feed.js';
import type { JobService } from '../../jobs/job-service.js';
import type { Router } from '../router.js';

const HEARTBEAT_MS = 25_000;

export function shareEventsRoute(router: Router, jobs: JobService, feed: ShareFeed) {
  router.on('GET', '/api/share/:token/events', async (ctx) => {
    const token = ctx.params.token!;
    const job = await jobs.jobForShareToken(token);
    const first = await jobs.publicViewForToken(token);
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        const send = (view: PublicJobView) => controller.enqueue(encoder.encode(`event: view\ndata: ${JSON.stringify(view)}\n\n`));
        send(first);
        const unsubscribe = feed.subscribe(job.id, (view) => {
          // A revoked or expired link stops receiving at the next change.
          jobs.jobForShareToken(token).then(
            () => send(view),
            () => {
              controller.enqueue(encoder.encode('event: gone\ndata: {}\n\n'));
              stop();
              controller.close();
            }
          );
        });
        const heartbeat = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), HEARTBEAT_MS);
        stop = () => {
          clearInterval(heartbeat);
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

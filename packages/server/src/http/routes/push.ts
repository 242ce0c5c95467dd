/** Web Push subscriptions (docs/api.md, Push): signed-in devices, and share-page viewers of one job. */
import type { JobService } from '../../jobs/job-service.js';
import { NotFoundError } from '../../errors.js';
import type { PushService } from '../../push/push-service.js';
import { endpointParam, parseSubscription } from '../../push/subscription-schema.js';
import { json, type Router } from '../router.js';

export function pushRoutes(router: Router, deps: { push: PushService; jobs: JobService }) {
  const { push, jobs } = deps;
  const allowHttp = push.settings.allowHttpEndpoints;

  router.on('GET', '/api/push/key', async () => json({ publicKey: push.publicKey }));

  router.on('POST', '/api/push/subscriptions', async (ctx) => {
    const session = await ctx.session();
    const input = parseSubscription(await ctx.body(), allowHttp);
    return json({ id: await push.subscribeDevice(session, input) }, 201);
  });

  router.on('DELETE', '/api/push/subscriptions', async (ctx) => {
    const { user } = await ctx.session();
    if (!(await push.unsubscribe(endpointParam(ctx.url), { userId: user.id }))) throw new NotFoundError('no such subscription');
    return json({ ok: true });
  });

  router.on('POST', '/api/share/:token/push', async (ctx) => {
    const { link } = await jobs.shareLinkForToken(ctx.params.token!);
    const input = parseSubscription(await ctx.body(), allowHttp);
    return json({ id: await push.subscribeShareViewer(link, input) }, 201);
  });

  router.on('DELETE', '/api/share/:token/push', async (ctx) => {
    const { link } = await jobs.shareLinkForToken(ctx.params.token!);
    if (!(await push.unsubscribe(endpointParam(ctx.url), { shareLinkId: link.id }))) throw new NotFoundError('no such subscription');
    return json({ ok: true });
  });
}

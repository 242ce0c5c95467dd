import { requireRole } from '../../auth/access.js';
import { BadRequestError } from '../../errors.js';
import { parseRequest } from '../../contract/parse.js';
import { MarkReadRequest } from '../../contract/requests.js';
import type { NotificationService } from '../../notifications/notification-service.js';
import { json, type RequestContext, type Router } from '../router.js';

/** The caller's inbox, under the contract's paths and the seed's customer paths. */
export function notificationRoutes(router: Router, notifications: NotificationService) {
  const caller = async (ctx: RequestContext, customerOnly: boolean) => {
    const actor = await ctx.actor();
    if (customerOnly) requireRole(actor, 'customer');
    return actor;
  };

  const list = async (ctx: RequestContext, customerOnly: boolean) => {
    const actor = await caller(ctx, customerOnly);
    const after = ctx.url.searchParams.get('after');
    const limit = Number(ctx.url.searchParams.get('limit') ?? '100');
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequestError('limit must be 1 to 500');
    if (after !== null && !/^\d+$/.test(after)) throw new BadRequestError('after must be a sequence number');
    return json(
      await notifications.list(actor, {
        limit,
        ...(after !== null ? { afterSeq: Number(after) } : {}),
        unreadOnly: ctx.url.searchParams.get('unread') === '1'
      })
    );
  };

  const unread = async (ctx: RequestContext, customerOnly: boolean) => json({ unread: await notifications.unread(await caller(ctx, customerOnly)) });

  const markRead = async (ctx: RequestContext, customerOnly: boolean) => {
    const actor = await caller(ctx, customerOnly);
    return json(await notifications.markRead(actor, parseRequest(MarkReadRequest, await ctx.body())));
  };

  router.on('GET', '/api/notifications', (ctx) => list(ctx, false));
  router.on('GET', '/api/notifications/unread-count', (ctx) => unread(ctx, false));
  router.on('POST', '/api/notifications/mark-read', (ctx) => markRead(ctx, false));
  router.on('GET', '/api/customer/notifications', (ctx) => unread(ctx, true));
  router.on('GET', '/api/customer/notifications/list', (ctx) => list(ctx, true));
  router.on('POST', '/api/customer/notifications/mark-read', (ctx) => markRead(ctx, true));
}

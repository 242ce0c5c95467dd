/** Lines of a job after intake (docs/api.md, Jobs; SPEC P10, P11): add, rename/re-price, remove. */
import type { ApprovalService } from '../../jobs/approval-service.js';
import { EditItemBody, NewItemBody, parseBody } from '../approval-schemas.js';
import { json, type Router } from '../router.js';

export function itemRoutes(router: Router, approvals: ApprovalService) {
  router.on('POST', '/api/jobs/:id/items', async (ctx) => {
    const actor = await ctx.actor();
    const line = parseBody(NewItemBody, await ctx.body());
    const id = await approvals.addLine(actor, ctx.params.id!, line);
    return json({ id }, 201);
  });

  router.on('PATCH', '/api/jobs/:id/items/:itemId', async (ctx) => {
    const actor = await ctx.actor();
    const edit = parseBody(EditItemBody, await ctx.body());
    const item = await approvals.editLine(actor, ctx.params.id!, ctx.params.itemId!, edit);
    return json({ id: item.id, item });
  });

  router.on('DELETE', '/api/jobs/:id/items/:itemId', async (ctx) => {
    const actor = await ctx.actor();
    await approvals.removeLine(actor, ctx.params.id!, ctx.params.itemId!);
    return json({ id: ctx.params.itemId, removed: true });
  });
}

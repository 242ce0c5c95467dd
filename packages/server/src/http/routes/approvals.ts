/** The customer's decision on a line, from the share link (docs/api.md, Share links; SPEC A4, P12). */
import type { ApprovalService } from '../../jobs/approval-service.js';
import { DecisionBody, parseBody } from '../approval-schemas.js';
import { json, type Router } from '../router.js';

export function approvalRoutes(router: Router, approvals: ApprovalService) {
  // No sign-in: the link is the capability. The body may say what the page showed (title,
  // price): a line changed since is a 409, like a second decision.
  router.on('POST', '/api/share/:token/approvals/:itemId', async (ctx) => {
    const input = parseBody(DecisionBody, await ctx.body());
    return json(await approvals.decide(ctx.params.token!, ctx.params.itemId!, input));
  });
}

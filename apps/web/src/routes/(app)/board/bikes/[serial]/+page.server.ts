import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import type { PageServerLoad } from './$types';

/** A bike's page: every job with this serial, collected ones included, newest first. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const user = requireRole(locals.user, 'manager');
  const serial = params.serial.trim();
  if (!serial || serial.length > 64) error(400, 'That is not a serial number');
  const core = pitboard();
  const [rows, mechanics] = await Promise.all([core.jobs.search(user, { serial, includeCollected: true, limit: 200 }), core.storage.listUsers('mechanic')]);
  const names = new Map(mechanics.map((m) => [m.id, m.name]));
  return {
    serial,
    jobs: rows.map((r) => ({
      id: r.id,
      number: r.number,
      bike: r.bike,
      status: r.status,
      customerName: r.customerName,
      mechanic: r.assigneeId ? (names.get(r.assigneeId) ?? null) : null,
      createdAt: r.createdAt,
      collectedAt: r.collectedAt,
      progress: { done: r.itemsDone, total: r.itemsTotal }
    }))
  };
};

import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/guards';
import { services } from '$lib/server/services';
import type { PageServerLoad } from './$types';

/** A bike's page: every job with this serial, collected ones included, newest first. */
export const load: PageServerLoad = async ({ locals, params }) => {
  const user = requireRole(locals.user, 'manager');
  const serial = params.serial.trim();
  if (!serial || serial.length > 64) error(400, 'That is not a serial number');
  const { jobs, staff } = services();
  const [rows, mechanics] = await Promise.all([jobs.search(user, { serial, includeCollected: true, limit: 200 }), staff.list(user, 'mechanic')]);
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
      // A collected job's status began when it was collected.
      collectedAt: r.status === 'collected' ? r.statusSince : null,
      progress: r.progress
    }))
  };
};

import { fail } from '@sveltejs/kit';
import { isPitboardError, sentence } from '$lib/server/errors';
import { requireRole } from '$lib/server/guards';
import { services } from '$lib/server/services';
import { checkRequest, NewJobRequest } from '@pitboard/server/contract';
import { parseItems } from '$lib/item-templates';
import { promisedFromForm } from '$lib/components/promise';
import { searchFromUrl } from './board-search';
import type { Actions, PageServerLoad } from './$types';

/** The board's first paint comes from the read model (the `jobs` table): no document is opened. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals.user, 'manager');
  const { jobs, staff, notifications } = services();
  const search = searchFromUrl(url);
  const [rows, mechanics, messages, found] = await Promise.all([
    jobs.rows(user, { activeOnly: true }),
    staff.list(user, 'mechanic'),
    notifications.list(user, { limit: 200 }),
    search && jobs.search(user, { ...search, includeCollected: search.collected })
  ]);
  return {
    // A search in the address (a reload, a shared link) answers at first paint.
    search: search && { ...search, results: found ?? [] },
    // Without the description (up to 2,000 characters, not shown on a card): the rows travel in the HTML.
    jobs: rows.map(({ description: _, ...card }) => card),
    mechanics: mechanics.map((m) => ({ id: m.id, name: m.name })),
    // The alerts at first paint; the inbox keeps them live afterwards.
    alerts: messages.filter((n) => ALERT_KINDS.has(n.kind) && !n.resolvedAt)
  };
};

const ALERT_KINDS = new Set(['ready_for_qc', 'stuck', 'overdue']);

/** The form's inputs by the request's field paths (the API's names), for placing each problem. */
const INPUT_OF: Record<string, string> = { 'customer.name': 'customerName', 'customer.email': 'customerEmail', customerEmail: 'customerEmail' };
const INPUTS = new Set(['bike', 'description', 'items', 'mechanicId', 'promisedAt', 'serial', 'customerPhone']);
function inputFor(field: string | undefined): string {
  if (!field) return 'form';
  return INPUT_OF[field] ?? (INPUTS.has(field) ? field : 'form');
}

export const actions: Actions = {
  /** Intake: a new job from the counter form, checked by the API's own request schema. */
  create: async ({ request, locals }) => {
    const user = requireRole(locals.user, 'manager');
    const form = await request.formData();
    const values = {
      bike: String(form.get('bike') ?? ''),
      description: String(form.get('description') ?? ''),
      customerName: String(form.get('customerName') ?? ''),
      customerEmail: String(form.get('customerEmail') ?? '').trim(),
      items: String(form.get('items') ?? ''),
      mechanicId: String(form.get('mechanicId') ?? ''),
      promisedAt: '',
      customerPhone: String(form.get('customerPhone') ?? '').trim(),
      serial: String(form.get('serial') ?? '').trim()
    };
    const promised = promisedFromForm(form);
    if (promised.ok) values.promisedAt = promised.value ?? '';
    const checked = checkRequest(NewJobRequest, {
      bike: values.bike,
      description: values.description,
      customer: { name: values.customerName, ...(values.customerEmail ? { email: values.customerEmail } : {}) },
      items: parseItems(values.items),
      ...(values.mechanicId ? { mechanicId: values.mechanicId } : {}),
      ...(values.promisedAt ? { promisedAt: values.promisedAt } : {}),
      ...(values.serial ? { serial: values.serial } : {}),
      ...(values.customerPhone ? { customerPhone: values.customerPhone } : {})
    });
    if (!checked.ok || !promised.ok) {
      const errors: Record<string, string> = {};
      if (!promised.ok) errors.promisedAt = promised.error;
      if (!checked.ok) for (const [field, reason] of Object.entries(checked.problems)) errors[inputFor(field)] ??= sentence(reason);
      return fail(400, { values, errors });
    }
    try {
      const { job, shareUrl } = await services().jobs.create(user, checked.value);
      return { created: { id: job.id, number: job.number, bike: job.bike, shareUrl } };
    } catch (e) {
      if (isPitboardError(e) && e.status < 500) {
        // The input the error names (PitboardError.field), never a guess from its words.
        return fail(e.status, { values, errors: { [inputFor(e.field)]: sentence(e.reason) } });
      }
      throw e;
    }
  }
};

import { fail } from '@sveltejs/kit';
import { isPitboardError } from '$lib/server/errors';
import { requireRole } from '$lib/server/guards';
import { pitboard } from '$lib/server/pitboard';
import { parseItems } from '$lib/item-templates';
import { intakeFactErrors } from '$lib/server/intake-facts';
import { searchFromUrl } from './board-search';
import type { Actions, PageServerLoad } from './$types';

/** The board's first paint comes from the read model (the `jobs` table): no document is opened. */
export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireRole(locals.user, 'manager');
  const core = pitboard();
  const search = searchFromUrl(url);
  const [rows, mechanics, notifications, found] = await Promise.all([
    core.jobs.list(user, { activeOnly: true }),
    core.storage.listUsers('mechanic'),
    core.storage.listNotifications(user.id, { limit: 200 }),
    search && core.jobs.search(user, { ...search, includeCollected: search.collected })
  ]);
  return {
    // A search in the address (a reload, a shared link) answers at first paint.
    search: search && { ...search, results: (found ?? []).map((r) => core.jobs.summary(r, true)) },
    // Without the description (up to 2,000 characters, not shown on a card): the rows travel in the HTML.
    jobs: rows.map((r) => {
      const { description: _, ...card } = core.jobs.summary(r, true);
      return card;
    }),
    mechanics: mechanics.map((m) => ({ id: m.id, name: m.name })),
    // The alerts at first paint; the inbox keeps them live afterwards.
    alerts: notifications
      .filter((n) => ALERT_KINDS.has(n.kind) && !n.resolvedAt)
      .map(({ id, seq, kind, jobId, title, body, createdAt, readAt, resolvedAt }) => ({ id, seq, kind, jobId, title, body, createdAt, readAt, resolvedAt }))
  };
};

const ALERT_KINDS = new Set(['ready_for_qc', 'stuck']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const actions: Actions = {
  /** Intake: a new job from the counter form. */
  create: async ({ request, locals }) => {
    const user = requireRole(locals.user, 'manager');
    const form = await request.formData();
    const values = {
      bike: String(form.get('bike') ?? '').trim(),
      description: String(form.get('description') ?? '').trim(),
      customerName: String(form.get('customerName') ?? '').trim(),
      customerEmail: String(form.get('customerEmail') ?? '').trim(),
      items: String(form.get('items') ?? ''),
      mechanicId: String(form.get('mechanicId') ?? ''),
      customerPhone: String(form.get('customerPhone') ?? '').trim(),
      serial: String(form.get('serial') ?? '').trim()
    };
    const errors: Record<string, string> = {};
    const items = parseItems(values.items);
    if (!values.bike) errors.bike = 'Enter the bike, e.g. "Trek Domane, blue".';
    else if (values.bike.length > 200) errors.bike = 'Keep the bike under 200 characters.';
    if (values.description.length > 2000) errors.description = 'Keep the description under 2,000 characters.';
    if (!values.customerName) errors.customerName = 'Enter the customer’s name.';
    else if (values.customerName.length > 200) errors.customerName = 'Keep the name under 200 characters.';
    if (values.customerEmail && !EMAIL.test(values.customerEmail)) errors.customerEmail = 'That email address does not look right.';
    if (items.length === 0) errors.items = 'Add at least one repair item (one per line), or pick a template.';
    else if (items.length > 100) errors.items = 'At most 100 items per job.';
    else if (items.some((i) => i.length > 200)) errors.items = 'Keep each item under 200 characters.';
    Object.assign(errors, intakeFactErrors(values));
    if (Object.keys(errors).length) return fail(400, { values, errors });

    try {
      const { job, shareUrl } = await pitboard().jobs.create(user, {
        bike: values.bike,
        description: values.description,
        customer: { name: values.customerName, ...(values.customerEmail ? { email: values.customerEmail } : {}) },
        items,
        ...(values.mechanicId ? { mechanicId: values.mechanicId } : {}),
        ...(values.serial ? { serial: values.serial } : {}),
        ...(values.customerPhone ? { customerPhone: values.customerPhone } : {})
      });
      return { created: { id: job.id, number: job.number, bike: job.bike, shareUrl } };
    } catch (e) {
      if (isPitboardError(e) && e.status < 500) {
        // The input the error names (PitboardError.field), never a guess from its words.
        const field = e.field === 'customerEmail' || e.field === 'mechanicId' ? e.field : 'form';
        return fail(e.status, { values, errors: { [field]: e.reason.charAt(0).toUpperCase() + e.reason.slice(1) + '.' } });
      }
      throw e;
    }
  }
};


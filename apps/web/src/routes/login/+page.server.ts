import { fail, redirect } from '@sveltejs/kit';
import { isPitboardError } from '$lib/server/errors';
import { SESSION_COOKIE } from '$lib/server/session';
import { homeFor } from '$lib/server/homes';
import { pitboard } from '$lib/server/pitboard';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, homeFor(locals.user));
};

export const actions: Actions = {
  default: async ({ request, cookies, getClientAddress, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    if (!email || !password) return fail(400, { email, error: 'Enter your email and password.' });
    try {
      const core = pitboard();
      const { token, user } = await core.auth.login(email, password, getClientAddress());
      cookies.set(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: url.protocol === 'https:',
        maxAge: Math.floor(core.config.session.absoluteMs / 1000)
      });
      redirect(303, homeFor(user));
    } catch (e) {
      if (isPitboardError(e)) {
        const error = e.status === 429 ? 'Too many attempts. Wait a few minutes and try again.' : 'Wrong email or password.';
        return fail(e.status, { email, error });
      }
      throw e;
    }
  }
};

import { fail, redirect } from '@sveltejs/kit';
import { checkRequest, LoginRequest } from '@pitboard/server/contract';
import { isPitboardError, sentence } from '$lib/server/errors';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, SESSION_COOKIE } from '$lib/server/session';
import { homeFor } from '$lib/server/homes';
import { services } from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  if (locals.user) redirect(303, homeFor(locals.user));
};

export const actions: Actions = {
  default: async ({ request, cookies, getClientAddress, url }) => {
    const form = await request.formData();
    const email = String(form.get('email') ?? '').trim();
    // The API's sign-in request (its schema and words).
    const checked = checkRequest(LoginRequest, { email, password: String(form.get('password') ?? '') });
    if (!checked.ok) return fail(400, { email, error: sentence(Object.values(checked.problems)[0] ?? 'email and password are required') });
    const { password } = checked.value;
    try {
      const { auth } = services();
      // The peer is the socket's address (adapter-node without ADDRESS_HEADER); X-Forwarded-For
      // counts only from TRUST_PROXY, as for the API (client-address.ts in the server core).
      const address = auth.clientAddress(getClientAddress(), request.headers.get('x-forwarded-for'));
      const { token, user, device } = await auth.login(email, password, address, cookies.get(DEVICE_COOKIE) ?? null);
      const secure = url.protocol === 'https:';
      cookies.set(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        maxAge: auth.sessionMaxAgeSeconds
      });
      cookies.set(DEVICE_COOKIE, device, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
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

import type { Handle } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/session';
import { services } from '$lib/server/services';

/**
 * Thin on purpose: resolve the session cookie into `locals.user`; and what a signed-in
 * person is shown is theirs alone — no shared or browser cache may keep it
 * (docs/security.md, Response headers).
 */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.sessionId = null;
  const token = event.cookies.get(SESSION_COOKIE);
  if (token) {
    try {
      const { user, sessionId } = await services().auth.session(token);
      event.locals.user = user;
      event.locals.sessionId = sessionId;
    } catch {
      event.cookies.delete(SESSION_COOKIE, { path: '/' });
    }
  }
  const response = await resolve(event);
  if (!event.locals.user) return response;
  try {
    response.headers.set('cache-control', 'private, no-store');
    return response;
  } catch {
    // A response with immutable headers (one passed through from fetch): copy it.
    const copy = new Response(response.body, response);
    copy.headers.set('cache-control', 'private, no-store');
    return copy;
  }
};

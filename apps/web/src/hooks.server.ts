import type { Handle } from '@sveltejs/kit';
import { SESSION_COOKIE } from '$lib/server/session';
import { pitboard } from '$lib/server/pitboard';

/** Thin on purpose: resolve the session cookie into `locals.user`, nothing else. */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.sessionId = null;
  const token = event.cookies.get(SESSION_COOKIE);
  if (token) {
    try {
      const { user, sessionId } = await pitboard().auth.sessions.validate(token);
      event.locals.user = user;
      event.locals.sessionId = sessionId;
    } catch {
      event.cookies.delete(SESSION_COOKIE, { path: '/' });
    }
  }
  return resolve(event);
};

import { requireManager } from '../../auth/access.js';
import { clearSessionCookie, cookieValue, sessionCookie, type AuthService } from '../../auth/auth-service.js';
import { DEVICE_COOKIE, deviceCookie } from '../../auth/device-cookie.js';
import type { StaffDirectory } from '../../auth/staff-directory.js';
import { BadRequestError } from '../../errors.js';
import { ROLES } from '../../auth/users.js';
import type { Role } from '@pitboard/job-model';
import { json, type Router } from '../router.js';
import { parseRequest } from '../../contract/parse.js';
import { LoginRequest } from '../../contract/requests.js';

export function authRoutes(router: Router, deps: { auth: AuthService; staff: StaffDirectory; secureCookies: boolean }) {
  const { auth, staff } = deps;

  router.on('POST', '/api/auth/login', async (ctx) => {
    const { email, password } = parseRequest(LoginRequest, await ctx.body());
    const device = cookieValue(ctx.request.headers.get('cookie'), DEVICE_COOKIE);
    const { token, user, device: next } = await auth.login(email, password, ctx.clientAddress, device);
    const response = json({ token, user }, 200, { 'set-cookie': sessionCookie(token, deps.secureCookies, auth.sessionMaxAgeSeconds) });
    // The device cookie lets this browser past the sign-in throttle for this account (login-throttle.ts).
    response.headers.append('set-cookie', deviceCookie(next, deps.secureCookies));
    return response;
  });

  router.on('POST', '/api/auth/logout', async (ctx) => {
    const { sessionId } = await ctx.session();
    await auth.signOut(sessionId);
    return json({ ok: true }, 200, { 'set-cookie': clearSessionCookie(deps.secureCookies) });
  });

  router.on('GET', '/api/me', async (ctx) => json((await ctx.session()).user));

  router.on('GET', '/api/users', async (ctx) => {
    const actor = await ctx.actor();
    requireManager(actor);
    const role = ctx.url.searchParams.get('role');
    if (role !== null && !ROLES.includes(role as Role)) throw new BadRequestError(`role must be one of ${ROLES.join(', ')}`);
    return json(await staff.list(actor, (role as Role | null) ?? undefined));
  });
}

/**
 * A small fetch-style router for the JSON API: web-standard Request in, Response out, so the
 * same handlers serve the production server, `vite dev` and tests. Trailing slashes (the
 * seed's style) are accepted; every error becomes `{ "error": reason }` with its status.
 */
import type { Actor } from '@pitboard/job-model';
import type { ValidSession } from '../auth/sessions.js';
import { ForbiddenError, PitboardError, RateLimitedError, TooLargeError } from '../errors.js';
import type { Logger } from '../log.js';
import { readJsonBody, TOO_LARGE_HEADERS } from './body.js';
import { fromOwnSite, usesSessionCookie } from './origin.js';

export interface RequestContext {
  request: Request;
  url: URL;
  params: Record<string, string>;
  clientAddress: string;
  /** The signed-in session, or UnauthorizedError. */
  session(): Promise<ValidSession>;
  /** The signed-in actor, or UnauthorizedError. */
  actor(): Promise<Actor>;
  /** The JSON body (an object), or BadRequestError / TooLargeError. */
  body(): Promise<Record<string, unknown>>;
}

export type Handler = (ctx: RequestContext) => Promise<Response>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  constructor(
    private readonly deps: {
      authenticate(headers: Headers): Promise<ValidSession>;
      maxBodyBytes: number;
      allowedOrigins: string[];
      log: Logger;
    }
  ) {}

  /** `path` like `/api/jobs/:id/assign`. */
  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  /** The response for a request this router owns, or null to let the next handler try. */
  async handle(request: Request, clientAddress: string): Promise<Response | null> {
    const url = new URL(request.url);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const matches = this.routes.filter((r) => r.pattern.test(path));
    if (matches.length === 0) {
      return path === '/api' || path.startsWith('/api/') ? json({ error: 'no such endpoint' }, 404) : null;
    }
    const route = matches.find((r) => r.method === request.method || (r.method === 'GET' && request.method === 'HEAD'));
    if (!route) return json({ error: 'method not allowed' }, 405, { allow: [...new Set(matches.map((r) => r.method))].join(', ') });

    const values = route.pattern.exec(path)!.slice(1);
    const params = Object.fromEntries(route.keys.map((k, i) => [k, safeDecode(values[i]!)]));
    let session: Promise<ValidSession> | null = null;
    const ctx: RequestContext = {
      request,
      url,
      params,
      clientAddress,
      session: () => (session ??= this.deps.authenticate(request.headers)),
      actor: async () => {
        const { user } = await ctx.session();
        return { id: user.id, role: user.role };
      },
      body: () => readJsonBody(request, this.deps.maxBodyBytes)
    };
    try {
      this.checkOrigin(request);
      return await route.handler(ctx);
    } catch (error) {
      if (error instanceof PitboardError) {
        const headers: Record<string, string> =
          error instanceof RateLimitedError
            ? { 'retry-after': String(error.retryAfterSeconds) }
            : error instanceof TooLargeError
              ? TOO_LARGE_HEADERS
              : {};
        return json({ error: error.reason }, error.status, headers);
      }
      this.deps.log.error('request failed', { method: request.method, path, error });
      return json({ error: 'internal error' }, 500);
    }
  }

  /**
   * CSRF: a state-changing request a browser sent from another site is refused — one with a
   * foreign Origin, and one riding on the session cookie that cannot show it comes from our
   * own pages (no Origin and no `Sec-Fetch-Site: same-origin`). Bearer clients (scripts) send
   * no cookie and need no Origin.
   */
  private checkOrigin(request: Request) {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const headers = request.headers;
    const self = [new URL(request.url).origin, ...this.deps.allowedOrigins];
    const marked = headers.has('origin') || headers.has('sec-fetch-site');
    if ((marked || usesSessionCookie(headers)) && !fromOwnSite(headers, self)) {
      throw new ForbiddenError('cross-site request refused');
    }
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    // private, no-store: answers carry personal data; no shared or browser cache keeps them.
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'private, no-store', ...headers }
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

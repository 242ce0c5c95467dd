/**
 * Cross-site request checks for cookie authentication (docs/security.md, Origin checks).
 * A browser attaches the session cookie to requests other sites make it send; such a request
 * is told apart by its Origin (or Sec-Fetch-Site). Bearer-token clients carry no cookie and
 * are not checked: another site cannot make a browser send a Bearer token.
 */
import { cookieValue, SESSION_COOKIE } from '../auth/auth-service.js';

/** True when the request would be authenticated by the session cookie (no Bearer token). */
export function usesSessionCookie(headers: Headers): boolean {
  if (headers.get('authorization')?.toLowerCase().startsWith('bearer ')) return false;
  return cookieValue(headers.get('cookie'), SESSION_COOKIE) !== null;
}

/**
 * True when the request comes from this site's own pages: its Origin is PUBLIC_URL's origin
 * (or names the Host the request was sent to, for a server reached under another name), or —
 * without Origin — the browser says `Sec-Fetch-Site: same-origin`.
 */
export function fromOwnSite(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const site = headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') {
    // Still fine if the Origin is ours (same-site covers a sibling subdomain, which is not us).
    const origin = headers.get('origin');
    return origin !== null && originMatches(origin, headers, allowedOrigins);
  }
  const origin = headers.get('origin');
  if (origin === null) return site === 'same-origin';
  return originMatches(origin, headers, allowedOrigins);
}

function originMatches(origin: string, headers: Headers, allowedOrigins: readonly string[]): boolean {
  if (allowedOrigins.includes(origin)) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // "null" (sandboxed frames, some redirects) and garbage
  }
  return host !== '' && host === headers.get('host');
}

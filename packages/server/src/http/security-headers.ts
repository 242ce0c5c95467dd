/**
 * Response headers every answer carries (docs/security.md, Response headers): no MIME
 * sniffing, no framing by other sites, no full URLs (share tokens live in `/p/:token`) in the
 * Referer sent elsewhere, and HSTS when the public origin is https. The pages' own
 * Content-Security-Policy (with a nonce per response) comes from SvelteKit (`kit.csp` in
 * apps/web/svelte.config.js); the core's own answers (JSON, events, metrics) get a policy
 * that allows nothing, as they are never documents.
 */
import type { ServerResponse } from 'node:http';

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(publicUrl: string): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    ...(publicUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {})
  };
}

/** Sets them on a response before anyone writes it; a handler may still override one. */
export function applySecurityHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

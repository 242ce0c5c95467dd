/**
 * `/metrics` behind a token: when METRICS_TOKEN is set, a scrape needs
 * `Authorization: Bearer <METRICS_TOKEN>` (docs/security.md, Metrics). Compared in constant
 * time over hashes, so neither the token's length nor its prefix leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';

export function requireMetricsToken(headers: Headers, token: string | null): void {
  if (!token) return;
  const auth = headers.get('authorization') ?? '';
  const given = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  if (!given || !timingSafeEqual(digest(given), digest(token))) throw new UnauthorizedError('metrics need the metrics token');
}

/**
 * `GET /healthz`: readiness as a set of named checks. 200 when the instance is ready and every
 * check passes; 503 with the failing checks' reasons otherwise, so a load balancer stops
 * sending new clients to an instance that would serve them stale data.
 */
import { json } from './router.js';

export type CheckResult = { ok: true } | { ok: false; reason: string };
export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export async function healthResponse(ready: boolean, checks: Record<string, HealthCheck>): Promise<Response> {
  const results: Record<string, CheckResult> = {};
  for (const [name, check] of Object.entries(checks)) {
    try {
      results[name] = await check();
    } catch (error) {
      results[name] = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  if (!ready) return json({ ok: false, status: 'unavailable', error: 'starting or stopping', checks: results }, 503);
  const failed = Object.entries(results).filter((entry): entry is [string, { ok: false; reason: string }] => !entry[1].ok);
  if (failed.length === 0) return json({ ok: true, status: 'ok', checks: results });
  const error = failed.map(([name, r]) => `${name}: ${r.reason}`).join('; ');
  return json({ ok: false, status: 'degraded', error, checks: results }, 503);
}

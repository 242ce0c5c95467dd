/**
 * Readiness as a set of named checks (`GET /healthz`, docs/api.md): each says ok or why not.
 * Checks are cached briefly so a load balancer polling /healthz costs next to nothing, and
 * concurrent polls share one run.
 */
import { json } from '../http/router.js';

export interface CheckResult {
  ok: boolean;
  reason?: string;
}

export type HealthCheck = () => CheckResult | Promise<CheckResult>;

export function cachedCheck(run: () => Promise<CheckResult>, cacheMs: number): HealthCheck {
  let last: { at: number; result: Promise<CheckResult> } | null = null;
  return () => {
    if (!last || Date.now() - last.at > cacheMs) {
      const result = run().catch((error: unknown): CheckResult => ({ ok: false, reason: String((error as Error)?.message ?? error) }));
      last = { at: Date.now(), result };
      // The clock starts when the answer is in, so a slow check is not re-run back to back.
      void result.then(() => last && last.result === result && (last.at = Date.now()));
    }
    return last.result;
  };
}

/** Runs every check; ok only when all are. */
export async function runChecks(checks: Record<string, HealthCheck>): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<readonly [string, CheckResult]> => {
      try {
        return [name, await check()];
      } catch (error) {
        return [name, { ok: false, reason: error instanceof Error ? error.message : String(error) }];
      }
    })
  );
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))
  ]).finally(() => clearTimeout(timer));
}

/**
 * `GET /healthz`: 200 when the instance is ready and every check passes; otherwise 503 with the
 * failing checks' reasons — `unavailable` when starting, stopping or a `critical` check fails
 * (it cannot serve), `degraded` when only others fail (it serves, but e.g. stale data), so a
 * load balancer stops sending it new clients either way. `ok` stays for older clients.
 */
export async function healthResponse(ready: boolean, checks: Record<string, HealthCheck>, critical: ReadonlySet<string>): Promise<Response> {
  const result = await runChecks(checks);
  if (!ready) return json({ ok: false, status: 'unavailable', error: 'starting or stopping', checks: result.checks }, 503);
  if (result.ok) return json({ ok: true, status: 'ok', checks: result.checks });
  const failed = Object.entries(result.checks).filter(([, r]) => !r.ok);
  const error = failed.map(([name, r]) => `${name}: ${r.reason ?? 'failing'}`).join('; ');
  const status = failed.some(([name]) => critical.has(name)) ? 'unavailable' : 'degraded';
  return json({ ok: false, status, error, checks: result.checks }, 503);
}

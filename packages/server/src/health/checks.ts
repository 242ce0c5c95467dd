/**
 * Readiness as a set of named checks (`GET /healthz`, docs/api.md): each says ok or why not.
 * Checks are cached briefly so a load balancer polling /healthz costs next to nothing, and
 * concurrent polls share one run.
 */
export interface CheckResult {
  ok: boolean;
  reason?: string;
}

export type HealthCheck = () => Promise<CheckResult>;

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
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check()] as const));
  return { ok: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms)))
  ]).finally(() => clearTimeout(timer));
}

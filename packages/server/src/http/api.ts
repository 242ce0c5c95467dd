/** The HTTP API of docs/api.md, assembled from its route groups. */
import type { AuthService } from '../auth/auth-service.js';
import type { Config } from '../config.js';
import type { JobService } from '../jobs/job-service.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { Inbox } from '../notifications/inbox.js';
import type { ShareFeed } from '../jobs/share-feed.js';
import type { Storage } from '../storage/index.js';
import { healthResponse, type HealthCheck } from '../health/checks.js';
import { storageCheck } from '../health/storage-check.js';
import { requireMetricsToken } from './metrics-auth.js';
import { Router } from './router.js';
import { authRoutes } from './routes/auth.js';
import { jobDetailsRoutes } from './routes/job-details.js';
import { jobRoutes } from './routes/jobs.js';
import { notificationRoutes } from './routes/notifications.js';
import { shareEventsRoute } from './routes/share-events.js';
import { statsRoutes } from './routes/stats.js';

export interface ApiDeps {
  config: Config;
  auth: AuthService;
  storage: Storage;
  jobs: JobService;
  inbox: Inbox;
  shareFeed: ShareFeed;
  metrics: Metrics;
  log: Logger;
  liveConnections(): number;
  ready(): boolean;
  /** Named readiness checks for `/healthz` (e.g. `relay` with several instances). */
  checks?: Record<string, HealthCheck>;
}

export function createApi(deps: ApiDeps): Router {
  const { config } = deps;
  const router = new Router({
    authenticate: (headers) => deps.auth.authenticate(headers),
    maxBodyBytes: config.maxMessageBytes,
    allowedOrigins: [new URL(config.publicUrl).origin],
    log: deps.log
  });
  // Readiness: every named check must pass (docs/api.md). Storage failing makes the instance
  // unavailable; any other check (the Redis relay) makes it degraded.
  const checks = { storage: storageCheck(deps.storage), ...deps.checks };
  router.on('GET', '/healthz', () => healthResponse(deps.ready(), checks, new Set(['storage'])));
  authRoutes(router, {
    auth: deps.auth,
    storage: deps.storage,
    secureCookies: config.publicUrl.startsWith('https:'),
    sessionMaxAgeSeconds: Math.floor(config.session.absoluteMs / 1000)
  });
  jobRoutes(router, deps.jobs, { shop: config.shop });
  jobDetailsRoutes(router, deps.jobs);
  shareEventsRoute(router, deps.jobs, deps.shareFeed);
  statsRoutes(router, { storage: deps.storage, liveConnections: deps.liveConnections });
  notificationRoutes(router, { storage: deps.storage, inbox: deps.inbox });
  router.on('GET', '/metrics', async (ctx) => {
    requireMetricsToken(ctx.request.headers, config.metricsToken);
    return new Response(await deps.metrics.render(), { headers: { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' } });
  });
  return router;
}

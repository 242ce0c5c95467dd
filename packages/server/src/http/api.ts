/** The HTTP API of docs/api.md, assembled from its route groups. */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { ShareFeed } from '../jobs/share-feed.js';
import type { Services } from '../services.js';
import type { PushService } from '../push/push-service.js';
import type { PhotoService } from '../photos/photo-service.js';
import type { Storage } from '../storage/index.js';
import { healthResponse, type HealthCheck } from '../health/checks.js';
import { storageCheck } from '../health/storage-check.js';
import { requireMetricsToken } from './metrics-auth.js';
import { Router } from './router.js';
import { approvalRoutes } from './routes/approvals.js';
import { authRoutes } from './routes/auth.js';
import { jobExportRoute } from './routes/job-export.js';
import { itemRoutes } from './routes/items.js';
import { jobRoutes } from './routes/jobs.js';
import { notificationRoutes } from './routes/notifications.js';
import { pushRoutes } from './routes/push.js';
import { photoRoutes } from './routes/photos.js';
import { shareEventsRoute } from './routes/share-events.js';
import { statsRoutes } from './routes/stats.js';
import { workshopDayRoutes } from './routes/workshop-day.js';

export interface ApiDeps {
  config: Config;
  services: Services;
  /** For the storage health check and the dashboard numbers. */
  storage: Storage;
  shareFeed: ShareFeed;
  push: PushService;
  photos: PhotoService;
  metrics: Metrics;
  log: Logger;
  liveConnections(): number;
  ready(): boolean;
  /** Named readiness checks for `/healthz` (e.g. `relay` with several instances). */
  checks?: Record<string, HealthCheck>;
}

export function createApi(deps: ApiDeps): Router {
  const { config, services } = deps;
  const router = new Router({
    authenticate: (headers) => services.auth.authenticate(headers),
    maxBodyBytes: config.maxMessageBytes,
    allowedOrigins: [new URL(config.publicUrl).origin],
    log: deps.log
  });
  // Readiness: every named check must pass (docs/api.md). Storage failing makes the instance
  // unavailable; any other check (the Redis relay) makes it degraded.
  const checks = { storage: storageCheck(deps.storage), ...deps.checks };
  router.on('GET', '/healthz', () => healthResponse(deps.ready(), checks, new Set(['storage'])));
  authRoutes(router, {
    auth: services.auth,
    staff: services.staff,
    secureCookies: config.publicUrl.startsWith('https:')
  });
  jobRoutes(router, services.jobs, { shop: config.shop });
  workshopDayRoutes(router, services.jobs);
  itemRoutes(router, services.approvals);
  approvalRoutes(router, services.approvals);
  jobExportRoute(router, deps.storage);
  pushRoutes(router, { push: deps.push, jobs: services.jobs });
  shareEventsRoute(router, services.jobs, deps.shareFeed);
  photoRoutes(router, deps.photos);
  statsRoutes(router, { storage: deps.storage, liveConnections: deps.liveConnections });
  notificationRoutes(router, services.notifications);
  router.on('GET', '/metrics', async (ctx) => {
    requireMetricsToken(ctx.request.headers, config.metricsToken);
    return new Response(await deps.metrics.render(), { headers: { 'content-type': deps.metrics.contentType, 'cache-control': 'no-store' } });
  });
  return router;
}

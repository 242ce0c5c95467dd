/**
 * The composition root: one Pitboard is the whole server core — storage, auth, the Hocuspocus
 * instance with its extensions, the job service and the HTTP API. The production server, the
 * `vite dev` plugin and the tests all build it here.
 */
import { Hocuspocus } from '@hocuspocus/server';
import { publicView } from '@pitboard/job-model';
import { AuthService } from './auth/auth-service.js';
import { StaffDirectory } from './auth/staff-directory.js';
import type { Config } from './config.js';
import { seedDemo } from './demo.js';
import { createApi } from './http/api.js';
import type { Router } from './http/router.js';
import { ApprovalService } from './jobs/approval-service.js';
import { JobService } from './jobs/job-service.js';
import { endedSpans } from './jobs/status-spans.js';
import { createLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { RedisBus } from './scale/bus.js';
import { catchUpFromStorage } from './scale/catch-up.js';
import { openBus, redisExtension, type DocumentRelay } from './scale/redis.js';
import { RelayMonitor } from './scale/relay.js';
import { Inbox } from './notifications/inbox.js';
import { ShareFeed } from './jobs/share-feed.js';
import { ShareTokens, loadShareLinkSecret } from './jobs/share-tokens.js';
import { NotificationService } from './notifications/notification-service.js';
import { Notifier } from './notifications/notifier.js';
import { PushService } from './push/push-service.js';
import { OverdueWatch } from './notifications/overdue-watch.js';
import { openStorageWithDatabase, type Storage } from './storage/index.js';
import { PushStorage } from './storage/push-storage.js';
import { FilePhotoBytes, RowPhotoBytes } from './photos/photo-bytes.js';
import { PhotoService } from './photos/photo-service.js';
import { UploadSlots } from './photos/upload-slots.js';
import { Admission } from './sync/admission.js';
import { Authentication } from './sync/extension-authentication.js';
import { Gatekeeper } from './sync/extension-gatekeeper.js';
import { MessageLimits } from './sync/extension-limits.js';
import { SocketGuard } from './sync/socket-guard.js';
import { persistence } from './sync/extension-persistence.js';
import { Projector } from './sync/extension-projector.js';
import { sha256Hex } from './auth/tokens.js';
import { SessionGuard } from './sync/session-guard.js';
import type { Services } from './services.js';
import { storeAllDocuments } from './sync/hocuspocus-internals.js';

export interface Pitboard {
  config: Config;
  log: Logger;
  storage: Storage;
  auth: AuthService;
  hocuspocus: Hocuspocus;
  projector: Projector;
  /** The gate of every write (its counters say how updates were judged). */
  admission: Admission;
  jobs: JobService;
  /** Lines after intake and customers' decisions (SPEC P10–P12). */
  approvals: ApprovalService;
  inbox: Inbox;
  notifier: Notifier;
  /** Web Push to closed tabs: subscriptions, VAPID key, delivery. */
  push: PushService;
  /** Tells managers about jobs past their promised time (SPEC E13). */
  overdue: OverdueWatch;
  metrics: Metrics;
  /** What `/collab` sockets may cost before signing in; awareness frames dropped. */
  sockets: SocketGuard;
  api: Router;
  /** What the pages use (the same services as the API): never storage directly. */
  services: Services;
  /** Demo logins created at this start, to print (empty when none were created). */
  demoLogins: { role: string; email: string; password: string }[];
  /** Store every loaded document, then close the database. Connections must be closed first. */
  close(): Promise<void>;
}

export async function createPitboard(config: Config, log: Logger = createLogger(config.logLevel)): Promise<Pitboard> {
  // The share-link secret first: a bad key file stops the start before anything is opened.
  const shareSecret = loadShareLinkSecret(config.shareLinkSecret, config.dataDir);
  const { storage, database } = await openStorageWithDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const metrics = new Metrics();
  const bus = await openBus(config, log);
  // Every session that ends is announced to every instance, which closes its connections.
  const guard = new SessionGuard(storage, () => auth.sessions, bus, log, config.session.recheckMs);
  const auth = new AuthService(storage, config, {
    onSessionsEnded: (ended) => guard.announce(ended),
    redisPrefix: deploymentPrefix(config)
  });
  const admission = new Admission(storage, metrics, config.jobBudget);
  const projector = new Projector(storage, log);
  const documentRelay = config.redisUrl ? redisExtension(config.redisUrl, config.redisPrefix) : null;
  const limits = new MessageLimits(config.messageRate, log);
  const sockets = new SocketGuard(config.sockets);
  const inbox = new Inbox(storage, bus, log, {
    maxBufferedBytes: config.inboxMaxBufferedBytes,
    onDelivered: (ms) => metrics.deliveryLagSeconds.observe(ms)
  });
  const notifier = new Notifier(storage, inbox, log, { observeHook: (ms) => metrics.hookSeconds.observe(ms) }, config.currency);
  projector.onJobChanges((changes) => notifier.onJobChanges(changes));
  projector.onJobChanges((changes) => storage.statusHistory.recordSpans(endedSpans(changes)));
  projector.onJobChange(({ row, previous }) => inbox.deliverJob(row, previous));
  const shareFeed = new ShareFeed(bus, storage, config.shareStreams);
  projector.onJobChange(({ facts, row }) => shareFeed.publish(facts, row));
  const hocuspocus = new Hocuspocus({
    quiet: true,
    extensions: [
      // Several instances share documents through Redis (priority 1000: it runs first).
      ...(documentRelay ? [documentRelay] : []),
      limits,
      guard,
      new Authentication(auth, storage, log, (request) => sockets.authenticated(request), [new URL(config.publicUrl).origin]),
      new Gatekeeper(admission, log),
      persistence(storage),
      projector,
      inbox
    ]
  });
  const shareTokens = new ShareTokens(shareSecret.secret);
  const jobs = new JobService(storage, hocuspocus, admission, projector, config, shareTokens);
  const approvals = new ApprovalService(jobs, storage.approvalDecisions, log);
  const services: Services = {
    auth,
    jobs,
    staff: new StaffDirectory(storage),
    notifications: new NotificationService(storage, inbox),
    approvals,
    workshop: { currency: config.currency, shop: config.shop }
  };
  const push = await PushService.start(new PushStorage(database), config.push, shareTokens, log);
  notifier.onStored((stored) => push.notify(stored));
  // Photo bytes: files beside the SQLite database; rows in PostgreSQL, which every instance shares (docs/deploy.md).
  const photoBytes = config.databaseUrl ? new RowPhotoBytes(storage.photos) : new FilePhotoBytes(config.dataDir);
  const photos = new PhotoService(storage, jobs, photoBytes, new UploadSlots({ perUser: config.photos.uploadsPerUser, total: config.photos.uploadsTotal }), config.photos);
  log.debug('share-link secret', { source: shareSecret.source });
  metrics.gauge('pitboard_open_connections', 'Open WebSocket connections', () => hocuspocus.getConnectionsCount());
  metrics.counter('pitboard_messages_received_total', 'Sync messages received', () => limits.messagesIn);
  metrics.counter('pitboard_messages_sent_total', 'Document updates broadcast to connections', () => limits.messagesOut);
  metrics.counter('pitboard_rate_limited_total', 'Documents closed for a connection sending too fast (4429)', () => limits.rateLimited);
  metrics.gauge('pitboard_open_connections_by_role', 'Signed-in clients (inbox connections) by role', () => connectionsByRole(hocuspocus), 'role');
  metrics.gauge('pitboard_loaded_documents', 'Documents in memory', () => hocuspocus.getDocumentsCount());
  metrics.gauge('pitboard_unauthenticated_sockets', 'Open /collab sockets that have not signed in any document yet', () => sockets.unauthenticatedSockets);
  metrics.counter('pitboard_sockets_closed_before_sign_in_total', 'Sockets closed for their pre-sign-in budget or deadline', () => sockets.closedBeforeSignIn);
  metrics.counter('pitboard_upgrades_refused_total', 'WebSocket upgrades refused (503) at MAX_CONNECTIONS', () => sockets.upgradesRefused);
  metrics.counter('pitboard_awareness_frames_dropped_total', 'Awareness frames received and dropped (Pitboard has no presence)', () => sockets.awarenessDropped);
  metrics.gauge('pitboard_projection_turns_waiting', 'Read-model projections queued behind the running one', () => projector.waitingTurns);
  metrics.counter('pitboard_storage_lock_waits_total', 'Times a statement found SQLite locked by another process and waited', () => storage.lockWaits());
  metrics.gauge('pitboard_redis_errors_total', 'Redis errors seen by this instance', () => ('errors' in bus ? (bus.errors as number) : 0));
  const relay = documentRelay && bus instanceof RedisBus ? watchRelay({ documentRelay, bus, hocuspocus, storage, inbox, metrics, log }) : null;
  relay?.onRecovered(() =>
    shareFeed.refreshLocal(async (jobId) => {
      const row = await storage.getJob(jobId);
      return row && publicView(await jobs.facts(jobId), row.updatedAt);
    })
  );
  let ready = false;
  const api = createApi({
    config,
    services,
    storage,
    shareFeed,
    push,
    photos,
    metrics,
    log,
    liveConnections: () => hocuspocus.getConnectionsCount(),
    ready: () => ready,
    checks: relay ? { relay: () => relay.check() } : {}
  });
  await recoverUnprojectedChanges(storage, jobs, projector, log);
  const demoLogins = config.demo ? await seedDemo({ storage, jobs }) : [];
  const pruner = startRetention(storage, config, log);
  const overdue = new OverdueWatch(storage, inbox, (jobId) => jobs.facts(jobId), log, config.overdueCheckMs);
  overdue.start();
  ready = true;

  return {
    config,
    log,
    storage,
    auth,
    hocuspocus,
    projector,
    admission,
    jobs,
    approvals,
    inbox,
    notifier,
    push,
    overdue,
    metrics,
    sockets,
    api,
    services,
    demoLogins,
    async close() {
      ready = false;
      clearInterval(pruner);
      await overdue.stop();
      guard.stop();
      await projector.idle();
      await storeAllDocuments(hocuspocus);
      await projector.idle();
      await push.idle();
      relay?.stop();
      await documentRelay?.onDestroy();
      await bus.close();
      await auth.close();
      await storage.close();
    }
  };
}

/**
 * With Redis: watch the relay's connections; when they come back after an outage, catch up
 * what this instance missed — open documents from the other instances and from storage, and
 * every local inbox asks again for its rows and notifications (share pages: see the caller).
 */
function watchRelay(deps: { documentRelay: DocumentRelay; bus: RedisBus; hocuspocus: Hocuspocus; storage: Storage; inbox: Inbox; metrics: Metrics; log: Logger }): RelayMonitor {
  const { documentRelay, bus, hocuspocus, metrics } = deps;
  const relay = new RelayMonitor([...documentRelay.clients, ...bus.clients], deps.log);
  documentRelay.relayUp = () => relay.connected;
  relay.onRecovered(() => documentRelay.resync(hocuspocus.documents, (name) => name.startsWith('job:')));
  relay.onRecovered(async () => void (await catchUpFromStorage(hocuspocus, deps.storage, deps.log)));
  relay.onRecovered(async () => void deps.inbox.broadcastResync());
  metrics.gauge('pitboard_redis_relay_up', 'Whether this instance hears the others through Redis (1) or not (0: degraded)', () => (relay.up ? 1 : 0));
  metrics.counter('pitboard_redis_relay_recoveries_total', 'Times the relay came back after an outage and caught up', () => relay.recovered);
  return relay;
}

function connectionsByRole(hocuspocus: Hocuspocus): Record<string, number> {
  const counts: Record<string, number> = { manager: 0, mechanic: 0, customer: 0 };
  for (const [name, document] of hocuspocus.documents) {
    if (!name.startsWith('inbox:')) continue;
    for (const c of document.getConnections()) {
      const role = (c.context as { user?: { role?: string } }).user?.role;
      if (role) counts[role] = (counts[role] ?? 0) + 1;
    }
  }
  return counts;
}

/**
 * Updates logged just before a crash may not have reached the read model or the notification
 * engine yet. Every document with logged updates is re-projected once at start: the event
 * baseline makes this safe to repeat.
 */
async function recoverUnprojectedChanges(storage: Storage, jobs: JobService, projector: Projector, log: Logger) {
  const names = await storage.documentsWithLoggedUpdates();
  for (const name of names) {
    if (!name.startsWith('job:')) continue;
    try {
      await projector.projectFacts(await jobs.facts(name.slice(4)), false);
    } catch (error) {
      log.error('recovery projection failed', { document: name, error });
    }
  }
  if (names.length) log.info('recovered recent changes', { documents: names.length });
}

/** Old read notifications are pruned (the seed's message expiry, done on stored data). */
function startRetention(storage: Storage, config: Config, log: Logger): NodeJS.Timeout {
  const prune = () => {
    const before = new Date(Date.now() - config.notificationRetentionDays * 86_400_000).toISOString();
    storage.pruneNotifications(before).then(
      (n) => n > 0 && log.info('pruned read notifications', { count: n }),
      (error) => log.error('pruning notifications failed', { error })
    );
  };
  prune();
  const timer = setInterval(prune, 3600_000);
  timer.unref();
  return timer;
}

/**
 * The sign-in budgets' key prefix: REDIS_PREFIX, then the database this deployment uses, so two
 * deployments (or two test servers) that forgot to set their own prefix still count apart.
 */
function deploymentPrefix(config: Config): string {
  const database = config.databaseUrl ? new URL(config.databaseUrl).pathname : config.dataDir;
  return `${config.redisPrefix}:${sha256Hex(database).slice(0, 12)}`;
}

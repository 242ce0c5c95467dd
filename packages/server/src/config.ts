/**
 * Settings from the environment (README, Configure it). Read once at start.
 */
import path from 'node:path';
import { parseTrustProxy, type TrustedProxies } from './http/client-address.js';
import { JOB_MAX_PHOTOS } from './sync/job-budget.js';
import { shopSettings, type Shop } from './shop.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Start of every Redis key and channel, so deployments sharing one Redis stay apart. */
  redisPrefix: string;
  /** Key that share-link tokens are derived with; null = DATA_DIR/share-link.key (docs/deploy.md). */
  shareLinkSecret: string | null;
  demo: boolean;
  production: boolean;
  /** Proxies whose `X-Forwarded-For` is believed (`TRUST_PROXY`; default none). */
  trustProxy: TrustedProxies;
  /**
   * Failed sign-ins per window: `perAccount` per (account, address) pair — and, beyond it, the
   * account's attempts from anywhere are slowed down, never refused; `perAddress` per address.
   */
  loginLimit: { perAccount: number; perAddress: number; windowMs: number };
  /**
   * Session lifetime (Lucia's guide: inactivity timeout, bumped at most once per interval);
   * open sync connections have their sessions re-checked every `recheckMs`.
   */
  session: { inactivityMs: number; activityCheckMs: number; absoluteMs: number; recheckMs: number };
  /** Largest WebSocket message or JSON body accepted. */
  maxMessageBytes: number;
  /** Sync messages per connection: sustained per second, and burst. */
  messageRate: { perSecond: number; burst: number };
  /** Unsent bytes an inbox connection may have queued before it is closed to catch up later. */
  inboxMaxBufferedBytes: number;
  /** How often the server pings every `/collab` socket (0: never); see http/keepalive.ts. */
  keepaliveMs: number;
  /** `/collab` sockets: how many at once, and what one may cost before it signs in (docs/security.md, class 9). */
  sockets: { maxConnections: number; preAuthMaxBytes: number; authDeadlineMs: number };
  /** Budgets per job document, enforced when an update is admitted (docs/security.md, class 6). */
  jobBudget: { maxNotes: number; maxItems: number; maxBytes: number };
  /** Open share-page event streams allowed per share link and per client address (429 beyond). */
  shareStreams: { perLink: number; perAddress: number };
  /**
   * Photos: largest upload (`PHOTO_MAX_BYTES`), photos per job (`JOB_MAX_PHOTOS`), uploads in
   * flight per uploader and in all (`PHOTO_UPLOADS_PER_USER`, `PHOTO_UPLOADS_TOTAL`; 429 beyond).
   */
  photos: { maxBytes: number; maxPerJob: number; uploadsPerUser: number; uploadsTotal: number };
  /** Read notifications older than this are deleted. */
  notificationRetentionDays: number;
  logLevel: string;
  /** When set, `/metrics` needs `Authorization: Bearer <it>`. */
  metricsToken: string | null;
  /** Web Push: the VAPID contact, and whether `http:` push endpoints are accepted (tests only). */
  push: { contact: string; allowHttpEndpoints: boolean };
  /** How often the server looks for jobs past their promised time (`OVERDUE_CHECK_MS`; 0: never). */
  overdueCheckMs: number;
  /** ISO 4217 code prices are in (`CURRENCY`, default EUR); amounts are whole cents. */
  currency: string;
  /** The shop on customers' pages (SHOP_NAME, SHOP_PHONE, SHOP_ADDRESS, SHOP_HOURS). */
  shop: Shop;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production';
  const port = overrides.port ?? intSetting(env.PORT, 3000, 'PORT');
  const hour = 3600_000;
  const config: Config = {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR || './data'),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: env.DATABASE_URL || null,
    redisUrl: env.REDIS_URL || null,
    redisPrefix: redisPrefixSetting(env.REDIS_PREFIX),
    shareLinkSecret: secretSetting(env.SHARE_LINK_SECRET, 'SHARE_LINK_SECRET'),
    demo: env.PITBOARD_DEMO === undefined ? !production : env.PITBOARD_DEMO === '1' || env.PITBOARD_DEMO === 'true',
    production,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    loginLimit: {
      perAccount: intSetting(env.LOGIN_LIMIT_PER_ACCOUNT, 10, 'LOGIN_LIMIT_PER_ACCOUNT'),
      perAddress: intSetting(env.LOGIN_LIMIT_PER_ADDRESS, 50, 'LOGIN_LIMIT_PER_ADDRESS'),
      windowMs: 15 * 60_000
    },
    session: {
      inactivityMs: 30 * 24 * hour,
      activityCheckMs: hour,
      absoluteMs: 180 * 24 * hour,
      recheckMs: intSetting(env.SESSION_RECHECK_MS, 5000, 'SESSION_RECHECK_MS') || 5000
    },
    maxMessageBytes: intSetting(env.MAX_MESSAGE_BYTES, 1024 * 1024, 'MAX_MESSAGE_BYTES'),
    messageRate: {
      perSecond: intSetting(env.MESSAGE_RATE_PER_SECOND, 100, 'MESSAGE_RATE_PER_SECOND'),
      burst: intSetting(env.MESSAGE_RATE_BURST, 500, 'MESSAGE_RATE_BURST')
    },
    inboxMaxBufferedBytes: intSetting(env.INBOX_MAX_BUFFERED_BYTES, 1024 * 1024, 'INBOX_MAX_BUFFERED_BYTES'),
    keepaliveMs: intSetting(env.KEEPALIVE_INTERVAL_MS, 15_000, 'KEEPALIVE_INTERVAL_MS'),
    sockets: {
      maxConnections: intSetting(env.MAX_CONNECTIONS, 10_000, 'MAX_CONNECTIONS'),
      preAuthMaxBytes: intSetting(env.PREAUTH_MAX_BYTES, 64 * 1024, 'PREAUTH_MAX_BYTES'),
      authDeadlineMs: intSetting(env.AUTH_DEADLINE_SECONDS, 10, 'AUTH_DEADLINE_SECONDS') * 1000
    },
    jobBudget: {
      maxNotes: intSetting(env.JOB_MAX_NOTES, 1000, 'JOB_MAX_NOTES'),
      maxItems: intSetting(env.JOB_MAX_ITEMS, 100, 'JOB_MAX_ITEMS'),
      maxBytes: intSetting(env.JOB_MAX_BYTES, 4 * 1024 * 1024, 'JOB_MAX_BYTES')
    },
    shareStreams: {
      perLink: intSetting(env.SHARE_STREAMS_PER_LINK, 20, 'SHARE_STREAMS_PER_LINK'),
      perAddress: intSetting(env.SHARE_STREAMS_PER_ADDRESS, 50, 'SHARE_STREAMS_PER_ADDRESS')
    },
    photos: {
      maxBytes: intSetting(env.PHOTO_MAX_BYTES, 10 * 1024 * 1024, 'PHOTO_MAX_BYTES'),
      maxPerJob: intSetting(env.JOB_MAX_PHOTOS, JOB_MAX_PHOTOS, 'JOB_MAX_PHOTOS'),
      uploadsPerUser: intSetting(env.PHOTO_UPLOADS_PER_USER, 2, 'PHOTO_UPLOADS_PER_USER'),
      uploadsTotal: intSetting(env.PHOTO_UPLOADS_TOTAL, 8, 'PHOTO_UPLOADS_TOTAL')
    },
    notificationRetentionDays: intSetting(env.NOTIFICATION_RETENTION_DAYS, 30, 'NOTIFICATION_RETENTION_DAYS'),
    logLevel: env.LOG_LEVEL || 'info',
    metricsToken: env.METRICS_TOKEN || null,
    push: {
      contact: pushContactSetting(env.PUSH_CONTACT, env.PUBLIC_URL || `http://localhost:${port}`),
      allowHttpEndpoints: env.PUSH_ALLOW_HTTP === '1'
    },
    overdueCheckMs: intSetting(env.OVERDUE_CHECK_MS, 60_000, 'OVERDUE_CHECK_MS'),
    currency: currencySetting(env.CURRENCY),
    shop: shopSettings(env)
  };
  return { ...config, ...overrides };
}

function intSetting(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** Letters, digits and `._-`, so it can neither hide a pattern character nor fake a separator. */
function redisPrefixSetting(value: string | undefined): string {
  if (value === undefined || value === '') return 'pitboard';
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(value)) {
    throw new Error(`REDIS_PREFIX must be 1 to 64 letters, digits, dots, dashes or underscores, got "${value}"`);
  }
  return value;
}

/** A secret setting: unset, or long enough to resist guessing (e.g. `openssl rand -hex 32`). */
function secretSetting(value: string | undefined, name: string): string | null {
  if (value === undefined || value === '') return null;
  if (value.length < 32) throw new Error(`${name} must be at least 32 characters (try: openssl rand -hex 32), got ${value.length}`);
  return value;
}

/** VAPID subject (RFC 8292): a `mailto:` or `https:` contact; by default the site when it is https. */
function pushContactSetting(value: string | undefined, publicUrl: string): string {
  if (value) {
    if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(value)) throw new Error(`PUSH_CONTACT must be a mailto: address or an https: URL, got "${value}"`);
    return value;
  }
  return publicUrl.startsWith('https://') ? publicUrl.replace(/\/+$/, '') : 'mailto:pitboard@localhost.invalid';
}

/** A three-letter ISO 4217 code that Intl knows, so every price formats. */
function currencySetting(value: string | undefined): string {
  if (value === undefined || value === '') return 'EUR';
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || !Intl.supportedValuesOf('currency').includes(code)) {
    throw new Error(`CURRENCY must be an ISO 4217 code such as EUR, GBP or USD, got "${value}"`);
  }
  return code;
}

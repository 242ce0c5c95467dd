/**
 * Settings from the environment (`contract.md`, Running). Read once at start.
 */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Key that share-link tokens are derived with; null = DATA_DIR/share-link.key (docs/deploy.md). */
  shareLinkSecret: string | null;
  demo: boolean;
  production: boolean;
  /** Login attempts allowed per window, per account and per address. */
  loginLimit: { perAccount: number; perAddress: number; windowMs: number };
  /** Session lifetime (Lucia's guide: inactivity timeout, bumped at most once per interval). */
  session: { inactivityMs: number; activityCheckMs: number; absoluteMs: number };
  /** Largest WebSocket message or JSON body accepted. */
  maxMessageBytes: number;
  /** Sync messages per connection: sustained per second, and burst. */
  messageRate: { perSecond: number; burst: number };
  /** Unsent bytes an inbox connection may have queued before it is closed to catch up later. */
  inboxMaxBufferedBytes: number;
  /** Read notifications older than this are deleted. */
  notificationRetentionDays: number;
  logLevel: string;
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
    shareLinkSecret: secretSetting(env.SHARE_LINK_SECRET, 'SHARE_LINK_SECRET'),
    demo: env.PITBOARD_DEMO === undefined ? !production : env.PITBOARD_DEMO === '1' || env.PITBOARD_DEMO === 'true',
    production,
    loginLimit: {
      perAccount: intSetting(env.LOGIN_LIMIT_PER_ACCOUNT, 10, 'LOGIN_LIMIT_PER_ACCOUNT'),
      perAddress: intSetting(env.LOGIN_LIMIT_PER_ADDRESS, 50, 'LOGIN_LIMIT_PER_ADDRESS'),
      windowMs: 15 * 60_000
    },
    session: { inactivityMs: 30 * 24 * hour, activityCheckMs: hour, absoluteMs: 180 * 24 * hour },
    maxMessageBytes: intSetting(env.MAX_MESSAGE_BYTES, 1024 * 1024, 'MAX_MESSAGE_BYTES'),
    messageRate: {
      perSecond: intSetting(env.MESSAGE_RATE_PER_SECOND, 100, 'MESSAGE_RATE_PER_SECOND'),
      burst: intSetting(env.MESSAGE_RATE_BURST, 500, 'MESSAGE_RATE_BURST')
    },
    inboxMaxBufferedBytes: intSetting(env.INBOX_MAX_BUFFERED_BYTES, 1024 * 1024, 'INBOX_MAX_BUFFERED_BYTES'),
    notificationRetentionDays: intSetting(env.NOTIFICATION_RETENTION_DAYS, 30, 'NOTIFICATION_RETENTION_DAYS'),
    logLevel: env.LOG_LEVEL || 'info'
  };
  return { ...config, ...overrides };
}

function intSetting(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** A secret setting: unset, or long enough to resist guessing (e.g. `openssl rand -hex 32`). */
function secretSetting(value: string | undefined, name: string): string | null {
  if (value === undefined || value === '') return null;
  if (value.length < 32) throw new Error(`${name} must be at least 32 characters (try: openssl rand -hex 32), got ${value.length}`);
  return value;
}

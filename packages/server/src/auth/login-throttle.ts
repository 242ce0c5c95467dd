/**
 * Sign-in throttling that no one can turn against an account's owner (OWASP Authentication
 * Cheat Sheet, "Account Lockout", and its device-cookie pattern). Only failures count:
 *
 * - per (account, address) pair: `perAccount` failures in the window, then that address is
 *   refused for that account (429) — the guesser is stopped, nobody else is;
 * - per address: `perAddress` failures in the window, then the address is refused for every
 *   account (one machine spraying many accounts);
 * - per account, from anywhere: never a refusal. Beyond `perAccount` failures, every attempt
 *   on the account without a device cookie waits first (0.5 s, doubling, at most 5 s), which
 *   slows a guesser spread over many addresses and costs the owner a few seconds at most;
 * - a known device (a valid device cookie for the account, device-cookie.ts) skips the three
 *   above and has its own budget of `perAccount` failures (a stolen cookie is no master key).
 *
 * With REDIS_URL the counters live in Redis (rate-limiter-flexible's atomic store), so every
 * instance draws on the same budgets; if Redis is unreachable each instance falls back to its
 * own memory counters rather than refusing sign-ins.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';

export interface ThrottleLimits {
  perAccount: number;
  perAddress: number;
  windowMs: number;
}

export interface Attempt {
  account: string;
  address: string;
  /** The id of a verified device cookie for this account, or null. */
  device: string | null;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;
/** The account-wide counter only measures; it never refuses. */
const UNBOUNDED = 1_000_000_000;

export class LoginThrottle {
  private readonly pair: RateLimiterAbstract;
  private readonly address: RateLimiterAbstract;
  private readonly account: RateLimiterAbstract;
  private readonly device: RateLimiterAbstract;
  private readonly redis: Redis | null;

  /** `redis`: a Redis URL and a key prefix naming this deployment; null keeps counters in memory. */
  constructor(
    private readonly limits: ThrottleLimits,
    redis: { url: string; prefix: string } | null = null
  ) {
    const duration = Math.max(1, Math.ceil(limits.windowMs / 1000));
    // Sign-ins must not wait for a Redis that is down: no offline queue, the memory fallback instead.
    this.redis = redis ? new Redis(redis.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false }) : null;
    this.redis?.on('error', () => {});
    const make = (name: string, points: number): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ keyPrefix: `login:${name}`, points, duration });
      if (!this.redis || !redis) return memory;
      return new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: `${redis.prefix}:login:${name}`,
        points,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory
      });
    };
    this.pair = make('pair', limits.perAccount);
    this.address = make('address', limits.perAddress);
    this.account = make('account', UNBOUNDED);
    this.device = make('device', limits.perAccount);
  }

  /** Refuses (RateLimitedError with Retry-After) or resolves once the attempt may be checked. */
  async admit(a: Attempt): Promise<void> {
    if (a.device) {
      refuseIfSpent(await this.device.get(a.device), this.limits.perAccount);
      return;
    }
    const [pair, address, account] = await Promise.all([
      this.pair.get(pairKey(a)),
      this.address.get(a.address),
      this.account.get(a.account)
    ]);
    refuseIfSpent(pair, this.limits.perAccount);
    refuseIfSpent(address, this.limits.perAddress);
    const over = (account?.consumedPoints ?? 0) - this.limits.perAccount;
    if (over >= 0) await sleep(Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(over, 10)));
  }

  async failed(a: Attempt): Promise<void> {
    if (a.device) {
      await this.device.penalty(a.device, 1);
      return;
    }
    await Promise.all([this.pair.penalty(pairKey(a), 1), this.address.penalty(a.address, 1), this.account.penalty(a.account, 1)]);
  }

  /** The owner got in: their own address (or device) starts afresh; the account-wide count stays. */
  async succeeded(a: Attempt): Promise<void> {
    await (a.device ? this.device.delete(a.device) : this.pair.delete(pairKey(a)));
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

function pairKey(a: Attempt): string {
  return `${a.account}|${a.address}`;
}

function refuseIfSpent(res: RateLimiterRes | null, limit: number): void {
  if (res && res.consumedPoints >= limit) {
    throw new RateLimitedError('too many sign-in attempts, try again later', Math.max(1, Math.ceil(res.msBeforeNext / 1000)));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

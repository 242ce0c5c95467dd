/**
 * Signing in and out, and turning a request's credentials into a user.
 */
import type { Config } from '../config.js';
import { RateLimitedError, UnauthorizedError } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.js';
import { Sessions, type SessionUser, type ValidSession } from './sessions.js';

export const SESSION_COOKIE = 'session';

export class AuthService {
  readonly sessions: Sessions;
  private readonly perAccount: RateLimiter;
  private readonly perAddress: RateLimiter;
  /** Compared against when the account does not exist, so timing does not reveal accounts. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly config: Config
  ) {
    this.sessions = new Sessions(storage, config.session);
    this.perAccount = new RateLimiter(config.loginLimit.perAccount, config.loginLimit.windowMs);
    this.perAddress = new RateLimiter(config.loginLimit.perAddress, config.loginLimit.windowMs);
  }

  async login(email: string, password: string, address: string): Promise<{ token: string; user: SessionUser }> {
    const accountKey = email.trim().toLowerCase();
    if (this.perAddress.blocked(address) || this.perAccount.blocked(accountKey)) {
      const retry = Math.max(this.perAddress.retryAfter(address), this.perAccount.retryAfter(accountKey));
      throw new RateLimitedError('too many sign-in attempts, try again later', retry);
    }
    const user = await this.storage.getUserByEmail(accountKey);
    let ok = false;
    if (!user || !user.passwordHash) {
      this.dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(await this.dummyHash, password);
    } else {
      ok = await verifyPassword(user.passwordHash, password);
    }
    if (!ok || !user) {
      // Only failures count against the budgets.
      this.perAddress.hit(address);
      this.perAccount.hit(accountKey);
      throw new UnauthorizedError('wrong email or password');
    }
    this.perAccount.reset(accountKey);
    const { token } = await this.sessions.create(user.id);
    return { token, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
  }

  /** Resolves the session from a Bearer token or the session cookie (Bearer wins). */
  authenticate(headers: Headers): Promise<ValidSession> {
    return this.sessions.validate(tokenFromHeaders(headers));
  }
}

export function tokenFromHeaders(headers: Headers): string | null {
  const auth = headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return cookieValue(headers.get('cookie'), SESSION_COOKIE);
}

export function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export function sessionCookie(token: string, secure: boolean, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

export function clearSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;
}

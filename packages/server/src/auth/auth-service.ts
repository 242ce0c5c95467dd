/**
 * Signing in and out, and turning a request's credentials into a user.
 */
import type { Config } from '../config.js';
import { UnauthorizedError } from '../errors.js';
import type { Storage } from '../storage/index.js';
import { addressFrom } from '../http/client-address.js';
import { issueDevice, verifyDevice } from './device-cookie.js';
import { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { Sessions, type SessionsEnded, type SessionUser, type ValidSession } from './sessions.js';

export const SESSION_COOKIE = 'session';

export class AuthService {
  readonly sessions: Sessions;
  private readonly throttle: LoginThrottle;
  /** Compared against when the account does not exist, so timing does not reveal accounts. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly config: Config,
    options: { onSessionsEnded?: (ended: SessionsEnded) => void; redisPrefix?: string } = {}
  ) {
    this.sessions = new Sessions(storage, config.session, options.onSessionsEnded);
    this.throttle = new LoginThrottle(
      config.loginLimit,
      config.redisUrl ? { url: config.redisUrl, prefix: options.redisPrefix ?? 'pitboard' } : null
    );
  }

  /**
   * Signs in, or throws 401 (wrong email or password) / 429 (throttled, login-throttle.ts).
   * `address` is the client's (http/client-address.ts); `deviceCookie` the browser's device
   * cookie, if any. Answers with a fresh device cookie value for the browser to keep.
   */
  async login(
    email: string,
    password: string,
    address: string,
    deviceCookie: string | null = null
  ): Promise<{ token: string; user: SessionUser; device: string }> {
    const accountKey = email.trim().toLowerCase();
    const user = await this.storage.getUserByEmail(accountKey);
    const attempt = { account: accountKey, address, device: verifyDevice(deviceCookie, user?.passwordHash ?? null, accountKey) };
    await this.throttle.admit(attempt);
    let ok = false;
    if (!user || !user.passwordHash) {
      this.dummyHash ??= hashPassword('not-a-real-password');
      await verifyPassword(await this.dummyHash, password);
    } else {
      ok = await verifyPassword(user.passwordHash, password);
    }
    if (!ok || !user || !user.passwordHash) {
      // Only failures count against the budgets.
      await this.throttle.failed(attempt);
      throw new UnauthorizedError('wrong email or password');
    }
    await this.throttle.succeeded(attempt);
    const { token } = await this.sessions.create(user.id);
    return {
      token,
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
      device: issueDevice(user.passwordHash, accountKey)
    };
  }

  /** The signed-in user of a session token, or 401 (a page's cookie). */
  session(token: string): Promise<ValidSession> {
    return this.sessions.validate(token);
  }

  /** Ends a session (signing out); its open connections close everywhere. */
  signOut(sessionId: string): Promise<void> {
    return this.sessions.invalidate(sessionId, 'signed out');
  }

  /** How long a session cookie may live. */
  get sessionMaxAgeSeconds(): number {
    return Math.floor(this.config.session.absoluteMs / 1000);
  }

  /** The client's address from an adapter that gives the peer and X-Forwarded-For apart (client-address.ts). */
  clientAddress(peer: string | undefined, forwardedFor: string | null): string {
    return addressFrom(peer, forwardedFor, this.config.trustProxy);
  }

  async close(): Promise<void> {
    await this.throttle.close();
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

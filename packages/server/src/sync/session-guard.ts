/**
 * A session that ends must end everywhere (docs/security.md, class 4). Sign-out, expiry, a role
 * change and removal of the user each close every `/collab` document opened with that session
 * (or by that user) with 4401 and a reason starting `session ended`, on every instance:
 *
 * - at once, through the Bus: Sessions announce every session they end (sessions.ts), and
 *   every instance closes the matching connections it holds;
 * - within `recheckMs` in any case: the sessions of all open connections are looked up in one
 *   query and checked (gone, expired, or the user's role changed), which also catches changes
 *   made by another process (the CLI) and a message lost on the way;
 * - and a message arriving on a connection whose session this instance knows has ended is
 *   refused before it is read (beforeHandleMessage), even if the close has not happened yet.
 */
import type { beforeHandleMessagePayload, connectedPayload, Connection, Extension, Hocuspocus, onConfigurePayload } from '@hocuspocus/server';
import type { Sessions, SessionsEnded } from '../auth/sessions.js';
import { CLOSE_REASONS } from '@pitboard/job-model';
import { closeEventFor, PitboardError, SyncRefusal } from '../errors.js';
import type { Logger } from '../log.js';
import type { Bus } from '../scale/bus.js';
import type { Storage } from '../storage/index.js';
import type { ConnectionContext } from './context.js';

export const SESSION_ENDED_CODE = CLOSE_REASONS.session_ended.closeCode;

export class SessionEndedError extends PitboardError {
  constructor(why: string) {
    super(401, `session ended: ${why}`, SESSION_ENDED_CODE, 'session_ended');
  }
}

type BusMessage = { t: 'sessions-ended' } & SessionsEnded;

/** The Bus message announcing ended sessions (also sent by the CLI, through Redis). */
export function sessionsEndedMessage(ended: SessionsEnded): BusMessage {
  return { t: 'sessions-ended', ...ended };
}

/** How long an ended session or user is remembered for the per-message check (the re-check covers the rest). */
const REMEMBER_MS = 10 * 60_000;

export class SessionGuard implements Extension {
  extensionName = 'pitboard-session-guard';
  private instance: Hocuspocus | null = null;
  private timer: NodeJS.Timeout | null = null;
  private rechecking = false;
  /** Ended session id → reason. */
  private readonly endedSessions = new Map<string, { reason: string; at: number }>();
  /** User id → when all their sessions ended (connections authenticated before then are closed). */
  private readonly endedUsers = new Map<string, { reason: string; at: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly sessions: () => Sessions,
    private readonly bus: Bus,
    private readonly log: Logger,
    private readonly recheckMs: number
  ) {
    bus.subscribe((m) => {
      const message = m as BusMessage;
      if (message?.t === 'sessions-ended') this.apply(message);
    });
  }

  /** Tells every instance (this one included) that these sessions ended. */
  announce(ended: SessionsEnded): void {
    this.bus.publish(sessionsEndedMessage(ended));
  }

  async onConfigure({ instance }: onConfigurePayload): Promise<void> {
    this.instance = instance;
    this.timer = setInterval(() => void this.recheck(), this.recheckMs);
    this.timer.unref();
  }

  async onDestroy(): Promise<void> {
    this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async beforeHandleMessage({ context }: beforeHandleMessagePayload<ConnectionContext>): Promise<void> {
    const why = this.endedFor(context);
    // Hocuspocus reads `code` and `reason` from what a hook throws.
    if (why) throw new SyncRefusal(new SessionEndedError(why));
  }

  /** A connection that authenticated just before its session ended, and got established just after. */
  async connected({ context, connection }: connectedPayload<ConnectionContext> & { connection: Connection }): Promise<void> {
    const why = this.endedFor(context);
    if (why) this.close(connection, why);
  }

  private endedFor(context: Partial<ConnectionContext> | undefined): string | null {
    if (!context?.sessionId || !context.user) return null;
    const session = this.endedSessions.get(context.sessionId);
    if (session) return session.reason;
    const user = this.endedUsers.get(context.user.id);
    if (user && (context.authenticatedAt ?? 0) <= user.at) return user.reason;
    return null;
  }

  private apply(ended: SessionsEnded): void {
    const now = Date.now();
    this.forget(now);
    for (const id of ended.sessionIds ?? []) this.endedSessions.set(id, { reason: ended.reason, at: now });
    if (ended.userId) this.endedUsers.set(ended.userId, { reason: ended.reason, at: now });
    let closed = 0;
    for (const { connection, context } of this.connections()) {
      const why = this.endedFor(context);
      if (why) closed += this.close(connection, why);
    }
    if (closed) this.log.info('closed connections of ended sessions', { closed, reason: ended.reason });
  }

  /** Every open connection's session, checked against storage in one query. */
  async recheck(): Promise<void> {
    if (this.rechecking) return;
    this.rechecking = true;
    try {
      const open = [...this.connections()];
      if (open.length === 0) return;
      const found = await this.storage.getSessions([...new Set(open.map((c) => c.context.sessionId))]);
      const now = Date.now();
      const sessions = this.sessions();
      for (const { connection, context } of open) {
        const stored = found.get(context.sessionId);
        let why: string | null = null;
        if (!stored) why = 'signed out';
        else if (sessions.expired(stored.session, now)) why = 'session expired';
        else if (stored.user.role !== context.user.role) why = 'role changed';
        if (why) this.close(connection, why);
      }
    } catch (error) {
      this.log.warn('session re-check failed', { error });
    } finally {
      this.rechecking = false;
    }
  }

  private *connections(): Generator<{ connection: Connection; context: ConnectionContext }> {
    for (const document of this.instance?.documents.values() ?? []) {
      for (const connection of document.getConnections()) {
        const context = connection.context as Partial<ConnectionContext> | undefined;
        if (context?.sessionId && context.user) yield { connection, context: context as ConnectionContext };
      }
    }
  }

  private close(connection: Connection, why: string): number {
    connection.close(closeEventFor(new SessionEndedError(why)));
    return 1;
  }

  private forget(now: number) {
    for (const map of [this.endedSessions, this.endedUsers]) {
      for (const [k, v] of map) if (now - v.at > REMEMBER_MS) map.delete(k);
    }
  }
}

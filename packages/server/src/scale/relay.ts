/**
 * Whether this instance's relay to the others (every Redis connection it holds: the document
 * extension's and the bus's) is up. While one is down the instance still serves its own
 * clients, but hears nothing from the other instances: `/healthz` says so (see `relayCheck`).
 * When all are back, the recovery steps run (documents caught up, inboxes told to ask again)
 * before the relay counts as up again.
 */
import type { Redis } from 'ioredis';
import type { CheckResult } from '../health/checks.js';
import type { Logger } from '../log.js';

type Recovery = () => Promise<void>;

export class RelayMonitor {
  private state: 'up' | 'down' | 'recovering' = 'down';
  private downSince = new Date();
  private lastError = '';
  /** Bumped on every loss: a recovery that started before a newer loss does not count. */
  private generation = 0;
  private readonly recoveries: Recovery[] = [];
  /** Times the relay came back after being lost (not counting the first connection). */
  recovered = 0;
  private connectedOnce = false;
  private stopped = false;

  constructor(
    private readonly clients: Redis[],
    private readonly log: Logger
  ) {
    for (const client of clients) {
      for (const event of ['ready', 'close', 'end', 'reconnecting'] as const) client.on(event, () => this.evaluate());
      client.on('error', (error: Error) => (this.lastError = error.message));
    }
    this.evaluate();
  }

  /** Runs after every reconnection, before the relay counts as up (in the order added). */
  onRecovered(step: Recovery): void {
    this.recoveries.push(step);
  }

  /** Up and caught up. */
  get up(): boolean {
    return this.state === 'up';
  }

  /** Every connection is open (it may still be catching up). */
  get connected(): boolean {
    return this.allReady();
  }

  /** Shutting down: the connections closing next are not an outage. */
  stop(): void {
    this.stopped = true;
  }

  /** The `relay` check of `/healthz`. */
  check(): CheckResult {
    if (this.state === 'up') return { ok: true };
    const since = this.downSince.toISOString();
    if (this.state === 'recovering') return { ok: false, reason: `redis reconnected; catching up on what was missed since ${since}` };
    const why = this.lastError ? ` (${this.lastError})` : '';
    return { ok: false, reason: this.connectedOnce ? `redis unreachable since ${since}${why}` : `not connected to redis yet${why}` };
  }

  private allReady(): boolean {
    return this.clients.every((c) => c.status === 'ready');
  }

  private evaluate(): void {
    if (this.stopped) return;
    if (!this.allReady()) {
      if (this.state !== 'down') {
        this.state = 'down';
        this.downSince = new Date();
        this.generation += 1;
        this.log.warn('redis relay down: this instance no longer hears the others', { since: this.downSince.toISOString() });
      }
      return;
    }
    if (this.state === 'down') void this.recover();
  }

  private async recover(): Promise<void> {
    this.state = 'recovering';
    const generation = this.generation;
    try {
      // A PING answered on each connection comes after the subscriptions ioredis re-sends on
      // reconnect, so nothing published from here on can be missed.
      await Promise.all(this.clients.map((c) => c.ping()));
      for (const step of this.recoveries) await step();
    } catch (error) {
      this.log.warn('redis relay recovery failed; trying again in 1 s', { error });
      if (generation === this.generation) {
        // Still connected but the catch-up failed (storage?): try again rather than report up.
        setTimeout(() => generation === this.generation && this.allReady() && void this.recover(), 1000).unref();
      }
      return;
    }
    if (generation !== this.generation || !this.allReady()) return; // lost again meanwhile
    this.state = 'up';
    if (this.connectedOnce) {
      this.recovered += 1;
      this.log.info('redis relay back up; caught up', { downSince: this.downSince.toISOString() });
    }
    this.connectedOnce = true;
  }
}

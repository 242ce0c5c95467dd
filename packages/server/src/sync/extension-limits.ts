/**
 * The seed's limits, per connection: messages over `maxMessageBytes` never get this far (the
 * WebSocket server refuses them), and a client sending faster than its token bucket allows is
 * closed with 4429 and a reason — the others are unaffected. Counts messages in and out for
 * /metrics.
 */
import type { beforeHandleMessagePayload, Extension, onChangePayload } from '@hocuspocus/server';
import { CLOSE_REASONS } from '@pitboard/job-model';
import { PitboardError, SyncRefusal } from '../errors.js';
import type { Logger } from '../log.js';
import { logRefusal } from './refusal-log.js';

export interface RateLimitOptions {
  /** Sustained messages per second per connection. */
  perSecond: number;
  /** Messages allowed in a burst. */
  burst: number;
}

class TooManyMessagesError extends PitboardError {
  constructor() {
    super(429, CLOSE_REASONS.rate_limited.text, 4429, 'rate_limited');
  }
}

export class MessageLimits implements Extension {
  extensionName = 'pitboard-limits';
  messagesIn = 0;
  /** Updates broadcast to connections (each change goes to every connection but its sender). */
  messagesOut = 0;
  /** Documents closed because their connection sent faster than the bucket allows. */
  rateLimited = 0;
  // Kept hand-written rather than rate-limiter-flexible (which the login throttle uses): this
  // runs on every sync message, and a token bucket keyed by the socket object in a WeakMap is
  // synchronous, needs no key strings, timers or promises, and goes away with its socket.
  private readonly buckets = new WeakMap<object, { tokens: number; at: number }>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly log?: Logger
  ) {}

  async beforeHandleMessage({ connection, documentName, context }: beforeHandleMessagePayload): Promise<void> {
    this.messagesIn += 1;
    const now = performance.now();
    const key = connection.webSocket as unknown as object;
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) {
      this.rateLimited += 1;
      const error = new TooManyMessagesError();
      const userId = (context as { user?: { id?: string } } | undefined)?.user?.id ?? null;
      if (this.log) logRefusal(this.log, { code: error.closeCode, reason: error.reason, document: documentName, userId });
      throw new SyncRefusal(error);
    }
    bucket.tokens -= 1;
    this.buckets.set(key, bucket);
  }

  async onChange({ document, connection }: onChangePayload): Promise<void> {
    this.messagesOut += Math.max(0, document.getConnectionsCount() - (connection ? 1 : 0));
  }
}

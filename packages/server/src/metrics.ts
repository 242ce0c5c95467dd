/**
 * The Prometheus metrics of `/metrics`, on prom-client. Each Pitboard instance has its own
 * Registry (not prom-client's global one), so several servers in one process (tests, benches)
 * keep separate figures. Gauges and counters whose value lives elsewhere (connection counts,
 * message counters) are read when scraped, through prom-client's `collect`.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from half a millisecond (a storage append) to 5 s (a stalled hook). */
const BUCKETS_SECONDS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/** A histogram fed in milliseconds (what `performance.now()` differences give), exposed in seconds. */
export interface MillisecondsHistogram {
  observe(ms: number): void;
}

export class Metrics {
  readonly registry = new Registry();
  readonly hookSeconds = this.histogram('pitboard_hook_duration_seconds', 'Time to turn one job change into stored notifications');
  readonly deliveryLagSeconds = this.histogram('pitboard_notification_delivery_lag_seconds', 'Age of a notification when it is pushed live');
  readonly storageWriteSeconds = this.histogram('pitboard_storage_append_seconds', 'Time to append one accepted update to the log');

  /** A gauge computed when scraped: one value, or one value per label (e.g. per role). */
  gauge(name: string, help: string, read: () => number | Record<string, number>, label = 'kind'): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        const value = read();
        this.reset(); // a label gone since the last scrape is not shown again
        if (typeof value === 'number') this.set(value);
        else for (const [k, v] of Object.entries(value)) this.set({ [label]: k }, v);
      }
    });
  }

  /** A counter read when scraped (Prometheus derives rates: messages per second). */
  counter(name: string, help: string, read: () => number): void {
    new Counter({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(read());
      }
    });
  }

  /** The exposition text, and its content type (`text/plain; version=0.0.4`). */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private histogram(name: string, help: string): MillisecondsHistogram {
    const histogram = new Histogram({ name, help, buckets: BUCKETS_SECONDS, registers: [this.registry] });
    return { observe: (ms) => histogram.observe(ms / 1000) };
  }
}

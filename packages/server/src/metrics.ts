/**
 * A few Prometheus metrics, kept in memory and rendered as text on `/metrics`. Histograms use
 * fixed buckets in milliseconds.
 */
const BUCKETS_MS = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

export class Histogram {
  private readonly counts = new Array<number>(BUCKETS_MS.length).fill(0);
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string
  ) {}

  observe(ms: number): void {
    this.sum += ms;
    this.count += 1;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) this.counts[i]! += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    BUCKETS_MS.forEach((b, i) => lines.push(`${this.name}_bucket{le="${b / 1000}"} ${this.counts[i]}`));
    lines.push(`${this.name}_bucket{le="+Inf"} ${this.count}`, `${this.name}_sum ${this.sum / 1000}`, `${this.name}_count ${this.count}`);
    return lines.join('\n');
  }
}

export class Metrics {
  readonly hookSeconds = new Histogram('pitboard_hook_duration_seconds', 'Time to turn one job change into stored notifications');
  readonly deliveryLagSeconds = new Histogram('pitboard_notification_delivery_lag_seconds', 'Age of a notification when it is pushed live');
  readonly storageWriteSeconds = new Histogram('pitboard_storage_append_seconds', 'Time to append one accepted update to the log');
  private readonly gauges: (() => string)[] = [];

  /** A gauge computed when scraped. */
  gauge(name: string, help: string, read: () => number | Record<string, number>, label = 'kind'): void {
    this.gauges.push(() => {
      const value = read();
      const head = `# HELP ${name} ${help}\n# TYPE ${name} gauge`;
      if (typeof value === 'number') return `${head}\n${name} ${value}`;
      return `${head}\n${Object.entries(value)
        .map(([k, v]) => `${name}{${label}="${k}"} ${v}`)
        .join('\n')}`;
    });
  }

  /** A counter read when scraped (Prometheus derives rates: messages per second). */
  counter(name: string, help: string, read: () => number): void {
    this.gauges.push(() => `# HELP ${name} ${help}\n# TYPE ${name} counter\n${name} ${read()}`);
  }

  render(): string {
    return [...this.gauges.map((g) => g()), this.hookSeconds.render(), this.deliveryLagSeconds.render(), this.storageWriteSeconds.render()].join('\n') + '\n';
  }
}

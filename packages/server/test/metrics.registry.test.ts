/**
 * The Metrics facade on prom-client (src/metrics.ts): one Registry per instance, values read
 * when scraped, histograms fed in milliseconds and exposed in seconds, and a name that would make
 * the exposition invalid (a second family of the same name, a malformed name) refused when it is
 * registered instead of being rendered.
 */
import { describe, expect, it } from 'vitest';
import { Metrics } from '../src/metrics.js';

const sample = (text: string, line: RegExp) => Number(text.match(line)?.[1] ?? NaN);

describe('Metrics', () => {
  it('refuses a second metric of the same name, and a name Prometheus cannot read', () => {
    const m = new Metrics();
    m.gauge('pitboard_open_connections', 'Open WebSocket connections', () => 1);
    expect(() => m.gauge('pitboard_open_connections', 'again', () => 2)).toThrow(/already been registered/);
    expect(() => m.counter('pitboard_open_connections', 'again', () => 2)).toThrow(/already been registered/);
    expect(() => m.counter('pitboard messages', 'a space', () => 2)).toThrow(/Invalid metric name/);
    expect(() => m.gauge('pitboard_by_role', 'a bad label', () => ({ a: 1 }), 'the role')).toThrow(/Invalid label name/);
  });

  it('keeps each instance’s figures apart (several servers in one process)', async () => {
    const a = new Metrics();
    const b = new Metrics();
    let received = 0;
    a.counter('pitboard_messages_received_total', 'Sync messages received', () => received);
    b.counter('pitboard_messages_received_total', 'Sync messages received', () => 99);
    a.hookSeconds.observe(3);
    received = 5;
    const [ta, tb] = [await a.render(), await b.render()];
    expect(sample(ta, /^pitboard_messages_received_total (\d+)$/m)).toBe(5);
    expect(sample(tb, /^pitboard_messages_received_total (\d+)$/m)).toBe(99);
    expect(sample(ta, /^pitboard_hook_duration_seconds_count (\d+)$/m)).toBe(1);
    expect(sample(tb, /^pitboard_hook_duration_seconds_count (\d+)$/m)).toBe(0);
  });

  it('reads gauges and counters at each scrape; a label gone since the last scrape is not shown', async () => {
    const m = new Metrics();
    let byRole: Record<string, number> = { manager: 1, mechanic: 2 };
    let sent = 3;
    m.gauge('pitboard_open_connections_by_role', 'Signed-in clients by role', () => byRole, 'role');
    m.counter('pitboard_messages_sent_total', 'Document updates broadcast', () => sent);
    const first = await m.render();
    expect(first).toMatch(/^pitboard_open_connections_by_role\{role="mechanic"\} 2$/m);
    expect(first).toMatch(/^pitboard_messages_sent_total 3$/m);
    byRole = { manager: 4 };
    sent = 10;
    const second = await m.render();
    expect(second).toMatch(/^pitboard_open_connections_by_role\{role="manager"\} 4$/m);
    expect(second).not.toMatch(/role="mechanic"/);
    expect(second).toMatch(/^pitboard_messages_sent_total 10$/m);
    expect(second).toMatch(/^# TYPE pitboard_messages_sent_total counter$/m);
  });

  it('takes milliseconds and exposes seconds, in the buckets dashboards use', async () => {
    const m = new Metrics();
    m.storageWriteSeconds.observe(3); // 3 ms
    m.storageWriteSeconds.observe(1500); // 1.5 s
    const text = await m.render();
    const bucket = (le: string) => sample(text, new RegExp(`^pitboard_storage_append_seconds_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)$`, 'm'));
    expect([bucket('0.002'), bucket('0.005'), bucket('1'), bucket('5'), bucket('+Inf')]).toEqual([0, 1, 1, 2, 2]);
    expect(sample(text, /^pitboard_storage_append_seconds_sum ([\d.]+)$/m)).toBeCloseTo(1.503, 6);
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

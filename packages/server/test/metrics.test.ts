import { readJob, setItemDone } from '@pitboard/job-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, type TestServer } from './helpers/server.js';

describe('GET /metrics (Prometheus text)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.stop());

  it('counts connections by role, messages, hook time, delivery lag, documents and storage writes', async () => {
    const boss = await createUser(t.pitboard, 'manager');
    const theo = await createUser(t.pitboard, 'mechanic');
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'M', customer: { name: 'C' }, items: ['A'], mechanicId: theo.id });
    const inbox = await connect(t.wsUrl, `inbox:${boss.id}`, boss.token);
    const a = await connect(t.wsUrl, `job:${body.id}`, theo.token);
    const b = await connect(t.wsUrl, `job:${body.id}`, boss.token);
    setItemDone(a.doc, readJob(a.doc).items[0]!.id, true, theo.id, new Date().toISOString());
    await a.settled();
    await t.pitboard.projector.idle();
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    const value = (line: RegExp) => Number(text.match(line)?.[1] ?? NaN);
    expect(value(/^pitboard_open_connections_by_role\{role="manager"\} (\d+)$/m)).toBe(1);
    expect(value(/^pitboard_messages_received_total (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pitboard_messages_sent_total (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pitboard_hook_duration_seconds_count (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pitboard_notification_delivery_lag_seconds_count (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pitboard_storage_append_seconds_count (\d+)$/m)).toBeGreaterThan(0);
    expect(value(/^pitboard_loaded_documents (\d+)$/m)).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^pitboard_redis_errors_total 0$/m);
    expect(text).toMatch(/^pitboard_rate_limited_total 0$/m);
    expect(problems(text)).toEqual([]);
    for (const c of [inbox, a, b]) c.close();
  });
});

/**
 * What a scraper would object to in the text exposition format: a family declared twice or not
 * declared, a malformed sample, histogram buckets that are not cumulative or do not end at
 * `+Inf` = `_count`.
 */
function problems(text: string): string[] {
  const found: string[] = [];
  const types = new Map<string, string>();
  const buckets = new Map<string, [number, number][]>();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (types.has(meta[2]!)) found.push(`declared twice: ${meta[2]}`);
        if (!['counter', 'gauge', 'histogram'].includes(meta[3]!)) found.push(`type: ${line}`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_]\w*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)$/.exec(line);
    if (!m || Number.isNaN(Number(m[3]))) {
      found.push(`malformed: ${line}`);
      continue;
    }
    const [, name, labels, value] = m as unknown as [string, string, string | undefined, string];
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(family)) found.push(`undeclared: ${name}`);
    if (types.get(family) === 'histogram' && name.endsWith('_bucket')) {
      const le = /le="([^"]+)"/.exec(labels ?? '')?.[1] ?? '';
      buckets.set(family, [...(buckets.get(family) ?? []), [le === '+Inf' ? Infinity : Number(le), Number(value)]]);
    }
    if (types.get(family) === 'histogram' && name.endsWith('_count')) counts.set(family, Number(value));
  }
  for (const [family, list] of buckets) {
    const sorted = list.every(([le, n], i) => i === 0 || (le > list[i - 1]![0] && n >= list[i - 1]![1]));
    if (!sorted) found.push(`buckets not cumulative: ${family}`);
    if (list.at(-1)![0] !== Infinity || list.at(-1)![1] !== counts.get(family)) found.push(`+Inf is not _count: ${family}`);
  }
  return found;
}

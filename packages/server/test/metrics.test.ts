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
    for (const c of [inbox, a, b]) c.close();
  });
});

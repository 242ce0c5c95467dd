/**
 * Class 10, metrics: with METRICS_TOKEN set, `/metrics` answers only a scrape that carries it
 * as a Bearer token; the shipped nginx config keeps `/metrics` off the public side.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startTestServer, type TestServer } from '../helpers/server.js';

const TOKEN = 'scrape-secret-0123456789';

describe('class 10: /metrics needs METRICS_TOKEN when it is set', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.stop());

  const scrape = (authorization?: string) => fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('refuses a scrape without the token, with a wrong one, or with a user session token', async () => {
    const manager = await createUser(t.pitboard, 'manager');
    for (const auth of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, `Bearer ${manager.token}`]) {
      const res = await scrape(auth);
      expect(res.status, String(auth)).toBe(401);
      expect(await res.text()).not.toContain('pitboard_');
    }
  });

  it('answers a scrape with the token', async () => {
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^pitboard_open_connections \d+$/m);
  });

  it('the shipped nginx config does not pass /metrics to the public', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const conf = fs.readFileSync(path.resolve(here, '../../../../deploy/nginx.conf'), 'utf8');
    expect(conf).toMatch(/location\s*\^~\s*\/metrics\s*\{[^}]*deny all;/);
  });
});

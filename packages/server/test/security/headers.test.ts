/**
 * Class 10, response headers: every answer (the API's and the pages handler's) carries
 * nosniff, no framing, a Referrer-Policy, and HSTS exactly when PUBLIC_URL is https; API
 * answers carry a CSP that allows nothing and `Cache-Control: private, no-store`.
 * (The pages' own CSP and their Cache-Control are pinned in Chromium:
 * apps/web/test/e2e/security-headers.e2e.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { createPitboard } from '../../src/pitboard.js';
import { createUser, testDatabase } from '../helpers/server.js';

async function start(publicUrl: string): Promise<RunningServer & { pitboard: Awaited<ReturnType<typeof createPitboard>> }> {
  const db = await testDatabase();
  const config = loadConfig({ ...db.env, PITBOARD_DEMO: '0', HOST: '127.0.0.1', PUBLIC_URL: publicUrl } as NodeJS.ProcessEnv, { port: 0 });
  const pitboard = await createPitboard(config, createLogger('silent'));
  // A stand-in for the pages handler, as production puts SvelteKit's behind the core.
  const server = await startServer(pitboard, {
    fallback: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><p>page</p>');
    }
  });
  return Object.assign(server, { pitboard });
}

describe('class 10: response headers', () => {
  let plain: Awaited<ReturnType<typeof start>>;
  let tls: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    plain = await start('http://localhost:3000');
    tls = await start('https://workshop.example');
  });
  afterAll(() => Promise.all([plain.stop(), tls.stop()]));

  const expectBase = (h: Headers) => {
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('same-origin');
  };

  it('API answers: nosniff, no framing, Referrer-Policy, a CSP that allows nothing; no HSTS over http', async () => {
    for (const p of ['/api/me', '/healthz', '/api/nope', '/metrics']) {
      const res = await fetch(plain.url + p);
      expectBase(res.headers);
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('pages get the same base headers (their CSP is SvelteKit’s)', async () => {
    const res = await fetch(`${plain.url}/board`);
    expect(await res.text()).toContain('page');
    expectBase(res.headers);
  });

  it('HSTS when PUBLIC_URL is https, on API answers and pages alike', async () => {
    for (const p of ['/healthz', '/login']) {
      const res = await fetch(tls.url + p);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
      expectBase(res.headers);
    }
  });

  it('API answers with personal data are private, no-store', async () => {
    const user = await createUser(plain.pitboard, 'manager');
    const res = await fetch(`${plain.url}/api/me`, { headers: { authorization: `Bearer ${user.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });
});

/**
 * Privacy: what a share-link viewer (and a signed-in customer) receives never holds an internal
 * note — not in any HTTP response body, not in the live stream, not in any WebSocket frame.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type App, DEMO, phone, screenshot, signIn, useApp } from './harness.js';

const poll = { timeout: 15_000, interval: 100 };

/** Records every response body, every WebSocket frame and every Server-Sent Event the page gets. */
function recordTraffic(page: Page) {
  const bodies: { url: string; body: string; encoding: string }[] = [];
  const frames: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    // An event stream never ends: its events are recorded in the page (below).
    if (type.includes('text/event-stream')) return;
    pending.push(
      response
        .body()
        // Playwright hands over the decoded body; the encoding tells what went over the wire.
        .then((b) => void bodies.push({ url: response.url(), body: b.toString('utf8'), encoding: response.headers()['content-encoding'] ?? 'identity' }))
        .catch(() => undefined)
    );
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => void frames.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1')));
  });
  return {
    bodies,
    frames,
    settled: () => Promise.all(pending),
    events: () => page.evaluate(() => (window as unknown as { __sse: string[] }).__sse ?? [])
  };
}

/** Wraps EventSource so the test sees every event's data as the page received it. */
const sseRecorder = () => {
  const w = window as unknown as { __sse: string[]; EventSource: typeof EventSource };
  w.__sse = [];
  const Original = w.EventSource;
  w.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      for (const type of ['view', 'gone', 'message']) this.addEventListener(type, (e) => w.__sse.push(`${type}:${(e as MessageEvent).data}`));
    }
  } as typeof EventSource;
};

describe('privacy', () => {
  let app: App;
  let browser: Browser;
  useApp((a, b) => {
    app = a;
    browser = b;
  });

  it('a share page never receives internal notes, over HTTP, the live stream or WebSockets', async () => {
    const marker = `INTERNAL-${randomBytes(6).toString('hex')}`;
    const later = `INTERNAL-LATER-${randomBytes(6).toString('hex')}`;
    const manager = await signIn(browser, app, DEMO.manager);
    // The manager's session cookie, sent as the page's own fetch would: with our Origin
    // (cookie-authenticated writes need it, docs/security.md).
    const request = manager.page.request;
    const api = {
      post: (url: string, options: { data: unknown }) => request.post(url, { ...options, headers: { origin: app.url } }),
      get: (url: string) => request.get(url)
    };

    // A job for the signed-in demo customer, with an internal note carrying the marker.
    const created = await api.post('/api/jobs', { data: { bike: 'Canyon Grail', customer: { name: 'Chris Rider', email: DEMO.customer }, items: ['Replace chain', 'Check brakes'] } });
    expect(created.status()).toBe(201);
    const { id, shareUrl } = (await created.json()) as { id: string; shareUrl: string };
    expect((await api.post(`/api/jobs/${id}/notes`, { data: { text: `Customer was rude about the price ${marker}`, visibility: 'internal' } })).status()).toBe(201);
    expect((await api.post(`/api/jobs/${id}/notes`, { data: { text: 'We found a worn chainring too', visibility: 'customer' } })).status()).toBe(201);
    const job = (await (await api.get(`/api/jobs/${id}`)).json()) as { items: { id: string }[] };

    // The share-link viewer, no account.
    const viewer = await browser.newContext({ viewport: phone });
    await viewer.addInitScript(sseRecorder);
    const p = await viewer.newPage();
    const traffic = recordTraffic(p);
    await p.goto(shareUrl);
    await expect.poll(() => p.getByText('We found a worn chainring too').count(), poll).toBe(1);

    // The signed-in customer follows the same job on their own pages (inbox over WebSocket).
    const customer = await signIn(browser, app, DEMO.customer, { viewport: phone });
    const customerTraffic = recordTraffic(customer.page);
    await customer.page.goto(`/c/jobs/${id}`);
    await expect.poll(() => customer.page.getByText('We found a worn chainring too').count(), poll).toBe(1);

    // While both watch: another internal note, a tick, then a customer note to know the changes arrived.
    expect((await api.post(`/api/jobs/${id}/notes`, { data: { text: `Staff only ${later}`, visibility: 'internal' } })).status()).toBe(201);
    expect((await api.post(`/api/jobs/${id}/items/${job.items[0]!.id}`, { data: { done: true } })).status()).toBe(200);
    expect((await api.post(`/api/jobs/${id}/notes`, { data: { text: 'Chainring ordered, no extra charge', visibility: 'customer' } })).status()).toBe(201);
    await expect.poll(() => p.getByText('Chainring ordered, no extra charge').count(), poll).toBe(1);
    await expect.poll(() => p.getByText('1 of 2 done').count(), poll).toBe(1);
    await expect.poll(() => customer.page.getByText('Chainring ordered, no extra charge').count(), poll).toBe(1);
    await screenshot(p, 'privacy-share-page');
    await screenshot(customer.page, 'privacy-customer-page');

    await traffic.settled();
    await customerTraffic.settled();
    const events = await traffic.events();
    expect(traffic.bodies.length).toBeGreaterThan(0);
    // The share page went out compressed, and what is searched below is its readable text.
    const sharePage = traffic.bodies.find((b) => new URL(b.url).pathname === new URL(shareUrl).pathname);
    expect(sharePage?.encoding).toMatch(/^(gzip|br)$/);
    expect(sharePage?.body).toContain('Canyon Grail');
    expect(events.length).toBeGreaterThan(1); // the first view and at least one live update
    expect(customerTraffic.frames.length).toBeGreaterThan(0);
    for (const secret of [marker, later]) {
      for (const { url, body } of [...traffic.bodies, ...customerTraffic.bodies]) expect(body.includes(secret), url).toBe(false);
      for (const e of events) expect(e).not.toContain(secret);
      for (const f of [...traffic.frames, ...customerTraffic.frames]) expect(f).not.toContain(secret);
      expect(await p.content()).not.toContain(secret);
      expect(await customer.page.content()).not.toContain(secret);
    }
    // The staff view does hold it (the test would prove nothing otherwise).
    expect(JSON.stringify(await (await api.get(`/api/jobs/${id}`)).json())).toContain(marker);

    await viewer.close();
    await customer.context.close();
    await manager.context.close();
  });
});

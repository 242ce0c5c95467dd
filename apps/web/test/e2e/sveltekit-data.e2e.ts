/**
 * The built app's real `__data.json` answers, read through the service worker's adapter
 * (src/lib/sw/sveltekit-data.ts): the mechanic screen asks for its server data at the path the
 * adapter names, the answer is what it calls data, and signed out it is a redirect. A SvelteKit
 * upgrade that changes the format or the URL fails here, not silently in the offline journey.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { dataKind, dataPathOf, isDataRequest } from '../../src/lib/sw/sveltekit-data.js';
import { type App, DEMO, signIn, useApp } from './harness.js';

let app: App;
let browser: Browser;
useApp((a, b) => {
  app = a;
  browser = b;
});

describe("SvelteKit's __data.json, as the service worker reads it", () => {
  it('the mechanic screen fetches its data where the adapter says, and it is data', async () => {
    const { context, page } = await signIn(browser, app, DEMO.mechanic);
    // The paths the page itself asks for its server data (answered by the server or the worker).
    const asked: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (isDataRequest(url.pathname)) asked.push(url.pathname);
    });
    await page.goto('/m', { waitUntil: 'networkidle' });
    await expect.poll(() => asked.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(asked).toContain(dataPathOf('/m'));
    // The same request with the page's cookies: the answer the worker keeps for offline use.
    const body = await (await context.request.get(`${app.url}${dataPathOf('/m')}`)).text();
    expect(dataKind(body)).toBe('data');
    expect(body).toContain(DEMO.mechanic);
    await context.close();
  });

  it('signed out, the same request answers a redirect (the worker then forgets the kept data)', async () => {
    const res = await fetch(`${app.url}${dataPathOf('/m')}`);
    expect(res.status).toBe(200);
    expect(dataKind(await res.text())).toBe('redirect');
  });

  it('anything else is neither', () => {
    expect(dataKind('<!doctype html>')).toBe('other');
    expect(dataKind('{"type":"error","error":{}}')).toBe('other');
  });
});

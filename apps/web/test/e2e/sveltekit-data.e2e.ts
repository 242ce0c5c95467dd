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
    const answers: { path: string; body: string }[] = [];
    page.on('response', async (res) => {
      const url = new URL(res.url());
      if (isDataRequest(url.pathname)) answers.push({ path: url.pathname, body: await res.text().catch(() => '') });
    });
    await page.goto('/m', { waitUntil: 'networkidle' });
    await expect.poll(() => answers.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(answers.map((a) => a.path)).toContain(dataPathOf('/m'));
    const mine = answers.find((a) => a.path === dataPathOf('/m'))!;
    expect(dataKind(mine.body)).toBe('data');
    expect(mine.body).toContain(DEMO.mechanic);
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

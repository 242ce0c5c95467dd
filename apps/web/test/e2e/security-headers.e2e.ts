/**
 * Response headers on the pages, in Chromium (docs/security.md, Response headers): every page
 * has a Content-Security-Policy with a fresh nonce and `frame-ancestors 'none'`, the app still
 * runs under it (no violation reported), signed-in pages are `private, no-store`, and another
 * site cannot frame a page.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { type App, DEMO, signIn, useApp } from './harness.js';

let app: App;
let browser: Browser;
useApp((a, b) => {
  app = a;
  browser = b;
});

describe('page headers', () => {
  it('the sign-in page has a CSP with a nonce per response and no framing', async () => {
    const [a, b] = await Promise.all([fetch(`${app.url}/login`), fetch(`${app.url}/login`)]);
    const csp = a.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(b.headers.get('content-security-policy')).not.toContain(nonce!);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    expect(a.headers.get('x-frame-options')).toBe('DENY');
  });

  it('signed-in pages work under the CSP and are private, no-store', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager);
    const violations: string[] = [];
    page.on('console', (m) => /Content Security Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
    page.on('pageerror', (e) => violations.push(String(e)));
    const response = await page.goto('/board', { waitUntil: 'networkidle' });
    expect(response!.headers()['cache-control']).toBe('private, no-store');
    expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    // Hydrated and live: the board's columns render and the app's socket is open.
    await expect.poll(() => page.getByRole('heading').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.goto('/m', { waitUntil: 'networkidle' }).catch(() => undefined);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('another site cannot frame a page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => /frame-ancestors|Refused to display/i.test(m.text()) && blocked.push(m.text()));
    // A page on another origin (about:blank with inline HTML) framing the sign-in page.
    await page.setContent(`<iframe src="${app.url}/login" width="400" height="300"></iframe>`);
    await expect.poll(() => blocked.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await context.close();
  });
});

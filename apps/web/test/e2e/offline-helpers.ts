/** Helpers shared by the offline and mechanic journeys (API as a person, waiting on the page). */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO, screenshot, useApp, type App } from './harness.js';

export interface Api {
  user: { id: string; name: string; role: string };
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
}

/** What a journey suite works with: the built app, a browser, and the demo manager's and mechanic's API clients. */
export interface DemoShop {
  app: App;
  browser: Browser;
  manager: Api;
  mechanic: Api;
}

/** Starts the app and a browser for the suite (harness `useApp`), signs in the demo manager and mechanic, hands them to `ready`. */
export function useDemoShop(ready: (shop: DemoShop) => void, env: Record<string, string> = {}): void {
  useApp(async (app, browser) => ready({ app, browser, manager: await apiAs(app, DEMO.manager), mechanic: await apiAs(app, DEMO.mechanic) }), env);
}

/** Signs in through the JSON API and calls it with the bearer token. */
export async function apiAs(app: App, email: string): Promise<Api> {
  const res = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO.password })
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  const { token, user } = (await res.json()) as { token: string; user: Api['user'] };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return { user, get: (p) => call('GET', p), post: (p, b) => call('POST', p, b ?? {}) };
}

export interface JobView {
  id: string;
  number: number;
  bike: string;
  status: string;
  items: { id: string; title: string; done: boolean }[];
  notes: { id: string; text: string; visibility: string }[];
  stuck: { open: boolean; reason: string } | null;
  qc: { pass: boolean }[];
  progress: { done: number; total: number };
}

/** Waits until the page is controlled by the service worker (it claims clients on activate). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!reg?.active && !!navigator.serviceWorker.controller;
  }, undefined, { timeout: 20_000, polling: 200 });
}

/** The status bar's text (role=status). */
export async function syncText(page: Page): Promise<string> {
  return (await page.getByRole('status', { name: 'Sync status' }).textContent()) ?? '';
}

export async function pendingCount(page: Page): Promise<number> {
  const v = await page.locator('[data-pending]').getAttribute('data-pending');
  return Number(v);
}

export async function setOffline(context: BrowserContext, offline: boolean): Promise<void> {
  await context.setOffline(offline);
}

/**
 * Polls `fn` until `ok` holds; hand-written rather than vi.waitFor because the board bench and
 * soak scripts use it too, and they run outside vitest (vi.waitFor needs its runner).
 */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  let last: T | undefined;
  for (;;) {
    try {
      last = await fn();
      if (ok(last)) return last;
    } catch {
      /* retry */
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A full-page screenshot taken from the top (the sticky status bar stays where it belongs). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}

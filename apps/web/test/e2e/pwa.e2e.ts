/**
 * The installed app: the manifest parses with no errors in Chromium (DevTools' own parser),
 * the service worker controls the start URL and it opens offline; a push reaches the service
 * worker of a closed tab and shows a system notification; a job on the device opens from its
 * replica with the network cut.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startPushEndpoint, testSubscription, type PushEndpoint } from '../../../../packages/server/test/helpers/push-endpoint.js';
import { DEMO, phone, signIn, type App, useApp } from './harness.js';
import { apiAs, setOffline, shot, until, waitForServiceWorker, type Api } from './offline-helpers.js';

/** What the tests read of the service worker's global scope (the page's types lack worker ones). */
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  clients: { matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<unknown[]> };
}

describe('installable app, push to closed tabs', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;

  useApp(
    async (a, b) => {
      app = a;
      browser = b;
      manager = await apiAs(app, DEMO.manager);
      mechanic = await apiAs(app, DEMO.mechanic);
    },
    // Our test push service speaks plain HTTP on 127.0.0.1 (production accepts https: only).
    { PUSH_ALLOW_HTTP: '1' }
  );

  it('install criteria: the manifest parses without errors, its icons load, the worker controls the start URL offline', async () => {
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string; critical: number }[]; data?: string };
    expect(manifest.url).toBe(`${app.url}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data!) as { start_url: string; display: string; icons: { src: string; sizes: string; purpose: string }[]; name: string; short_name: string };
    expect(parsed).toMatchObject({ start_url: '/', display: 'standalone', short_name: 'Pitboard' });
    const sizes = parsed.icons.map((i) => `${i.sizes} ${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '192x192 maskable', '512x512 maskable']));
    for (const icon of [...parsed.icons.map((i) => i.src), '/icons/apple-touch-icon.png']) {
      const r = await fetch(`${app.url}${icon}`);
      expect(r.status, icon).toBe(200);
      expect(r.headers.get('content-type'), icon).toBe('image/png');
    }
    const links = await page.evaluate(() => ({
      manifest: document.querySelector('link[rel=manifest]')?.getAttribute('href'),
      apple: document.querySelector('link[rel=apple-touch-icon]')?.getAttribute('href')
    }));
    expect(links).toEqual({ manifest: expect.stringMatching(/manifest\.webmanifest$/), apple: expect.stringMatching(/apple-touch-icon\.png$/) });
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    // A Playwright context is an off-the-record profile, where Chromium never offers to install;
    // every other check (manifest, icons, service worker, start URL) must pass.
    expect(installability.installabilityErrors.map((e) => e.errorId).filter((e) => e !== 'in-incognito')).toEqual([]);

    // The start URL: online, `/` sends the mechanic to their home; the worker controls it.
    await page.goto('/');
    await page.waitForURL('**/m');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();
    // Offline, as an installed app starts: `/` again, from the worker alone.
    await setOffline(context, true);
    const offline = await context.newPage();
    await offline.goto('/');
    await offline.waitForURL('**/m');
    await offline.getByRole('heading', { name: 'My jobs' }).waitFor({ timeout: 15_000 });
    expect(await offline.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await shot(offline, 'pwa-start-url-offline');
    await context.close();
  });

  it("a push reaches the service worker of a closed tab and shows a system notification", async () => {
    const push: PushEndpoint = await startPushEndpoint();
    try {
      const context = await browser.newContext({ baseURL: app.url, viewport: phone, permissions: ['notifications'] });
      const page = await context.newPage();
      await page.goto('/login', { waitUntil: 'networkidle' });
      await page.getByLabel('Email').fill(DEMO.mechanic);
      await page.getByLabel('Password').fill(DEMO.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL('**/m');
      await waitForServiceWorker(page);
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));

      // Headless Chromium cannot reach a real push service (no network to FCM here), so the
      // browser's own PushManager.subscribe cannot complete. The subscription is therefore the
      // test's (keys it holds) on its own push service; the server encrypts for it, the test
      // decrypts what arrived, and DevTools hands exactly that payload to the service worker.
      const subscription = testSubscription(`${push.url}/device`);
      await mechanic.post('/api/push/subscriptions', subscription.json);
      // DevTools is attached to a blank tab of the same browser: no page of the app stays open.
      const blank = await context.newPage();
      const cdp = await context.newCDPSession(blank);
      await cdp.send('ServiceWorker.enable');
      const registrations: { registrationId: string; scopeURL: string }[] = [];
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string }[] }) => registrations.push(...e.registrations));
      const registration = await until(async () => registrations.find((r) => r.scopeURL === `${app.url}/`), (r) => !!r, 10_000, 'the registration');

      // The tab closes; the browser (context) stays, as on a phone.
      await page.close();
      const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Pinarello push test', customer: { name: 'Push Tester' }, items: ['Headset'], mechanicId: mechanic.user.id });
      await until(async () => push.received.length, (n) => n === 1, 10_000, 'the push at our push service');
      const payload = subscription.open(push.received[0]!) as { title: string; url: string };
      expect(payload).toMatchObject({ kind: 'assigned', url: `/m/jobs/${id}` });

      await cdp.send('ServiceWorker.deliverPushMessage', { origin: app.url, registrationId: registration!.registrationId, data: JSON.stringify(payload) });
      const shown = await until(
        () => worker.evaluate(async () => (await (self as unknown as WorkerScope).registration.getNotifications()).map((n: Notification) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }))),
        (list) => list.length === 1,
        10_000,
        'the system notification'
      );
      expect(shown[0]).toEqual({ title: payload.title, body: expect.any(String), tag: `assigned:${id}`, data: { url: `/m/jobs/${id}` } });
      // The worker had no window of the app: the tab was closed.
      expect(await worker.evaluate(async () => (await (self as unknown as WorkerScope).clients.matchAll({ type: 'window', includeUncontrolled: true })).length)).toBe(0);
      expect(context.pages().map((p) => p.url())).toEqual(['about:blank']);
      await context.close();
    } finally {
      await push.close();
    }
  });

  it('a job already on the device opens from its replica with the network cut', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Orbea replica test', customer: { name: 'Replica Tester' }, items: ['Bottom bracket', 'Chain'], mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    await page.goto(`/m/jobs/${id}`);
    await page.getByText('Saved on this device').waitFor({ timeout: 10_000 });
    await page.goto('/m');
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();

    await setOffline(context, true);
    const served: string[] = [];
    page.on('requestfinished', (r) => served.push(new URL(r.url()).pathname));
    await page.getByRole('link', { name: /Orbea replica test/ }).click();
    await page.getByRole('heading', { name: /Orbea replica test/ }).waitFor({ timeout: 5000 });
    await page.getByRole('checkbox', { name: 'Bottom bracket' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Bottom bracket' }).isEnabled()).toBe(true);
    expect(await page.getByText('Saved on this device').isVisible()).toBe(true);
    // Nothing about the job came over the network: it was all on the device.
    expect(served.filter((p) => p.startsWith('/api/'))).toEqual([]);
    await shot(page, 'pwa-job-from-replica-offline');
    await context.close();
  });
});

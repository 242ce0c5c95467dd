/**
 * The customer link across server setups (docs/api.md, "Share links"): the token is derived
 * from the link id with the server's share-link secret, so a server started with another
 * secret on the same data cannot show the link again. The panel says so plainly and offers a
 * new link; the old link keeps working until then, and the new one is copied the same twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, launchBrowser, signIn, startApp, type App } from './harness.js';
import { apiAs, shot } from './offline-helpers.js';

const poll = { timeout: 15_000, interval: 100 };

describe('customer link and the share-link secret', () => {
  const apps: App[] = [];
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    for (const app of apps) await app.stop();
  });

  it('another secret: "cannot be shown again", the old link still works, "New link" gives one copied the same every time', async () => {
    const first = await startApp({ SHARE_LINK_SECRET: 'first-share-link-secret-0123456789abcdef' });
    apps.push(first);
    const created = await (await apiAs(first, DEMO.manager)).post<{ id: string; shareUrl: string }>('/api/jobs', { bike: 'Pashley Roadster', customer: { name: 'Cy' }, items: ['Hub service'] });
    const oldToken = created.shareUrl.split('/p/')[1]!;
    await first.stop();

    // Same data, another secret (as an instance configured differently would be).
    const second = await startApp({ DATA_DIR: first.dataDir, SHARE_LINK_SECRET: 'second-share-link-secret-fedcba9876543210' });
    apps.push(second);
    browser = await launchBrowser();
    const { context, page } = await signIn(browser, second, DEMO.manager);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/board/jobs/${created.id}`);
    const links = page.getByRole('region', { name: 'Customer link' });
    await links.getByText('This link cannot be shown again here.').waitFor();
    expect(await links.getByRole('button', { name: 'Copy customer link' }).count()).toBe(0);
    expect((await fetch(`${second.url}/api/share/${oldToken}`)).status).toBe(200);
    await shot(page, 'share-link-not-shown-again');

    await links.getByRole('button', { name: 'New link' }).click();
    await links.getByRole('button', { name: 'Yes, make a new link' }).click();
    const field = links.getByRole('textbox', { name: 'Customer link' });
    await expect.poll(async () => ((await field.count()) ? field.inputValue() : ''), poll).toContain('/p/');
    const url = await field.inputValue();
    expect(url).not.toContain(oldToken);
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), poll).toBe(url);
    expect((await fetch(`${second.url}/api/share/${oldToken}`)).status).toBe(404);

    // Copy again, after a reload too: the very same link.
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await links.getByRole('button', { name: 'Copy customer link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), poll).toBe(url);
    await page.reload();
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await links.getByRole('button', { name: 'Copy customer link' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), poll).toBe(url);
    expect((await fetch(`${second.url}/api/share/${url.split('/p/')[1]}`)).status).toBe(200);
    await context.close();
  });
});

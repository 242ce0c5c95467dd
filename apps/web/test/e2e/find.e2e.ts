/**
 * Finding things and telling the customer: a job recorded at intake with the customer's phone
 * and the bike's serial is found from the board's search box by that phone (with or without
 * spaces, on a desktop and a 390 px phone), its timeline shows what happened, its bike page
 * lists it, the share page shows the shop, and the stats page draws its charts.
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type App, DEMO, phone, screenshot, signIn, useApp } from './harness.js';

const poll = { timeout: 15_000, interval: 100 };
const SHOP = { SHOP_NAME: 'Spoke & Chain', SHOP_PHONE: '+31 20 555 0100', SHOP_ADDRESS: 'Damstraat 1, Amsterdam', SHOP_HOURS: 'Tue–Sat 9:00–18:00' };

/** Whether a canvas has anything drawn on it (Chart.js drew, not an empty box). */
const drawnCanvases = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('canvas')].filter((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return false;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
      return false;
    }).length
  );

describe('find', () => {
  let app: App;
  let browser: Browser;
  useApp((a, b) => {
    app = a;
    browser = b;
  }, SHOP);

  let number = 0;
  let shareUrl = '';
  let jobPath = '';

  it('intake records phone and serial; search finds the job by the phone, as you type, with the address kept', async () => {
    const { page: board } = await signIn(browser, app, DEMO.manager);
    await board.goto('/board', { waitUntil: 'networkidle' });
    await board.getByRole('button', { name: 'New job' }).click();
    const dialog = board.getByRole('dialog');
    // As journeys.e2e.ts: an empty submit first, so the dialog is known to be live.
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => dialog.textContent(), poll).toContain('Bike is required');
    await dialog.getByLabel('Bike').fill('Gazelle Ultimate');
    await dialog.getByLabel('Customer name').fill('Noor Visser');
    // A phone the model refuses is explained in plain words, and nothing is created.
    await dialog.getByLabel('Customer phone').fill('call me');
    await dialog.getByRole('button', { name: '+ Puncture' }).click();
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await expect.poll(() => dialog.textContent(), poll).toContain('Customer phone must be a phone number');
    await dialog.getByLabel('Customer phone').fill('06 1234 5678');
    await dialog.getByLabel('Frame serial number').fill('GZ-4410-77');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    const heading = dialog.getByRole('heading', { name: /Job #\d+ created/ });
    await heading.waitFor(poll);
    number = Number(/#(\d+)/.exec((await heading.textContent()) ?? '')![1]);
    shareUrl = await dialog.getByLabel('Customer link').inputValue();
    await dialog.getByRole('button', { name: 'Done' }).click();

    // "/" jumps to the box; typing the phone without spaces finds it.
    await board.keyboard.press('/');
    await board.keyboard.type('0612345678', { delay: 40 });
    const results = board.locator('ul.results');
    await expect.poll(() => results.getByRole('link', { name: `#${number} Gazelle Ultimate` }).count(), poll).toBe(1);
    await expect.poll(() => new URL(board.url()).searchParams.get('q'), poll).toBe('0612345678');
    expect(await board.locator('div.columns').isHidden()).toBe(true);
    await screenshot(board, 'find-search-desktop');
    // Escape clears it and the columns come back.
    await board.keyboard.press('Escape');
    await expect.poll(() => board.locator('div.columns').isVisible(), poll).toBe(true);
    expect(new URL(board.url()).searchParams.get('q')).toBeNull();

    // On a phone, with spaces, from an address someone shared: answered at first paint.
    const { page: small } = await signIn(browser, app, DEMO.manager, { viewport: phone });
    await small.goto(`/board?q=${encodeURIComponent('1234 5678')}`);
    await expect.poll(() => small.locator('ul.results').getByRole('link', { name: `#${number} Gazelle Ultimate` }).count(), poll).toBe(1);
    expect(await small.getByLabel('Search jobs').inputValue()).toBe('1234 5678');
    await screenshot(small, 'find-search-phone');
    jobPath = (await small.locator('ul.results').getByRole('link', { name: `#${number} Gazelle Ultimate` }).getAttribute('href'))!;
  });

  it('the job page shows the timeline, the bike facts and Send link; the bike page lists the job', async () => {
    const { page } = await signIn(browser, app, DEMO.manager);
    await page.goto(jobPath, { waitUntil: 'networkidle' });
    await page.getByLabel('Assigned mechanic').selectOption({ label: 'Theo Wrench' });
    await page.getByLabel('Note', { exact: true }).fill('Tyre sidewall cut, replacing the tyre too');
    await page.getByRole('button', { name: 'Add note' }).click();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent(), poll).toContain('Assigned to Theo Wrench');
    await expect.poll(() => timeline.textContent(), poll).toContain('Tyre sidewall cut');
    expect(await timeline.textContent()).toContain('Job created at intake');
    const facts = page.getByRole('region', { name: 'Bike and customer' });
    expect(await facts.textContent()).toContain('06 1234 5678');
    // No share sheet in this browser: the SMS link, to the customer's phone, with the link in it.
    await page.getByRole('button', { name: 'Send link' }).click();
    const sms = await page.getByRole('link', { name: 'text message' }).getAttribute('href');
    expect(sms).toMatch(/^sms:0612345678\?&body=/);
    expect(decodeURIComponent(sms!.split('body=')[1]!)).toContain(shareUrl);
    await screenshot(page, 'find-job-timeline-desktop');
    await page.setViewportSize(phone);
    await screenshot(page, 'find-job-timeline-phone');

    await facts.getByRole('link', { name: 'Bike history' }).click();
    await page.waitForURL(/\/board\/bikes\//);
    await expect.poll(() => page.getByRole('heading', { name: 'Bike GZ-4410-77' }).count(), poll).toBe(1);
    expect(await page.getByRole('link', { name: `#${number} Gazelle Ultimate` }).count()).toBe(1);
    await screenshot(page, 'find-bike-history-phone');
  });

  it('the share page shows the shop and the public timeline, never the phone or internal notes', async () => {
    const context = await browser.newContext({ viewport: phone });
    const c = await context.newPage();
    await c.goto(shareUrl);
    const shop = c.getByRole('region', { name: 'The shop' });
    await expect.poll(() => shop.textContent(), poll).toContain('Spoke & Chain');
    const text = (await shop.textContent()) ?? '';
    for (const part of ['Call +31 20 555 0100', 'Damstraat 1, Amsterdam', 'Open Tue–Sat 9:00–18:00']) expect(text).toContain(part);
    expect(await shop.getByRole('link', { name: /Call/ }).getAttribute('href')).toBe('tel:+31205550100');
    const history = c.getByRole('region', { name: 'What happened so far' });
    await expect.poll(() => history.textContent(), poll).toContain('A mechanic took your bike');
    const body = (await c.textContent('body')) ?? '';
    expect(body).not.toContain('Theo');
    expect(body).not.toContain('Tyre sidewall cut');
    expect(body).not.toContain('1234 5678');
    await screenshot(c, 'find-share-shop-phone');
    await context.close();
  });

  it('the stats page draws its charts with the charting library', async () => {
    const { page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board/stats');
    await expect.poll(() => drawnCanvases(page), poll).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('heading', { name: /Time in each status/ }).count()).toBe(1);
    await screenshot(page, 'find-stats-desktop');
    // On a phone the charts fit the screen: nothing wider than 390 px.
    await page.setViewportSize(phone);
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), poll).toBeLessThanOrEqual(phone.width);
    await expect.poll(() => drawnCanvases(page), poll).toBeGreaterThanOrEqual(3);
    await screenshot(page, 'find-stats-phone');
  });
});

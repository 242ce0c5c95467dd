/**
 * Layout defects (issue 9): the sync state visible at every scroll position, a long customer
 * name kept inside its card, the bell panel inside a phone's width, manager pages in one column
 * on a phone, the words on the stats and job pages, and focus after a failed "Create job".
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { DEMO, artifacts, phone, signIn, type App } from './harness.js';
import { useDemoShop, shot, type Api, type JobView } from './offline-helpers.js';

const poll = { timeout: 15_000, interval: 100 };
type Box = { left: number; right: number; top: number; bottom: number };
const box = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, right: r.right, top: r.top, bottom: r.bottom } as Box;
  });

describe('layout on the screens', () => {
  let app: App, browser: Browser, manager: Api, mechanic: Api;
  useDemoShop((shop) => ({ app, browser, manager, mechanic } = shop));

  it('the sync bar stays visible below the app header at every scroll position', async () => {
    const items = Array.from({ length: 14 }, (_, i) => `Item number ${i + 1}`);
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Long Checklist', customer: { name: 'Ed' }, items, mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('checkbox', { name: 'Item number 14' }).waitFor();
    for (const y of [0, 400, 100_000]) {
      await page.evaluate((top) => window.scrollTo(0, top), y);
      await expect
        .poll(async () => {
          const bar = await box(page, '[aria-label="Sync status"]');
          const header = await box(page, 'header:has(nav[aria-label="Main"])');
          // What is painted at the bar's middle is the bar itself, not the header over it.
          const onTop = await page.evaluate(({ x, y }) => !!document.elementFromPoint(x, y)?.closest('[aria-label="Sync status"]'), {
            x: (bar.left + bar.right) / 2,
            y: (bar.top + bar.bottom) / 2
          });
          return bar.top >= header.bottom - 1 && bar.bottom <= phone.height && onTop;
        }, poll)
        .toBe(true);
    }
    await page.evaluate(() => window.scrollTo(0, 100_000));
    await page.screenshot({ path: path.join(artifacts, 'layout-sync-bar-scrolled.png') });
    await context.close();
  });

  it('a 37-character customer name stays inside its card and its column', async () => {
    const name = 'Maximiliana Featherstonehaugh-Wolfram';
    expect(name).toHaveLength(37);
    await manager.post('/api/jobs', { bike: 'Name Test', customer: { name }, items: ['Check'] });
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: { width: 1440, height: 900 } });
    await page.goto('/board');
    await page.getByText('Name Test').waitFor();
    const overflow = await page.evaluate(() => {
      const columns = [...document.querySelectorAll<HTMLElement>('section.column')];
      const problems: string[] = [];
      columns.forEach((col, i) => {
        const c = col.getBoundingClientRect();
        const next = columns[i + 1]?.getBoundingClientRect();
        if (next && c.right > next.left + 0.5) problems.push(`column ${i} overlaps column ${i + 1}`);
        for (const card of col.querySelectorAll<HTMLElement>('.card')) {
          if (card.getBoundingClientRect().right > c.right + 0.5) problems.push(`a card of column ${i} is wider than it`);
        }
      });
      return problems;
    });
    expect(overflow).toEqual([]);
    await shot(page, 'layout-long-name-1440');
    await context.close();
  });

  it('the bell panel opens inside a 390 px wide screen', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: phone });
    await page.goto('/board');
    await page.getByRole('button', { name: /Notifications/ }).click();
    const panel = page.getByRole('region', { name: 'Notifications' });
    await panel.waitFor();
    const r = await panel.evaluate((el) => el.getBoundingClientRect().toJSON() as Box);
    expect(r.left).toBeGreaterThanOrEqual(0);
    expect(r.right).toBeLessThanOrEqual(phone.width);
    await page.screenshot({ path: path.join(artifacts, 'layout-bell-390.png') });
    await context.close();
  });

  it('manager pages are one column on a phone, with nothing wider than the screen', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: phone });
    const jobs = await manager.get<{ id: string }[]>('/api/jobs?active=1');
    for (const path of ['/board', `/board/jobs/${jobs[0]!.id}`, '/board/stats']) {
      await page.goto(path);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      await shot(page, `layout-390${path.replace(/\/jobs\/.*/, '-job').replace(/\//g, '-')}`);
      expect(wide, path).toBeLessThanOrEqual(phone.width);
    }
    await page.goto('/board');
    const lefts = await page.locator('section.column').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(1); // stacked, not side by side
    await shot(page, 'layout-board-390');
    await context.close();
  });

  it('times read as words: no "just now ago", a space before every "·"', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Words Test', description: 'Creaks', customer: { name: 'Noa' }, items: ['Check'], mechanicId: mechanic.user.id });
    await mechanic.post(`/api/mechanic/repair/${id}/stuck`, { reason: 'Creak source unknown' });
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto(`/board/jobs/${id}`);
    // The stuck report on the page (the timeline repeats it below).
    await page.getByText('Creak source unknown').first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('just now ago');
    expect(text).not.toMatch(/\S·/);
    await context.close();
  });

  it('stats: live connections count this page, and a turnaround under an hour is not "0 hours"', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Quick Fix', customer: { name: 'Ty' }, items: ['Pump'], mechanicId: mechanic.user.id });
    const job = await manager.get<JobView>(`/api/jobs/${id}`);
    await mechanic.post(`/api/jobs/${id}/items/${job.items[0]!.id}`, { done: true });
    await manager.post(`/api/jobs/${id}/qc`, { pass: true });
    await manager.post(`/api/jobs/${id}/collect`);
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board/stats');
    const tile = (label: RegExp) => page.locator('.tile').filter({ hasText: label });
    await tile(/live connections/).waitFor();
    // The first number shown already counts this page's own connection.
    const first = await expect
      .poll(async () => (await tile(/live connections/).locator('.n').textContent())?.trim() ?? '', poll)
      .toMatch(/^\d+$/)
      .then(async () => Number((await tile(/live connections/).locator('.n').textContent())?.trim()));
    expect(first).toBeGreaterThanOrEqual(1);
    const turnaround = (await tile(/turnaround/).innerText()).replace(/\s+/g, ' ');
    expect(turnaround).not.toMatch(/^0 hours?/);
    expect(turnaround).toMatch(/min/);
    await context.close();
  });

  it('after a failed "Create job" focus goes to the first problem, and a fixed field loses its error', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board', { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'New job' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Create job' }).click();
    await dialog.getByText('Bike is required').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), poll).toBe('bike');
    await dialog.getByRole('textbox', { name: 'Bike' }).fill('Fixed Bike');
    await expect.poll(() => dialog.getByText('Bike is required').count(), poll).toBe(0);
    // The other fields keep theirs until fixed.
    expect(await dialog.getByText('Customer name is required').count()).toBe(1);
    await context.close();
  });
});

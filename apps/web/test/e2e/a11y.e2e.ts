/**
 * Accessibility: axe-core (the engine behind most a11y checkers) run inside the real pages, at
 * phone and desktop widths. No serious or critical violation (contrast below WCAG AA, a missing
 * `main` landmark, unlabeled controls…) on the board, a mechanic's job, the customer's page and
 * the share page.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO, phone, screenshot, signIn, type App } from './harness.js';
import { useDemoShop, type Api } from './offline-helpers.js';

// Evaluated through DevTools, not added as a <script>: the pages' CSP (nonces) refuses inline
// scripts, as it should.
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const desktop = { width: 1440, height: 900 };

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Serious and critical axe violations on the page as it is now. */
async function axeProblems(page: Page): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`)
    }));
  });
  return found.filter((f) => f.impact === 'serious' || f.impact === 'critical');
}

describe('accessibility (axe-core)', () => {
  let app: App, browser: Browser, manager: Api, mechanic: Api;
  useDemoShop((shop) => ({ app, browser, manager, mechanic } = shop));

  it.each([
    ['desktop', desktop],
    ['phone', phone]
  ])('the board (%s) has no serious violations', async (name, viewport) => {
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport });
    await page.goto('/board', { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Stuck', exact: false }).first().waitFor();
    const problems = await axeProblems(page);
    await screenshot(page, `a11y-board-${name}`);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the stats page has no serious violations', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: desktop });
    await page.goto('/board/stats', { waitUntil: 'networkidle' });
    await page.locator('.tile').first().waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });

  it('a manager job page has no serious violations', async () => {
    const jobs = await manager.get<{ id: string; status: string }[]>('/api/jobs?active=1');
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: desktop });
    await page.goto(`/board/jobs/${jobs.find((j) => j.status === 'stuck')!.id}`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });

  it('the mechanic job page (phone) has no serious violations', async () => {
    const mine = await mechanic.get<{ id: string; bike: string }[]>('/api/jobs?active=1');
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    for (const job of mine) {
      await page.goto(`/m/jobs/${job.id}`, { waitUntil: 'networkidle' });
      await page.getByRole('heading', { name: new RegExp(job.bike) }).waitFor();
      await page.getByRole('status', { name: 'Sync status' }).getByText(/Live/).waitFor({ timeout: 15_000 });
      const problems = await axeProblems(page);
      await screenshot(page, `a11y-mechanic-job-${job.id}`);
      expect(problems, job.bike).toEqual([]);
    }
    await context.close();
  });

  it('the customer page and a share page have no serious violations', async () => {
    const { context, page } = await signIn(browser, app, DEMO.customer, { viewport: phone });
    await page.goto('/c', { waitUntil: 'networkidle' });
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await screenshot(page, 'a11y-customer');
    await context.close();

    const jobs = await manager.get<{ id: string; status: string }[]>('/api/jobs?active=1');
    const share = await browser.newContext({ viewport: phone, baseURL: app.url });
    const sharePage = await share.newPage();
    for (const status of ['in_progress', 'stuck', 'ready_for_pickup']) {
      const job = jobs.find((j) => j.status === status)!;
      const link = await manager.post<{ url: string }>(`/api/jobs/${job.id}/share-links`);
      await sharePage.goto(new URL(link.url).pathname);
      await sharePage.getByRole('heading', { level: 1 }).waitFor();
      const problems = await axeProblems(sharePage);
      await screenshot(sharePage, `a11y-share-${status}`);
      expect(problems, status).toEqual([]);
    }
    await share.close();
  });

  it('extra work to approve: the share page (phone) and the manager job page (desktop) have no serious violations', async () => {
    const mechanicId = mechanic.user.id;
    const job = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', { bike: 'Axe approvals', customer: { name: 'Ada' }, items: ['Service'], mechanicId });
    await manager.post(`/api/jobs/${job.id}/items`, { title: 'New tyres', price: 8000 });
    await mechanic.post(`/api/jobs/${job.id}/items`, { title: 'Replace brake pads', price: 4500, reason: 'Pads worn to 1 mm', needsApproval: true });
    const share = await browser.newContext({ viewport: phone, baseURL: app.url });
    const sharePage = await share.newPage();
    await sharePage.goto(new URL(job.shareUrl).pathname);
    await sharePage.getByRole('button', { name: /^Approve/ }).waitFor();
    expect(await axeProblems(sharePage)).toEqual([]);
    await share.close();
    const { context, page } = await signIn(browser, app, DEMO.manager, { viewport: desktop });
    await page.goto(`/board/jobs/${job.id}`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'Approvals', exact: true }).waitFor();
    expect(await axeProblems(page)).toEqual([]);
    await context.close();
  });
});

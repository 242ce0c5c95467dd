/**
 * The workshop day in the browser: a job promised for an hour ago is overdue on the board (in
 * words); a promise passing while the board is open turns overdue without a reload; a part
 * ordered offline on the mechanic's phone moves the card to "Waiting for parts" once online;
 * the share page says when the bike is expected and that a part is awaited; marking the part
 * arrived tells the mechanic; the phone's timer clocks work offline.
 * Screenshots at 390 px and desktop go to test-results/ (workshop-day-*.png).
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App } from './harness.js';
import { useDemoShop, setOffline, shot, syncText, until, waitForServiceWorker, type Api } from './offline-helpers.js';

const HOUR = 3_600_000;

describe('the workshop day', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;

  useDemoShop((shop) => void ({ app, browser, manager, mechanic } = shop), { OVERDUE_CHECK_MS: '500' });

  const newJob = (bike: string, promisedAt: string) =>
    manager.post<{ id: string; number: number; shareUrl: string }>('/api/jobs', { bike, customer: { name: 'Dana Day' }, items: ['Brake pads', 'Bleed brakes'], mechanicId: mechanic.user.id, promisedAt });

  it('a job promised an hour ago is overdue on the board, and a promise passing turns overdue without a reload', async () => {
    const late = await newJob('Kona Rove promised earlier', new Date(Date.now() - HOUR).toISOString());
    const soon = await newJob('Brompton promised soon', new Date(Date.now() + 8_000).toISOString());
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board');
    const lateCard = page.locator(`[data-job="${late.id}"]`);
    await lateCard.waitFor();
    expect(await lateCard.locator('.due').textContent()).toMatch(/Overdue · due/);
    expect(await lateCard.getAttribute('data-overdue')).toBe('true');
    // Sorted by promise: the overdue one comes first in its column.
    const firstInColumn = page.locator('section.column.assigned li.card').first();
    expect(await firstInColumn.getAttribute('data-job')).toBe(late.id);
    // The managers' overdue alert reaches the board's "Needs you now".
    await page.locator('.alerts').getByText(`Overdue: #${late.number} Kona Rove promised earlier`).waitFor({ timeout: 15_000 });
    const soonCard = page.locator(`[data-job="${soon.id}"]`);
    expect(await soonCard.locator('.due').textContent()).toMatch(/^\s*Due /);
    await until(() => soonCard.locator('.due').textContent(), (t) => /Overdue/.test(t ?? ''), 35_000, 'the soon card turns overdue');
    await shot(page, 'workshop-day-board-overdue-desktop');
    await page.setViewportSize(phone);
    await shot(page, 'workshop-day-board-overdue-390');
    await context.close();
  });

  it('intake takes a promised time; the manager edits it on the job page', async () => {
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board', { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'New job' }).click();
    await page.getByLabel('Bike').fill('Genesis Croix de Fer intake');
    await page.getByLabel('Customer name').fill('Pat Promise');
    await page.getByLabel('Items, one per line').fill('Service');
    await page.getByLabel(/Promised for/).fill('2030-05-06T17:30');
    await shot(page, 'workshop-day-intake-desktop');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText(/Job #\d+ created/).waitFor();
    const rows = await manager.get<{ id: string; bike: string; promisedAt: string | null }[]>('/api/jobs');
    const created = rows.find((r) => r.bike === 'Genesis Croix de Fer intake')!;
    // The browser's zone is the test machine's: the same local time, as UTC.
    expect(created.promisedAt).toBe(new Date('2030-05-06T17:30').toISOString());
    await page.goto(`/board/jobs/${created.id}`, { waitUntil: 'networkidle' });
    await page.getByLabel(/Promised for/).fill('2030-05-07T09:00');
    await page.getByRole('button', { name: 'Save promise' }).click();
    await until(() => manager.get<{ promisedAt: string | null }>(`/api/jobs/${created.id}`), (j) => j.promisedAt === new Date('2030-05-07T09:00').toISOString(), 10_000, 'promise saved');
    await page.setViewportSize(phone);
    await shot(page, 'workshop-day-manager-promise-390');
    await context.close();
  });

  it('a part ordered offline on the phone moves the card to Waiting for parts once online; the share page and arrival follow', async () => {
    const promised = new Date(Date.now() + 26 * HOUR).toISOString();
    const job = await newJob('Surly Straggler waiting', promised);
    const board = await signIn(browser, app, DEMO.manager);
    await board.page.goto('/board');
    const card = board.page.locator(`[data-job="${job.id}"]`);
    await card.waitFor();
    expect(await card.evaluate((el) => el.closest('section')?.className)).toContain('assigned');

    const mech = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(mech.page);
    await mech.page.goto('/m');
    await mech.page.getByRole('link', { name: /Surly Straggler waiting/ }).waitFor();
    await mech.page.goto(`/m/jobs/${job.id}`);
    await mech.page.getByText('Saved on this device').waitFor({ timeout: 10_000 });
    await until(() => syncText(mech.page), (t) => t.includes('Live'), 10_000, 'connected');

    await setOffline(mech.context, true);
    await mech.page.getByLabel('Part ordered').fill('Shimano B01S pads');
    await mech.page.getByLabel(/Expected/).fill('2030-03-04T12:00');
    await mech.page.getByRole('button', { name: 'Record part ordered' }).click();
    await mech.page.getByText('Ordered by you · expected').waitFor();
    expect(await mech.page.locator('.status').textContent()).toBe('Waiting for parts');
    await mech.page.getByRole('button', { name: 'Start timer' }).click();
    await mech.page.getByRole('button', { name: 'Stop timer' }).waitFor();
    await shot(mech.page, 'workshop-day-phone-part-offline-390');
    // Still offline: the board has not moved the card.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await card.evaluate((el) => el.closest('section')?.className)).toContain('assigned');

    await setOffline(mech.context, false);
    await until(() => card.evaluate((el) => el.closest('section')?.className ?? ''), (c) => c.includes('waiting_for_parts'), 15_000, 'card in Waiting for parts');
    await shot(board.page, 'workshop-day-board-waiting-desktop');
    const onServer = await manager.get<{ parts: { id: string; name: string }[]; clock: { stoppedAt: string | null }[] }>(`/api/jobs/${job.id}`);
    expect(onServer.parts.map((p) => p.name)).toEqual(['Shimano B01S pads']);
    expect(onServer.clock).toHaveLength(1);

    // The customer's link: when the bike is expected, and that a part is awaited.
    const customer = await browser.newContext({ viewport: phone });
    const share = await customer.newPage();
    await share.goto(job.shareUrl);
    await share.getByText(/Expected ready by/).waitFor();
    await share.getByText(/Waiting for a part, expected/).waitFor();
    expect(await share.locator('body').textContent()).not.toContain('Shimano');
    await shot(share, 'workshop-day-share-390');

    // The manager marks it arrived on the job page; the mechanic's phone is told.
    await board.page.goto(`/board/jobs/${job.id}`);
    await board.page.getByRole('button', { name: /Arrived: Shimano B01S pads/ }).click();
    await board.page.getByText(/Arrived: .* is told/).waitFor();
    await shot(board.page, 'workshop-day-manager-job-desktop');
    await mech.page.locator('.alerts').getByText(`Part arrived: #${job.number} Surly Straggler waiting`).waitFor({ timeout: 15_000 });
    const told = await mechanic.get<{ kind: string; jobId: string }[]>('/api/notifications');
    expect(told.filter((n) => n.kind === 'parts_arrived' && n.jobId === job.id)).toHaveLength(1);
    await mech.page.getByRole('button', { name: 'Stop timer' }).click();
    await mech.page.getByRole('button', { name: 'Start timer' }).waitFor();
    await until(() => manager.get<{ clock: { stoppedAt: string | null }[] }>(`/api/jobs/${job.id}`), (j) => j.clock.every((s) => s.stoppedAt !== null), 10_000, 'timer stopped on the server');
    await shot(mech.page, 'workshop-day-phone-arrived-390');
    await customer.close();
    await mech.context.close();
    await board.context.close();
  });
});

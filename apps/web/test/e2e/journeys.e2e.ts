/**
 * Journeys across people, each in their own browser context: the manager's live board, the
 * mechanic's phone, the customer's share page. Everything arrives live (no reloads).
 */
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { type App, DEMO, phone, screenshot, signIn, useApp } from './harness.js';

const poll = { timeout: 15_000, interval: 100 };

/** The manager creates a job through the intake dialog; returns its number and share URL. */
async function createJob(board: Page, bike: string, customer: string, template: string): Promise<{ number: number; shareUrl: string }> {
  await board.getByRole('button', { name: 'New job' }).click();
  const dialog = board.getByRole('dialog');
  // Validation first: an empty form is explained, field by field.
  await dialog.getByRole('button', { name: 'Create job' }).click();
  await expect.poll(() => dialog.textContent(), poll).toContain('Bike is required');
  await screenshot(board, `intake-errors-${template.replace(/\W+/g, '-').toLowerCase()}`);
  await dialog.getByLabel('Bike').fill(bike);
  await dialog.getByLabel('Customer name').fill(customer);
  await dialog.getByRole('button', { name: `+ ${template}` }).click();
  await dialog.getByRole('button', { name: 'Create job' }).click();
  const heading = dialog.getByRole('heading', { name: /Job #\d+ created/ });
  await heading.waitFor(poll);
  const number = Number(/#(\d+)/.exec((await heading.textContent()) ?? '')![1]);
  const shareUrl = await dialog.getByLabel('Customer link').inputValue();
  await screenshot(board, `intake-created-${number}`);
  await dialog.getByRole('button', { name: 'Done' }).click();
  return { number, shareUrl };
}

describe('journeys', () => {
  let app: App;
  let browser: Browser;
  useApp((a, b) => {
    app = a;
    browser = b;
  });

  it('journey 1: create and assign → mechanic ticks → customer follows live → QC → celebration', async () => {
    const manager = await signIn(browser, app, DEMO.manager);
    const mechanic = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    const board = manager.page;
    await board.goto('/board');
    await screenshot(board, 'j1-board-start');

    const { number, shareUrl } = await createJob(board, 'Trek Domane', 'Pat Quinn', 'Puncture');
    const card = board.locator('li.card', { has: board.getByRole('link', { name: `#${number} Trek Domane` }) });
    await expect.poll(() => card.count(), poll).toBe(1);
    expect(await board.locator('#col-intake').locator('..').getByRole('link', { name: `#${number} Trek Domane` }).count()).toBe(1);

    // Assign with the keyboard way: the card's menu. The card moves to "Assigned" live.
    await board.getByLabel(`Assign #${number}`).selectOption({ label: 'Theo Wrench' });
    const assignedColumn = board.locator('section.column.assigned');
    await expect.poll(() => assignedColumn.getByRole('link', { name: `#${number} Trek Domane` }).count(), poll).toBe(1);
    await screenshot(board, 'j1-board-assigned');

    // The mechanic is told live (their alert banner and the bell) and sees the job in their list.
    const m = mechanic.page;
    await expect.poll(() => m.getByRole('region', { name: 'Alerts' }).filter({ hasText: `#${number}` }).count(), poll).toBeGreaterThan(0);
    await expect.poll(() => m.getByRole('button', { name: /Notifications, \d+ unread/ }).count(), poll).toBe(1);
    await screenshot(m, 'j1-mechanic-alert');
    await m.getByRole('link', { name: `#${number} Trek Domane`, exact: true }).click();
    await m.waitForURL(/\/m\/jobs\//);

    // The customer opens the share link on their phone (no account).
    const customerContext = await browser.newContext({ viewport: phone });
    const c = await customerContext.newPage();
    await c.goto(shareUrl);
    await expect.poll(() => c.getByText('0 of 3 done').count(), poll).toBe(1);
    await screenshot(c, 'j1-customer-start');

    // The mechanic ticks the first item; the customer's page follows without a reload.
    await m.getByRole('checkbox', { name: 'Replace inner tube' }).check();
    await expect.poll(() => c.getByText('1 of 3 done').count(), poll).toBe(1);
    await expect.poll(() => board.getByLabel(`Progress of #${number}`).getAttribute('aria-valuenow'), poll).toBe('1');
    expect(await board.locator('section.column.in_progress').getByRole('link', { name: `#${number} Trek Domane` }).count()).toBe(1);
    await screenshot(c, 'j1-customer-progress');
    await screenshot(m, 'j1-mechanic-ticked');

    // The last items bring the manager's QC alert.
    await m.getByRole('checkbox', { name: 'Inspect tyre for debris' }).check();
    await m.getByRole('checkbox', { name: 'Inflate to recommended pressure' }).check();
    const alerts = board.getByRole('region', { name: /Needs you now/ });
    const qcAlert = alerts.getByRole('link', { name: new RegExp(`#${number}`) });
    await expect.poll(() => qcAlert.count(), poll).toBe(1);
    await expect.poll(() => board.locator('section.column.quality_check').getByRole('link', { name: `#${number} Trek Domane` }).count(), poll).toBe(1);
    await screenshot(board, 'j1-board-qc-alert');

    // QC pass from the job page; the alert clears; the customer celebrates.
    await qcAlert.click();
    await board.waitForURL(/\/board\/jobs\//);
    await board.getByRole('button', { name: 'Record QC pass' }).waitFor(poll);
    await screenshot(board, 'j1-job-qc');
    await board.getByRole('button', { name: 'Record QC pass' }).click();
    await expect.poll(() => board.getByText('QC passed').count(), poll).toBeGreaterThan(0);
    await expect.poll(() => c.getByText('Your bike is ready for pickup!').count(), poll).toBe(1);
    await c.waitForTimeout(700); // let the celebration's pop-in finish for the picture
    await screenshot(c, 'j1-customer-celebrates');
    await screenshot(board, 'j1-job-passed');

    await board.getByRole('link', { name: 'Back to the board' }).click();
    await expect.poll(() => board.locator('section.column.ready_for_pickup').getByRole('link', { name: `#${number} Trek Domane` }).count(), poll).toBe(1);
    expect(await alerts.getByRole('link', { name: new RegExp(`#${number}`) }).count()).toBe(0);
    await screenshot(board, 'j1-board-ready');

    // The manager's bell lists what happened; marking all read empties the count.
    await board.getByRole('button', { name: /^Notifications/ }).click();
    await screenshot(board, 'j1-bell-open');
    await board.getByRole('button', { name: 'Mark all read' }).click();
    await expect.poll(() => board.getByRole('button', { name: 'Notifications', exact: true }).count(), poll).toBe(1);

    await customerContext.close();
    await mechanic.context.close();
    await manager.context.close();
  });

  it('journey 2: stuck → manager alert → resolve → the mechanic sees it resolved', async () => {
    const manager = await signIn(browser, app, DEMO.manager);
    const mechanic = await signIn(browser, app, DEMO.mechanic2, { viewport: phone });
    const board = manager.page;
    await board.goto('/board');
    const { number } = await createJob(board, 'Cube Attain', 'Lee Novak', 'Brake bleed');

    // Assign by dragging the card onto the mechanic.
    const card = board.locator('li.card', { has: board.getByRole('link', { name: `#${number} Cube Attain` }) });
    await card.dragTo(board.locator('li.drop', { hasText: 'Ana Spoke' }));
    await expect.poll(() => board.locator('section.column.assigned').getByRole('link', { name: `#${number} Cube Attain` }).count(), poll).toBe(1);

    const m = mechanic.page;
    await expect.poll(() => m.getByRole('link', { name: `#${number} Cube Attain` }).count(), poll).toBeGreaterThan(0);
    await m.getByRole('link', { name: `#${number} Cube Attain`, exact: true }).click();
    await m.waitForURL(/\/m\/jobs\//);
    await m.getByRole('button', { name: 'Report stuck' }).click();
    await m.getByRole('textbox', { name: 'Reason' }).fill('Rear caliper seal is torn, need a new one');
    await m.getByRole('button', { name: 'Send' }).click();
    await m.waitForTimeout(500);
    await screenshot(m, 'j2-mechanic-stuck-sent');

    // The manager is alerted live: the alert panel, the toast, the stuck column.
    const alerts = board.getByRole('region', { name: /Needs you now/ });
    const stuckAlert = alerts.getByRole('link', { name: new RegExp(`#${number}`) });
    await expect.poll(() => stuckAlert.count(), poll).toBe(1);
    await expect.poll(() => board.locator('section.column.stuck').getByText('Rear caliper seal is torn').count(), poll).toBe(1);
    await screenshot(board, 'j2-board-stuck');

    await stuckAlert.click();
    await board.waitForURL(/\/board\/jobs\//);
    await board.getByLabel('Resolution note').fill('Seal kit on the shelf behind the counter');
    await screenshot(board, 'j2-job-stuck');
    await board.getByRole('button', { name: 'Resolve stuck' }).click();
    await expect.poll(() => board.getByText('Resolved: the mechanic is told.').count(), poll).toBe(1);

    // The mechanic sees it resolved, live.
    await expect.poll(() => m.getByText('Seal kit on the shelf behind the counter').count(), poll).toBeGreaterThan(0);
    await screenshot(m, 'j2-mechanic-resolved');

    // Back on the board, the stuck alert is gone; in the bell it shows as resolved.
    await board.getByRole('link', { name: 'Back to the board' }).click();
    await expect.poll(() => alerts.getByRole('link', { name: new RegExp(`#${number}`) }).count(), poll).toBe(0);
    await board.getByRole('button', { name: /^Notifications/ }).click();
    const panel = board.getByRole('region', { name: 'Notifications' });
    await expect.poll(() => panel.locator('li.resolved').count(), poll).toBeGreaterThan(0);
    await screenshot(board, 'j2-bell-resolved');

    await mechanic.context.close();
    await manager.context.close();
  });

  it('the board stats, and the signed-in customer pages', async () => {
    const manager = await signIn(browser, app, DEMO.manager);
    await manager.page.goto('/board/stats');
    await expect.poll(() => manager.page.getByRole('img', { name: /Jobs per status/ }).count(), poll).toBe(1);
    await screenshot(manager.page, 'stats');
    await manager.page.setViewportSize(phone);
    await manager.page.goto('/board');
    await screenshot(manager.page, 'board-phone');
    await manager.context.close();

    const customer = await signIn(browser, app, DEMO.customer, { viewport: phone });
    const page = customer.page;
    expect(new URL(page.url()).pathname).toBe('/c');
    await screenshot(page, 'customer-home');
    const first = page.locator('ul.repairs a').first();
    if (await first.count()) {
      await first.click();
      await page.waitForURL(/\/c\/jobs\//);
      await expect.poll(() => page.getByRole('progressbar', { name: 'Repair progress' }).count(), poll).toBe(1);
      await screenshot(page, 'customer-job');
    }
    await customer.context.close();

    // An unknown link gets a friendly page.
    const anon = await browser.newContext({ viewport: phone });
    const p = await anon.newPage();
    const res = await p.goto(`${app.url}/p/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`);
    expect(res?.status()).toBe(404);
    expect(await p.getByRole('heading', { name: 'This link doesn’t work any more' }).count()).toBe(1);
    await screenshot(p, 'share-unknown');
    await anon.close();
  });
});

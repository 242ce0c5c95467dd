/**
 * Trust defects on the screens (issue 9): what a person sees must match what the server holds.
 * Note visibility resets after every post and a manager can hide a note (the share page follows
 * live); alerts newest first; QC-passed items locked; a failed assignment reverts; one share link.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App } from './harness.js';
import { apiAs, useDemoShop, shot, until, type Api, type JobView } from './offline-helpers.js';

const poll = { timeout: 15_000, interval: 100 };

describe('trust on the screens', () => {
  let app: App, browser: Browser, manager: Api, mechanic: Api;
  useDemoShop((shop) => ({ app, browser, manager, mechanic } = shop));

  it('a note for the customer is unmistakable before sending, and the choice resets to Internal after every post', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Bianchi Oltre', customer: { name: 'Gil' }, items: ['Wash'], mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('heading', { name: /Bianchi Oltre/ }).waitFor();

    await page.getByRole('textbox', { name: 'Note' }).fill('Your bike is washed and waxed');
    await page.getByRole('radio', { name: /For the customer/ }).check();
    // Before sending: the button and a warning say the customer will read it.
    await page.getByRole('button', { name: 'Send to the customer' }).waitFor();
    await expect.poll(() => page.getByText('The customer will see this note').isVisible(), poll).toBe(true);
    await shot(page, 'trust-note-for-customer');
    await page.getByRole('button', { name: 'Send to the customer' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Your bike is washed and waxed' }).waitFor();

    // Reset: the next remark is internal unless chosen again.
    await expect.poll(() => page.getByRole('radio', { name: 'Internal' }).isChecked(), poll).toBe(true);
    await page.getByRole('textbox', { name: 'Note' }).fill('Customer scratched the top tube themselves');
    await page.getByRole('button', { name: 'Add note' }).click();
    const notes = await until(
      () => manager.get<JobView>(`/api/jobs/${id}`),
      (j) => j.notes.length === 2,
      15_000,
      'both notes on the server'
    );
    expect(notes.notes.map((n) => [n.text, n.visibility])).toEqual([
      ['Your bike is washed and waxed', 'customer'],
      ['Customer scratched the top tube themselves', 'internal']
    ]);
    await context.close();
  });

  it('a manager hides a customer note; the open share page drops it live', async () => {
    const created = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', { bike: 'Raleigh Chopper', customer: { name: 'Viv' }, items: ['Seat'], mechanicId: mechanic.user.id });
    await mechanic.post(`/api/jobs/${created.id}/notes`, { text: 'Oops, internal remark sent as public', visibility: 'customer' });
    const share = await browser.newContext({ viewport: phone });
    const sharePage = await share.newPage();
    await sharePage.goto(new URL(created.shareUrl).pathname.replace(/^/, app.url));
    await sharePage.getByText('Oops, internal remark sent as public').waitFor();

    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto(`/board/jobs/${created.id}`);
    const note = page.getByRole('listitem').filter({ hasText: 'Oops, internal remark sent as public' });
    await note.getByRole('button', { name: 'Hide from the customer' }).click();
    await note.getByText('Internal').first().waitFor();
    await expect.poll(() => sharePage.getByText('Oops, internal remark sent as public').count(), poll).toBe(0);
    const job = await manager.get<JobView>(`/api/jobs/${created.id}`);
    expect(job.notes[0]!.visibility).toBe('internal');
    // The page stays live after its data reloads (it once said "Y.Doc … has been destroyed").
    expect(await page.locator('main').innerText()).not.toMatch(/destroyed/i);
    // And back: shown to the customer again.
    await note.getByRole('button', { name: 'Show to the customer' }).click();
    await sharePage.getByText('Oops, internal remark sent as public').waitFor({ timeout: 15_000 });
    await context.close();
    await share.close();
  });

  it('"Needs you now" lists the newest alert first and hides none of them', async () => {
    const bikes = ['Alert Alpha', 'Alert Bravo', 'Alert Charlie', 'Alert Delta', 'Alert Echo'];
    for (const bike of bikes) {
      const { id } = await manager.post<{ id: string }>('/api/jobs', { bike, customer: { name: 'Al' }, items: ['Check'], mechanicId: mechanic.user.id });
      await mechanic.post(`/api/mechanic/repair/${id}/stuck`, { reason: `Stuck on ${bike}` });
    }
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board');
    const alerts = page.getByRole('region', { name: /Needs you now/ });
    await alerts.getByText('Stuck on Alert Echo').waitFor();
    const texts = await alerts.getByRole('listitem').allTextContents();
    expect(texts[0]).toContain('Alert Echo');
    expect(texts.findIndex((t) => t.includes('Alert Echo'))).toBeLessThan(texts.findIndex((t) => t.includes('Alert Alpha')));
    // Never hidden: the list is not clipped inside a fixed-height box.
    const clipped = await alerts.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    expect(clipped).toBe(false);
    // A new alert arrives live at the top.
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Alert Foxtrot', customer: { name: 'Al' }, items: ['Check'], mechanicId: mechanic.user.id });
    await mechanic.post(`/api/mechanic/repair/${id}/stuck`, { reason: 'Stuck on Alert Foxtrot' });
    await expect.poll(async () => (await alerts.getByRole('listitem').first().textContent()) ?? '', poll).toContain('Alert Foxtrot');
    await shot(page, 'trust-alerts-newest-first');
    await context.close();
  });

  it('once QC passed the mechanic sees the items locked, and a manager reopens them', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Cube Attain', customer: { name: 'Kim' }, items: ['Brakes', 'Gears'], mechanicId: mechanic.user.id });
    const job = await manager.get<JobView>(`/api/jobs/${id}`);
    for (const item of job.items) await mechanic.post(`/api/jobs/${id}/items/${item.id}`, { done: true });
    await manager.post(`/api/jobs/${id}/qc`, { pass: true });

    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('heading', { name: /Cube Attain/ }).waitFor();
    const brakes = page.getByRole('checkbox', { name: 'Brakes' });
    await expect.poll(() => brakes.isDisabled(), poll).toBe(true);
    await page.getByText(/Quality check passed: the items are locked/).waitFor();
    await shot(page, 'trust-qc-locked');

    const boss = await signIn(browser, app, DEMO.manager);
    await boss.page.goto(`/board/jobs/${id}`);
    await boss.page.getByRole('textbox', { name: 'What needs doing' }).fill('Customer wants new bar tape too');
    await boss.page.getByRole('button', { name: 'Reopen for work' }).click();
    await until(() => manager.get<JobView>(`/api/jobs/${id}`), (j) => j.status === 'in_progress', 15_000, 'reopened');
    await expect.poll(() => brakes.isDisabled(), poll).toBe(false);
    await boss.context.close();
    await context.close();
  });

  it('a failed assignment puts the select back and says so in plain words', async () => {
    const { id } = await manager.post<{ id: string; number: number }>('/api/jobs', { bike: 'Focus Paralane', customer: { name: 'Ray' }, items: ['Tyres'], mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await page.goto('/board');
    const select = page.locator(`[data-job="${id}"] select`);
    await select.waitFor();
    await expect.poll(() => select.inputValue(), poll).toBe(mechanic.user.id);
    const other = (await apiAs(app, DEMO.mechanic2)).user.id;
    await context.setOffline(true);
    await select.selectOption(other);
    const alert = page.getByRole('alert').filter({ hasText: /Could not assign/ });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/no connection|could not reach/i);
    expect(await alert.textContent()).not.toMatch(/Failed to fetch/);
    expect(await alert.textContent()).toContain('Theo Wrench');
    await expect.poll(() => select.inputValue(), poll).toBe(mechanic.user.id);
    await context.setOffline(false);
    expect((await manager.get<JobView & { assigneeId: string }>(`/api/jobs/${id}`)).assigneeId).toBe(mechanic.user.id);
    await context.close();
  });

  it('one customer link per job: copying again gives the same link; a new link switches the old one off', async () => {
    const created = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', { bike: 'Surly Troll', customer: { name: 'Bo' }, items: ['Racks'] });
    const { context, page } = await signIn(browser, app, DEMO.manager);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`/board/jobs/${created.id}`);
    const links = page.getByRole('region', { name: 'Customer link' });
    await links.getByRole('button', { name: 'Copy customer link' }).click();
    const field = links.getByRole('textbox', { name: /Customer link|Copied/ });
    await expect.poll(() => field.inputValue(), poll).toBe(created.shareUrl);
    await links.getByRole('button', { name: 'Copy customer link' }).click();
    await expect.poll(() => field.inputValue(), poll).toBe(created.shareUrl);
    expect(await links.getByRole('listitem').count()).toBe(0); // no second active link

    await links.getByRole('button', { name: 'New link' }).click();
    await links.getByRole('button', { name: 'Yes, make a new link' }).click();
    await expect.poll(() => field.inputValue(), poll).not.toBe(created.shareUrl);
    await page.getByText(/The old link no longer works/).waitFor();
    expect(await links.getByRole('listitem').count()).toBe(0);
    expect((await fetch(`${app.url}/api/share/${created.shareUrl.split('/p/')[1]}`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/share/${(await field.inputValue()).split('/p/')[1]}`)).status).toBe(200);
    await shot(page, 'trust-one-share-link');
    await context.close();
  });
});

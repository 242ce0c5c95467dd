/** The mechanic's screens on a phone: my jobs by urgency, the checklist, notes, stuck, QC, alerts. */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App } from './harness.js';
import { apiAs, useDemoShop, pendingCount, shot, syncText, until, type Api, type JobView } from './offline-helpers.js';

describe('mechanic screens', () => {
  let app: App, browser: Browser, manager: Api, mechanic: Api;
  useDemoShop((shop) => ({ app, browser, manager, mechanic } = shop));

  it('lists my jobs most urgent first, each a link named by number and bike', async () => {
    const { id: stuckId } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Orbea Orca stuck', customer: { name: 'Pat' }, items: ['Headset'], mechanicId: mechanic.user.id });
    await manager.post(`/api/jobs/${stuckId}/assign`, { mechanicId: mechanic.user.id });
    await mechanic.post(`/api/mechanic/repair/${stuckId}/stuck`, { reason: 'Headset bearings on order' });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    expect(new URL(page.url()).pathname).toBe('/m');
    await page.getByRole('link', { name: /Orbea Orca stuck/ }).waitFor();
    const names = await page.locator('main li a').allTextContents();
    expect(names[0]).toMatch(/^#\d+ Orbea Orca stuck$/);
    expect(names).toContain('#1002 Trek Domane SL5');
    // Ready for pickup comes after the work in progress.
    expect(names.indexOf('#1002 Trek Domane SL5')).toBeLessThan(names.indexOf('#1005 Gazelle Ultimate C8'));
    await page.getByText('Headset bearings on order').waitFor();
    await until(() => syncText(page), (t) => t.includes('Live') && t.includes('Last sync'), 10_000, 'status');
    await shot(page, 'mechanic-my-jobs');
    await context.close();
  });

  it('ticks items, adds notes, reports stuck; sees the resolution, a QC failure and a new assignment live', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Canyon Grail', customer: { name: 'Lou' }, items: ['Service fork', 'Replace cables'] });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.getByRole('link', { name: /Canyon Grail$/ }).click();
    await page.getByRole('heading', { name: /Canyon Grail/ }).waitFor();

    await page.getByRole('checkbox', { name: 'Service fork' }).check();
    await page.getByRole('textbox', { name: 'Note' }).fill('Fork seals were dry');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Fork seals were dry').waitFor();
    const get = () => manager.get<JobView>(`/api/jobs/${id}`);
    await until(get, (j) => j.items[0]!.done && j.notes.length === 1, 10_000, 'tick and note on the server');
    expect((await get()).notes[0]!.visibility).toBe('internal');

    await page.getByRole('button', { name: 'Report stuck' }).click();
    await page.getByRole('textbox', { name: 'Reason' }).fill('Need a new cable set');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('region', { name: 'Stuck' }).getByText('Need a new cable set').waitFor();
    await until(get, (j) => j.status === 'stuck', 10_000, 'stuck on the server');
    await shot(page, 'mechanic-job-stuck');

    await manager.post(`/api/manager/resolve-stuck/${id}`, { note: 'Cables arrived, on the bench' });
    await page.getByRole('region', { name: 'Stuck resolved' }).getByText('Cables arrived, on the bench').waitFor({ timeout: 10_000 });
    await page.getByRole('alert').filter({ hasText: /./ }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);

    await page.getByRole('checkbox', { name: 'Replace cables' }).check();
    await until(get, (j) => j.status === 'quality_check', 10_000, 'quality check');
    await manager.post(`/api/jobs/${id}/qc`, { pass: false, note: 'Rear brake rubs' });
    await page.getByRole('region', { name: 'Quality check failed' }).getByText('Rear brake rubs').waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: 'Quality checks' }).waitFor();
    await until(() => pendingCount(page), (n) => n === 0, 10_000, 'nothing pending');
    await shot(page, 'mechanic-job-qc-failed');

    // A new job assigned while the screen is open: an alert and the list picks it up.
    const { id: newId } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Ridley Kanzo', customer: { name: 'Max' }, items: ['Tubeless setup'] });
    await manager.post(`/api/jobs/${newId}/assign`, { mechanicId: mechanic.user.id });
    await page.getByRole('region', { name: 'Alerts' }).waitFor({ timeout: 10_000 });
    const alertText = await page.getByRole('region', { name: 'Alerts' }).textContent();
    expect(alertText).toMatch(/assign|Ridley|#\d+/i);
    await shot(page, 'mechanic-assignment-alert');
    await page.getByRole('main').getByRole('link', { name: 'My jobs' }).click();
    await page.getByRole('link', { name: /Ridley Kanzo$/ }).waitFor({ timeout: 10_000 });
    await context.close();
  });

  it('a session that ended keeps the edits and asks to sign in again to sync them', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Bianchi Oltre', customer: { name: 'Kim' }, items: ['Wrap bars', 'Align derailleur'] });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.getByRole('link', { name: /Bianchi Oltre$/ }).click({ timeout: 10_000 }).catch(async (e) => {
      await shot(page, 'debug-session');
      throw e;
    });
    await page.getByRole('heading', { name: /Bianchi Oltre/ }).waitFor();
    await context.setOffline(true);
    await page.getByRole('checkbox', { name: 'Wrap bars' }).check();
    // The session ends while the device is offline.
    await context.clearCookies();
    await context.setOffline(false);
    await page.getByRole('link', { name: /Sign in again to sync 1 change/ }).waitFor({ timeout: 15_000 });
    await shot(page, 'mechanic-session-ended');
    expect((await manager.get<JobView>(`/api/jobs/${id}`)).items[0]!.done).toBe(false);
    await page.getByRole('link', { name: /Sign in again/ }).click();
    await page.getByLabel('Email').fill(DEMO.mechanic);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => u.pathname === '/m');
    await until(() => manager.get<JobView>(`/api/jobs/${id}`), (j) => j.items[0]!.done, 15_000, 'edit synced after signing in');
    await until(() => pendingCount(page), (n) => n === 0, 10_000, 'pending 0');
    await context.close();
  });

  it('edits refused after a reassignment: explained, the notes can be copied, and discarding them (by keyboard) clears the pending count', async () => {
    const mechanic2 = await apiAs(app, DEMO.mechanic2);
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Cervelo Caledonia', customer: { name: 'Ari' }, items: ['Index gears', 'Tape bars'] });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    await page.getByRole('link', { name: /Cervelo Caledonia$/ }).click({ timeout: 10_000 });
    await page.getByRole('heading', { name: /Cervelo Caledonia/ }).waitFor();
    await page.getByText('Saved on this device').waitFor({ timeout: 10_000 });

    // Offline in the back of the shop: a tick and a note; meanwhile the manager gives the job away.
    await context.setOffline(true);
    await page.getByRole('checkbox', { name: 'Index gears' }).check();
    await page.getByRole('textbox', { name: 'Note' }).fill('Hanger was bent, straightened it');
    await page.getByRole('button', { name: 'Add note' }).click();
    await until(() => pendingCount(page), (n) => n === 2, 5000, 'pending 2');
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic2.user.id });
    await context.setOffline(false);

    const explanation = page.getByRole('alert').filter({ hasText: 'The server refused your changes to this job' });
    await explanation.waitFor({ timeout: 15_000 });
    expect(await explanation.textContent()).toMatch(/not assigned to you|assigned to someone else/);
    expect(await explanation.textContent()).toContain('They are kept on this device');
    expect(await page.getByRole('checkbox', { name: 'Tape bars' }).isDisabled()).toBe(true);
    expect(await pendingCount(page)).toBe(2);
    await shot(page, 'mechanic-edits-refused');

    // The job left the list; the status bar leads back to it.
    await page.getByRole('main').getByRole('link', { name: 'Back to my jobs' }).first().click();
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();
    await until(() => page.getByRole('link', { name: /Cervelo Caledonia$/ }).count(), (n) => n === 0, 10_000, 'job off the list');
    expect(await pendingCount(page)).toBe(2);
    await page.getByRole('link', { name: 'Open the job to copy or discard them' }).click({ timeout: 15_000 });
    await explanation.waitFor({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Copy my notes' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied your note' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Hanger was bent, straightened it');

    // The confirm step, by keyboard: Escape keeps the changes, focus goes back to the button.
    const discard = page.getByRole('button', { name: 'Discard my changes' });
    await discard.focus();
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('group', { name: /Discard 2 changes\?/ });
    await confirm.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Keep my changes');
    await shot(page, 'mechanic-discard-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Discard my changes');
    expect(await pendingCount(page)).toBe(2);
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Yes, discard');
    await page.keyboard.press('Enter');

    // Gone from the device; the job is someone else's now.
    const notYours = page.getByRole('region', { name: 'Not your job' });
    await notYours.getByRole('alert').filter({ hasText: 'This job is no longer yours' }).waitFor({ timeout: 15_000 });
    await until(() => pendingCount(page), (n) => n === 0, 10_000, 'pending 0 after discarding');
    expect(await syncText(page)).toContain('All changes on the server');
    await page.getByText('Your changes were discarded').waitFor();
    await shot(page, 'mechanic-discarded-not-yours');
    // After a reload too: nothing pending, nothing to resolve.
    await page.reload();
    await notYours.waitFor({ timeout: 15_000 });
    await until(() => syncText(page), (t) => t.includes('Live'), 10_000, 'connected');
    expect(await pendingCount(page)).toBe(0);
    expect(await page.getByRole('alert').filter({ hasText: 'The server refused your changes' }).count()).toBe(0);
    await notYours.getByRole('link', { name: 'Back to my jobs' }).click();
    await page.getByRole('heading', { name: 'My jobs' }).waitFor();
    expect(await pendingCount(page)).toBe(0);
    // The server never had the refused edits.
    const onServer = await manager.get<JobView>(`/api/jobs/${id}`);
    expect(onServer.notes).toHaveLength(0);
    expect(onServer.items.every((i) => !i.done)).toBe(true);
    await context.close();
  });

  it('discarding refused edits of a job that is the mechanic\'s again re-opens it as the server has it', async () => {
    const mechanic2 = await apiAs(app, DEMO.mechanic2);
    const { id } = await manager.post<{ id: string }>('/api/jobs', { bike: 'Santa Cruz Stigmata', customer: { name: 'Jo' }, items: ['Bleed brakes', 'Check pivots'] });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });
    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await page.goto(`/m/jobs/${id}`);
    await page.getByRole('heading', { name: /Santa Cruz Stigmata/ }).waitFor({ timeout: 10_000 });
    await page.getByText('Saved on this device').waitFor({ timeout: 10_000 });
    await context.setOffline(true);
    await page.getByRole('checkbox', { name: 'Bleed brakes' }).check();
    await until(() => pendingCount(page), (n) => n === 1, 5000, 'pending 1');
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic2.user.id });
    await context.setOffline(false);
    await page.getByRole('alert').filter({ hasText: 'The server refused your changes to this job' }).waitFor({ timeout: 15_000 });
    // Back to this mechanic, and meanwhile the other one did the work.
    await mechanic2.post(`/api/mechanic/repair/${id}/stuck`, { reason: 'Pivot bolt seized' });
    await manager.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.user.id });

    await page.getByRole('button', { name: 'Discard my changes' }).click();
    await page.getByRole('button', { name: 'Yes, discard' }).click();
    await page.getByText('This is the job as the server has it').waitFor({ timeout: 15_000 });
    await page.getByRole('region', { name: 'Stuck' }).getByText('Pivot bolt seized').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('checkbox', { name: 'Bleed brakes' }).isChecked()).toBe(false);
    expect(await page.getByRole('checkbox', { name: 'Bleed brakes' }).isDisabled()).toBe(false);
    expect(await page.getByRole('region', { name: 'Not your job' }).count()).toBe(0);
    await until(() => pendingCount(page), (n) => n === 0, 10_000, 'pending 0');
    await shot(page, 'mechanic-discarded-reopened');
    // Editable again, and the edit reaches the server.
    await page.getByRole('checkbox', { name: 'Check pivots' }).check();
    await until(() => manager.get<JobView>(`/api/jobs/${id}`), (j) => j.items[1]!.done && !j.items[0]!.done, 10_000, 'new edit on the server');
    await context.close();
  });
});

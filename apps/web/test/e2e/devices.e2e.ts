/**
 * The same mechanic on a phone and a tablet (two browser contexts, each its own cookies and
 * IndexedDB): an edit on one shows on the other live, without a reload; edits made offline on
 * both merge when they come back, on both devices and on the server.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App } from './harness.js';
import { useDemoShop, pendingCount, setOffline, shot, syncText, until, waitForServiceWorker, type Api, type JobView } from './offline-helpers.js';

describe('one mechanic, two devices', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;

  useDemoShop((shop) => void ({ app, browser, manager, mechanic } = shop));

  it('edits on one device appear live on the other; offline edits on both merge', async () => {
    const { id } = await manager.post<{ id: string }>('/api/jobs', {
      bike: 'Canyon two devices',
      customer: { name: 'Two Devices' },
      items: ['Brake pads', 'Cassette', 'Chain', 'Bar tape'],
      mechanicId: mechanic.user.id
    });
    const tablet = { width: 820, height: 1180 };
    const devices = [await signIn(browser, app, DEMO.mechanic, { viewport: phone }), await signIn(browser, app, DEMO.mechanic, { viewport: tablet })];
    for (const { page } of devices) {
      await waitForServiceWorker(page);
      await page.goto(`/m/jobs/${id}`);
      await page.getByRole('heading', { name: /Canyon two devices/ }).waitFor();
      await until(() => syncText(page), (t) => t.includes('Live'), 10_000, 'live');
    }
    const [phoneDevice, tabletDevice] = devices as [(typeof devices)[0], (typeof devices)[0]];

    // Live: a tick on the phone shows on the tablet, a note on the tablet shows on the phone.
    await phoneDevice.page.getByRole('checkbox', { name: 'Brake pads' }).check();
    await until(() => tabletDevice.page.getByRole('checkbox', { name: 'Brake pads' }).isChecked(), (v) => v, 5000, 'the tick on the tablet');
    await tabletDevice.page.getByRole('textbox', { name: 'Note' }).fill('Pads were glazed');
    await tabletDevice.page.getByRole('button', { name: 'Add note' }).click();
    await phoneDevice.page.getByText('Pads were glazed').waitFor({ timeout: 5000 });

    // Offline on both: different edits on each.
    for (const { context } of devices) await setOffline(context, true);
    await phoneDevice.page.getByRole('checkbox', { name: 'Cassette' }).check();
    await phoneDevice.page.getByRole('textbox', { name: 'Note' }).fill('Cassette worn, replaced (phone)');
    await phoneDevice.page.getByRole('button', { name: 'Add note' }).click();
    await tabletDevice.page.getByRole('checkbox', { name: 'Chain' }).check();
    await tabletDevice.page.getByRole('textbox', { name: 'Note' }).fill('Chain stretched 0.75 (tablet)');
    await tabletDevice.page.getByRole('button', { name: 'Add note' }).click();
    // Each device holds its edits (a tick and a note at least) and has not seen the other's.
    for (const { page } of devices) await until(() => pendingCount(page), (n) => n >= 2, 5000, 'edits pending');
    expect(await tabletDevice.page.getByRole('checkbox', { name: 'Cassette' }).isChecked()).toBe(false);
    expect(await phoneDevice.page.getByRole('checkbox', { name: 'Chain' }).isChecked()).toBe(false);
    expect((await manager.get<JobView>(`/api/jobs/${id}`)).notes).toHaveLength(1);

    for (const { context } of devices) await setOffline(context, false);
    const facts = await until(() => manager.get<JobView>(`/api/jobs/${id}`), (j) => j.notes.length === 3 && j.items.filter((i) => i.done).length === 3, 15_000, 'both offline edits on the server');
    expect(facts.notes.map((n) => n.text).sort()).toEqual(['Cassette worn, replaced (phone)', 'Chain stretched 0.75 (tablet)', 'Pads were glazed']);
    for (const { page } of devices) {
      for (const item of ['Brake pads', 'Cassette', 'Chain']) {
        await until(() => page.getByRole('checkbox', { name: item }).isChecked(), (v) => v, 10_000, `${item} on both`);
      }
      expect(await page.getByRole('checkbox', { name: 'Bar tape' }).isChecked()).toBe(false);
      await page.getByText('Cassette worn, replaced (phone)').waitFor({ timeout: 10_000 });
      await page.getByText('Chain stretched 0.75 (tablet)').waitFor({ timeout: 10_000 });
      await until(() => pendingCount(page), (n) => n === 0, 10_000, 'nothing pending');
    }
    await shot(tabletDevice.page, 'two-devices-merged-tablet');
    for (const { context } of devices) await context.close();
  });
});

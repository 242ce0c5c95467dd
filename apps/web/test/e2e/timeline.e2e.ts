/**
 * The later facts on both timelines (SPEC T1, T2): extra work proposed and decided, a part
 * ordered and arrived, clocked work and photos read as plain words on the manager's job page;
 * the share page shows the proposal and the decision with title and price, the part without its
 * name, the customer photo, and neither clocked work nor the internal photo nor a staff name.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, phone, signIn, type App, useApp } from './harness.js';
import { apiAs, shot, type Api } from './offline-helpers.js';

const poll = { timeout: 15_000, interval: 100 };

/** Uploads a small photo as the demo mechanic (the JSON client cannot send bytes). */
async function upload(app: App, jobId: string, visibility: 'internal' | 'customer', itemId?: string): Promise<void> {
  const login = await fetch(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.mechanic, password: DEMO.password })
  });
  const { token } = (await login.json()) as { token: string };
  const bytes = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } }).jpeg().toBuffer();
  const query = new URLSearchParams({ visibility, ...(itemId ? { itemId } : {}) });
  const res = await fetch(`${app.url}/api/jobs/${jobId}/photos?${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' },
    body: new Uint8Array(bytes)
  });
  if (!res.ok) throw new Error(`photo upload: ${res.status} ${await res.text()}`);
}

describe('timeline journey', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;
  let customer: Api;

  useApp(async (a, b) => {
    app = a;
    browser = b;
    manager = await apiAs(app, DEMO.manager);
    mechanic = await apiAs(app, DEMO.mechanic);
    customer = await apiAs(app, DEMO.customer);
  });

  it('approval lines, parts, clocked work and photos read as words for staff; the customer sees only theirs', { timeout: 120_000 }, async () => {
    const job = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', {
      bike: 'Trek Domane',
      customerId: customer.user.id,
      items: ['Full service'],
      mechanicId: mechanic.user.id
    });
    const { items } = await manager.get<{ items: { id: string }[] }>(`/api/jobs/${job.id}`);
    await mechanic.post(`/api/jobs/${job.id}/items`, { title: 'New chainring', price: 3850, needsApproval: true, reason: 'Teeth worn' });
    const part = await mechanic.post<{ id: string }>(`/api/jobs/${job.id}/parts`, { name: 'Shimano 105 chainring 50T' });
    await manager.post(`/api/jobs/${job.id}/parts/${part.id}/arrived`);
    await mechanic.post(`/api/jobs/${job.id}/timer`, { action: 'start' });
    await mechanic.post(`/api/jobs/${job.id}/timer`, { action: 'stop' });
    await upload(app, job.id, 'internal');
    await upload(app, job.id, 'customer', items[0]!.id);

    // The customer approves from the share page.
    const cust = await browser.newContext({ baseURL: app.url, viewport: phone });
    const share = await cust.newPage();
    await share.goto(new URL(job.shareUrl).pathname);
    await share.getByRole('button', { name: 'Approve €38.50' }).click();
    const history = share.getByRole('region', { name: 'What happened so far' });
    await expect.poll(() => history.textContent(), poll).toContain('You approved “New chainring” (€38.50)');
    const seen = (await history.textContent()) ?? '';
    for (const words of ['We asked for your approval: “New chainring” (€38.50)', 'We ordered a part for your bike', 'A part we were waiting for arrived', 'A photo of “Full service”']) {
      expect(seen).toContain(words);
    }
    for (const hidden of ['Shimano', 'timer', 'Theo', 'The workshop added a photo']) expect(seen).not.toContain(hidden);
    await shot(share, 'timeline-share-phone');

    const boss = await signIn(browser, app, DEMO.manager);
    await boss.page.goto(`/board/jobs/${job.id}`);
    const timeline = boss.page.getByRole('region', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent(), poll).toContain('The customer approved “New chainring” (€38.50)');
    const staff = (await timeline.textContent()) ?? '';
    for (const words of [
      'Theo Wrench asked the customer to approve “New chainring” (€38.50)',
      'Theo Wrench ordered a part: Shimano 105 chainring 50T',
      'Part arrived: Shimano 105 chainring 50T',
      'Theo Wrench started the work timer',
      'Theo Wrench stopped the work timer',
      'Theo Wrench added a photo of “Full service”',
      'Theo Wrench added a photo'
    ]) {
      expect(staff).toContain(words);
    }
    await shot(boss.page, 'timeline-manager-desktop');
    await boss.page.setViewportSize(phone);
    await shot(boss.page, 'timeline-manager-phone');
    await cust.close();
  });
});

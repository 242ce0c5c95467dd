/**
 * Photos taken offline on the mechanic's phone (docs/sync.md, Photos): kept on the device,
 * still waiting after a reload without network, uploaded once when the network returns; the
 * manager sees them; the customer's share page shows the customer photo only, and the internal
 * one's share URL is 404.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { DEMO, artifacts, phone, signIn, type App } from './harness.js';
import { useDemoShop, setOffline, shot, until, waitForServiceWorker, type Api } from './offline-helpers.js';

interface PhotoView {
  id: string;
  itemId: string | null;
  visibility: string;
}

async function jpeg(colour: string): Promise<Buffer> {
  return sharp({ create: { width: 800, height: 600, channels: 3, background: colour } })
    .jpeg()
    .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '52/1 22/1 1234/100' } })
    .toBuffer();
}

/** The count the "N photos waiting" line shows (0 when hidden). */
async function waiting(page: Page): Promise<number> {
  return Number(await page.getByTestId('photos-waiting').getAttribute('data-count'));
}

/** How many images matching `selector` have loaded pixels. */
async function imagesLoaded(page: Page, selector: string): Promise<number> {
  return page.locator(selector).evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0).length);
}

describe('photos', () => {
  let app: App;
  let browser: Browser;
  let manager: Api;
  let mechanic: Api;

  useDemoShop((shop) => void ({ app, browser, manager, mechanic } = shop));

  it('a photo taken offline waits on the phone across a reload, uploads once online, and only the customer one reaches the share page', async () => {
    const created = await manager.post<{ id: string; shareUrl: string }>('/api/jobs', {
      bike: 'Cube Attain photos',
      customer: { name: 'Photo Tester' },
      items: ['Brake pads', 'Chain'],
      mechanicId: mechanic.user.id
    });
    const id = created.id;
    const jobPhotos = async () => (await manager.get<{ photos: PhotoView[]; items: { id: string; title: string }[] }>(`/api/jobs/${id}`));

    const { context, page } = await signIn(browser, app, DEMO.mechanic, { viewport: phone });
    await waitForServiceWorker(page);
    await page.goto('/m');
    await page.getByRole('link', { name: /Cube Attain photos/ }).waitFor();
    await page.goto(`/m/jobs/${id}`);
    await page.getByText('Saved on this device').waitFor({ timeout: 10_000 });

    // Offline: a customer photo of the brake pads.
    await setOffline(context, true);
    await page.getByLabel('Photo of').selectOption({ label: 'Brake pads' });
    await page.locator('input[name="photo-visibility"][value="customer"]').check();
    await page.getByTestId('take-photo').setInputFiles({ name: 'pads.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#b91c1c') });
    await until(() => waiting(page), (n) => n === 1, 5000, '1 photo waiting');
    await page.getByText('1 photo waiting').waitFor();

    // Reload with no network: still on the phone, still waiting, its preview shown from the device.
    await page.reload();
    await page.getByRole('heading', { name: /Cube Attain photos/ }).waitFor({ timeout: 15_000 });
    await until(() => waiting(page), (n) => n === 1, 10_000, 'still 1 photo waiting after the reload');
    await until(() => imagesLoaded(page, 'img[src^="blob:"]'), (n) => n === 1, 5000, 'the local preview');

    // A second, internal photo of the whole job.
    await page.getByTestId('take-photo').setInputFiles({ name: 'frame.jpg', mimeType: 'image/jpeg', buffer: await jpeg('#1d4ed8') });
    await until(() => waiting(page), (n) => n === 2, 5000, '2 photos waiting');
    await page.getByText('2 photos waiting').waitFor();
    await page.getByRole('heading', { name: 'Photos', exact: true }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'photos-waiting-390.png') });
    expect((await jobPhotos()).photos).toEqual([]);

    // Back online: both upload, once each; the line goes away; thumbnails now come from the server.
    await setOffline(context, false);
    const job = await until(jobPhotos, (j) => j.photos.length === 2, 20_000, 'both photos on the server');
    await until(() => waiting(page), (n) => n === 0, 10_000, 'nothing waiting');
    await until(() => imagesLoaded(page, 'img[src*="/api/photos/"]'), (n) => n === 2, 10_000, 'server thumbnails on the phone');
    const pads = job.items.find((i) => i.title === 'Brake pads')!.id;
    const customerPhoto = job.photos.find((p) => p.visibility === 'customer')!;
    const internalPhoto = job.photos.find((p) => p.visibility === 'internal')!;
    expect(customerPhoto.itemId).toBe(pads);
    expect(internalPhoto.itemId).toBeNull();
    await shot(page, 'photos-mechanic-uploaded-390');
    // Still exactly two after the queue settled (no retry made a copy).
    await new Promise((r) => setTimeout(r, 1000));
    expect((await jobPhotos()).photos).toHaveLength(2);

    // The manager sees both on the job page.
    const { page: board } = await signIn(browser, app, DEMO.manager);
    await board.goto(`/board/jobs/${id}`);
    await board.getByRole('heading', { name: 'Photos', exact: true }).waitFor();
    await until(() => imagesLoaded(board, 'img[src*="/api/photos/"]'), (n) => n === 2, 10_000, 'thumbnails on the manager page');
    await board.getByRole('heading', { name: 'Photos', exact: true }).scrollIntoViewIfNeeded();
    await board.screenshot({ path: path.join(artifacts, 'photos-manager-desktop.png') });

    // The customer's share page: the customer photo only; the internal one's share URL is 404.
    const visitor = await browser.newContext({ viewport: phone, baseURL: app.url });
    const share = await visitor.newPage();
    await share.goto(created.shareUrl);
    await share.getByRole('heading', { name: 'Photos from the shop' }).waitFor();
    await until(() => imagesLoaded(share, 'img[src*="/photos/"]'), (n) => n === 1, 10_000, 'the customer photo on the share page');
    const html = await share.content();
    expect(html).toContain(customerPhoto.id);
    expect(html).not.toContain(internalPhoto.id);
    const token = new URL(created.shareUrl).pathname.split('/').pop()!;
    expect((await share.request.get(`/api/share/${token}/photos/${internalPhoto.id}`)).status()).toBe(404);
    expect((await share.request.get(`/api/share/${token}/photos/${internalPhoto.id}?size=thumb`)).status()).toBe(404);
    expect((await share.request.get(`/api/photos/${internalPhoto.id}`)).status()).toBe(401);
    const shown = await share.request.get(`/api/share/${token}/photos/${customerPhoto.id}`);
    expect(shown.status()).toBe(200);
    // The stored photo lost its GPS position on the way.
    expect(Buffer.from(await shown.body()).includes(Buffer.from([52, 0, 0, 0, 1, 0, 0, 0, 22, 0, 0, 0]))).toBe(false);
    await shot(share, 'photos-share-grid-390');
    await share.getByRole('button', { name: /open it larger/ }).click();
    await until(() => imagesLoaded(share, 'dialog img'), (n) => n === 1, 5000, 'the larger photo');
    await shot(share, 'photos-share-390');
    await visitor.close();
  });
});

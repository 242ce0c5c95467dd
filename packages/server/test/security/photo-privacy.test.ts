/**
 * Class 10 for photos (SPEC P14, V1): an internal photo's bytes never reach a share-link
 * viewer, through any share URL — the view, its event stream, the photo route at either size —
 * and a link serves only its own job's customer-visible photos, and nothing once revoked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contains, getBytes, pngImage, uploadPhoto } from '../helpers/photos.js';
import { api, createUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.js';

describe('security: internal photos never reach a share link', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  async function jobWithLink(): Promise<{ id: string; token: string; linkId: string }> {
    const r = await api(t.url, manager.token).post('/api/jobs', { bike: 'Brompton', customer: { name: 'Kim' }, items: ['Hinge'], mechanicId: mechanic.id });
    expect(r.status).toBe(201);
    return { id: r.body.id, token: new URL(r.body.shareUrl).pathname.split('/').pop()!, linkId: r.body.shareLinkId };
  }

  it('the share view lists only the customer photo; every share URL of the internal one is 404 and carries none of its bytes', async () => {
    const job = await jobWithLink();
    // Distinct colours, so each photo's bytes are its own.
    const internalPng = await pngImage(41, 17);
    const customerPng = await pngImage(23, 29);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, internalPng, { type: 'image/png', key: 'private-photo-1' })).status).toBe(201);
    expect((await uploadPhoto(t.url, mechanic.token, job.id, customerPng, { type: 'image/png', key: 'public-photo-1', query: '?visibility=customer' })).status).toBe(201);
    const internalStored = (await getBytes(`${t.url}/api/photos/private-photo-1`, manager.token)).bytes;
    const internalThumb = (await getBytes(`${t.url}/api/photos/private-photo-1?size=thumb`, manager.token)).bytes;
    expect(internalStored.byteLength).toBeGreaterThan(0);

    const view = await api(t.url).get(`/api/share/${job.token}`);
    expect(view.status).toBe(200);
    expect(view.body.photos).toEqual([{ id: 'public-photo-1', itemId: null }]);
    expect(JSON.stringify(view.body)).not.toContain('private-photo-1');

    // The event stream's first frame: the same view.
    const controller = new AbortController();
    const events = await fetch(`${t.url}/api/share/${job.token}/events`, { signal: controller.signal });
    const reader = events.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(first).toContain('public-photo-1');
    expect(first).not.toContain('private-photo-1');

    const received: Uint8Array[] = [];
    for (const suffix of ['', '?size=thumb', '?size=full']) {
      const r = await getBytes(`${t.url}/api/share/${job.token}/photos/private-photo-1${suffix}`);
      expect(r.status, suffix).toBe(404);
      received.push(r.bytes);
      const shown = await getBytes(`${t.url}/api/share/${job.token}/photos/public-photo-1${suffix}`);
      expect(shown.status, suffix).toBe(200);
      expect(shown.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
      received.push(shown.bytes);
    }
    // Path tricks on the share route reach nothing either.
    for (const p of ['private-photo-1%2F', '..%2F..%2Fphotos%2Fprivate-photo-1', 'private-photo-1.full', 'private-photo-1.thumb']) {
      const r = await getBytes(`${t.url}/api/share/${job.token}/photos/${p}`);
      expect(r.status, p).toBe(404);
      received.push(r.bytes);
    }
    for (const bytes of received) {
      expect(contains(bytes, internalStored.slice(0, 64))).toBe(false);
      expect(contains(bytes, internalThumb.slice(0, 64))).toBe(false);
    }
  });

  it('a link serves no photo of another job, and none once revoked', async () => {
    const a = await jobWithLink();
    const b = await jobWithLink();
    expect((await uploadPhoto(t.url, manager.token, b.id, await pngImage(), { type: 'image/png', key: 'other-job-photo', query: '?visibility=customer' })).status).toBe(201);
    expect((await uploadPhoto(t.url, manager.token, a.id, await pngImage(), { type: 'image/png', key: 'revoked-photo-1', query: '?visibility=customer' })).status).toBe(201);
    expect((await getBytes(`${t.url}/api/share/${a.token}/photos/other-job-photo`)).status).toBe(404);
    expect((await getBytes(`${t.url}/api/share/${b.token}/photos/other-job-photo`)).status).toBe(200);
    expect((await getBytes(`${t.url}/api/share/${a.token}/photos/revoked-photo-1`)).status).toBe(200);
    expect((await api(t.url, manager.token).del(`/api/jobs/${a.id}/share-links/${a.linkId}`)).status).toBe(200);
    expect((await getBytes(`${t.url}/api/share/${a.token}/photos/revoked-photo-1`)).status).toBe(404);
    expect((await getBytes(`${t.url}/api/share/${a.token}/photos/revoked-photo-1?size=thumb`)).status).toBe(404);
  });
});

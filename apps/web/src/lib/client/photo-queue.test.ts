/**
 * The photo queue against a real server (docs/sync.md, Photos on the phone): a photo kept in
 * IndexedDB survives a new queue (a closed tab), an upload whose answer is lost on the way
 * (the Wi-Fi dropped after the server stored it) is sent again with the same id and stored
 * once, and a photo the server refuses for good stays on the device with the reason.
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addUser, createLogger, createPitboard, loadConfig, startServer, type Pitboard, type RunningServer } from '@pitboard/server';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhotoQueue } from './photo-queue.svelte';

describe('photo queue', () => {
  let pitboard: Pitboard;
  let server: RunningServer;
  let token: string;
  let mechanicId: string;
  let jobId: string;
  let itemId: string;
  const sent: { key: string | null; answered: boolean }[] = [];

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitboard-photo-queue-'));
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: '', PITBOARD_DEMO: '0', LOG_LEVEL: 'silent', HOST: '127.0.0.1' } as NodeJS.ProcessEnv, { port: 0 });
    pitboard = await createPitboard(config, createLogger('silent'));
    server = await startServer(pitboard);
    const manager = await addUser(pitboard.storage, { role: 'manager', email: 'm@q.test', name: 'Manager', password: 'correct horse' });
    const mechanic = await addUser(pitboard.storage, { role: 'mechanic', email: 'k@q.test', name: 'Mechanic', password: 'correct horse' });
    mechanicId = mechanic.id;
    token = (await pitboard.auth.sessions.create(mechanic.id)).token;
    const { job } = await pitboard.jobs.create({ id: manager.id, role: 'manager' }, { bike: 'Kona', customer: { name: 'Lee' }, items: ['Brake pads'], mechanicId });
    jobId = job.id;
    itemId = (await pitboard.jobs.facts(jobId)).items[0]!.id;
  });
  afterAll(() => server.stop());

  /** The network: requests reach the real server; `dropAnswers` of them lose their answer on the way back. */
  function network(dropAnswers: number) {
    return async (url: string, init: RequestInit): Promise<Response> => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      const res = await fetch(server.url + url, { ...init, headers });
      const dropped = dropAnswers-- > 0;
      sent.push({ key: headers.get('idempotency-key'), answered: !dropped });
      if (dropped) throw new TypeError('Failed to fetch'); // what a browser says when the connection drops
      return res;
    };
  }

  const jpeg = async () =>
    new Blob([new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: '#aa3300' } }).jpeg().toBuffer())], { type: 'image/jpeg' });

  it('keeps the photo on the device, then sends it again with the same id after a lost answer: one photo on the server', async () => {
    // Taken with no way to the server: stored on the device only.
    const offline = new PhotoQueue(mechanicId, async () => {
      throw new TypeError('Failed to fetch');
    });
    const id = await offline.add({ jobId, itemId, visibility: 'customer', blob: await jpeg() });
    await offline.idle();
    expect(offline.forJob(jobId).map((p) => p.id)).toEqual([id]);
    await offline.stop();

    // A new tab: the queue finds it in IndexedDB. The first answer is lost after the server stored it.
    const tab = new PhotoQueue(mechanicId, network(1));
    tab.kick();
    await tab.idle();
    await new Promise((r) => setTimeout(r, 1100)); // the retry after its 1 s backoff
    await tab.idle();
    await vi_until(async () => (await tab.db.photos.count()) === 0);
    expect(sent.map((s) => s.key)).toEqual([id, id]);
    expect(sent.map((s) => s.answered)).toEqual([false, true]);
    const photos = (await pitboard.jobs.facts(jobId)).photos;
    expect(photos.map((p) => [p.id, p.itemId, p.visibility, p.by])).toEqual([[id, itemId, 'customer', mechanicId]]);
    expect(await pitboard.storage.photos.countPhotos(jobId)).toBe(1);
    await tab.stop();
  });

  it('keeps a photo the server refuses for good, with its reason, until the user removes it', async () => {
    const tab = new PhotoQueue(mechanicId, network(0));
    const id = await tab.add({ jobId, itemId: null, visibility: 'internal', blob: new Blob(['not an image'], { type: 'image/png' }) });
    await tab.idle();
    const [kept] = await tab.db.photos.toArray();
    expect(kept?.id).toBe(id);
    expect(kept?.error).toMatch(/JPEG, PNG or WebP/);
    expect(tab.waiting).toBe(0);
    await tab.remove(id);
    expect(await tab.db.photos.count()).toBe(0);
    await tab.stop();
  });

  it('keeps waiting (not refused) when its item is not on the server yet: a line proposed offline may arrive after the photo', async () => {
    const answers: number[] = [];
    const tab = new PhotoQueue(mechanicId, async (url, init) => {
      const res = await network(0)(url, init);
      answers.push(res.status);
      return res;
    });
    const id = await tab.add({ jobId, itemId: 'proposed-offline-1', visibility: 'customer', blob: await jpeg() });
    await tab.idle();
    expect(answers).toEqual([409]);
    const [kept] = await tab.db.photos.toArray();
    expect(kept?.id).toBe(id);
    expect(kept?.error).toBeUndefined();
    expect(tab.waiting).toBe(1);
    await tab.remove(id);
    await tab.stop();
  });
});

async function vi_until(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

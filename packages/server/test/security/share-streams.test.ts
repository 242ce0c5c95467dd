/**
 * Class 1, amplification through share links: an edit costs the same storage work whether one
 * or many event streams watch the job (no per-stream link lookups), and open streams are
 * capped per link and per address (429 beyond; a closed stream frees its slot).
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Storage } from '../../src/storage/index.js';
import { api, createUser, startTestServer, waitFor, type TestServer } from '../helpers/server.js';

interface Stream {
  status: number;
  text(): string;
  json(): Promise<any>;
  close(): void;
}

async function openStream(base: string, token: string): Promise<Stream> {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/share/${token}/events`, { signal: abort.signal });
  let text = '';
  if (res.status === 200) {
    const reader = res.body!.getReader();
    void (async () => {
      for (;;) {
        const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    })();
  }
  return { status: res.status, text: () => text, json: () => res.json(), close: () => abort.abort() };
}

/** Counts calls of the storage methods that look share links up. */
function countLinkLookups(storage: Storage): () => number {
  let n = 0;
  for (const name of ['getShareLinkByHash', 'listShareLinks'] as const) {
    const original = storage[name].bind(storage) as (...a: unknown[]) => Promise<unknown>;
    (storage as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      n++;
      return original(...args);
    };
  }
  return () => n;
}

async function jobWithLink(t: TestServer, bike: string) {
  const manager = await createUser(t.pitboard, 'manager');
  const { body } = await api(t.url, manager.token).post('/api/jobs', { bike, customer: { name: 'Sam' }, items: ['Chain', 'Brakes'] });
  const job = (await api(t.url, manager.token).get(`/api/jobs/${body.id}`)).body;
  return { manager, jobId: body.id as string, itemId: job.items[0].id as string, token: body.shareUrl.split('/p/')[1] as string };
}

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.stop())));

describe('class 1: amplification through share links', () => {
  it('one edit of a watched job costs no link lookup per open stream', async () => {
    const t = await startTestServer();
    servers.push(t);
    const { manager, jobId, itemId, token } = await jobWithLink(t, 'Watched');
    const lookups = countLinkLookups(t.pitboard.storage);
    const streams = await Promise.all(Array.from({ length: 12 }, () => openStream(t.url, token)));
    expect(streams.map((s) => s.status)).toEqual(Array(12).fill(200));
    await waitFor(() => streams.every((s) => s.text().includes('"bike":"Watched"')), 10_000, 'first views');

    const before = lookups();
    expect((await api(t.url, manager.token).post(`/api/jobs/${jobId}/items/${itemId}`, { done: true })).status).toBe(200);
    await waitFor(() => streams.every((s) => s.text().includes('"done":1')), 10_000, 'the edit on every stream');
    // Old code re-read the link (and its job) for every stream on every update: 12 here.
    expect(lookups() - before).toBe(0);

    // A revocation still ends the streams — with one read of the job's links, not one per stream.
    const [link] = await t.pitboard.storage.listShareLinks(jobId);
    const beforeRevoke = lookups();
    expect((await api(t.url, manager.token).del(`/api/jobs/${jobId}/share-links/${link!.id}`)).status).toBe(200);
    await waitFor(() => streams.every((s) => s.text().includes('event: gone')), 10_000, 'gone on every stream');
    expect(lookups() - beforeRevoke).toBe(1);
    for (const s of streams) s.close();
  });

  it('open streams are capped per link; a closed stream frees its slot', async () => {
    const t = await startTestServer({ env: { SHARE_STREAMS_PER_LINK: '3', SHARE_STREAMS_PER_ADDRESS: '100' } });
    servers.push(t);
    const { token } = await jobWithLink(t, 'Capped');
    const open = [await openStream(t.url, token), await openStream(t.url, token), await openStream(t.url, token)];
    expect(open.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await openStream(t.url, token);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/too many live views open for this link/);

    open.shift()!.close();
    let again: Stream | null = null;
    await waitFor(async () => {
      const s = await openStream(t.url, token);
      if (s.status === 200) again = s;
      return s.status === 200;
    }, 10_000, 'a slot freed by the closed stream');
    expect((await openStream(t.url, token)).status).toBe(429);
    for (const s of [...open, again!]) s.close();
  });

  it('open streams are capped per address, across links', async () => {
    const t = await startTestServer({ env: { SHARE_STREAMS_PER_LINK: '100', SHARE_STREAMS_PER_ADDRESS: '4' } });
    servers.push(t);
    const a = await jobWithLink(t, 'First');
    const b = await jobWithLink(t, 'Second');
    const open = [await openStream(t.url, a.token), await openStream(t.url, a.token), await openStream(t.url, b.token), await openStream(t.url, b.token)];
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    const refused = await openStream(t.url, b.token);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatch(/from this address/);
    for (const s of open) s.close();
    await waitFor(async () => (await openStream(t.url, a.token).then((s) => (s.close(), s.status))) === 200, 10_000, 'slots freed');
  });
});

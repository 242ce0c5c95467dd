/**
 * Share-link amplification (docs/security.md, class 1): N open event streams on one job's
 * share link (caps off, as an attacker with many addresses would get), then edits of that job.
 * Prints the server's CPU per edit (from /proc, the server is a child process), the time until
 * every stream has the edit, and the API latency of edits of ANOTHER job while it happens.
 * Bounded: N streams, a few edits, then it stops.
 *   npm run bench:share-streams     (SHARE_BENCH_STREAMS, default 2000)
 */
import fs from 'node:fs';
import http from 'node:http';
import { addUser } from '../src/auth/users.js';
import { api, openTestStorage, spawnServer, testDatabase } from '../test/helpers/server.js';

const STREAMS = Number(process.env.SHARE_BENCH_STREAMS ?? 2000);
const EDITS = 5;

const db = await testDatabase();
const storage = await openTestStorage(db);
await addUser(storage, { role: 'manager', email: 'boss@s.dev', name: 'Boss', password: 'correct horse' });
await storage.close();
const server = await spawnServer(db, { SHARE_STREAMS_PER_LINK: '0', SHARE_STREAMS_PER_ADDRESS: '0' });
try {
  const token = (await api(server.url).post('/api/auth/login', { email: 'boss@s.dev', password: 'correct horse' })).body.token;
  const boss = api(server.url, token);
  const items = Array.from({ length: 20 }, (_, i) => `Item ${i}`);
  const a = (await boss.post('/api/jobs', { bike: 'Watched', customer: { name: 'A' }, items })).body;
  const b = (await boss.post('/api/jobs', { bike: 'Other', customer: { name: 'B' }, items })).body;
  const itemIds = async (id: string) => (await boss.get(`/api/jobs/${id}`)).body.items.map((i: { id: string }) => i.id) as string[];
  const [aItems, bItems] = [await itemIds(a.id), await itemIds(b.id)];
  const shareToken = a.shareUrl.split('/p/')[1];

  const timeEdit = async (id: string, itemId: string) => {
    const t0 = performance.now();
    const r = await boss.post(`/api/jobs/${id}/items/${itemId}`, { done: true });
    if (r.status !== 200) throw new Error(`edit failed: ${r.status}`);
    return performance.now() - t0;
  };
  const baseline: number[] = [];
  for (let i = 0; i < EDITS; i++) baseline.push(await timeEdit(b.id, bItems[i]!));

  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const views = new Array<number>(STREAMS).fill(0);
  const requests: http.ClientRequest[] = [];
  await Promise.all(
    Array.from({ length: STREAMS }, (_, i) =>
      new Promise<void>((resolve, reject) => {
        const req = http.get(`${server.url}/api/share/${shareToken}/events`, { agent }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`stream ${i}: ${res.statusCode}`));
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            views[i]! += chunk.split('event: view').length - 1;
            if (views[i] === 1) resolve();
          });
        });
        req.on('error', reject);
        requests.push(req);
      })
    )
  );
  console.log(`${STREAMS} share streams open on one job`);

  const ticks = () => {
    const f = fs.readFileSync(`/proc/${server.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, in ms (100 Hz)
  };
  const cpu: number[] = [];
  const spread: number[] = [];
  const during: number[] = [];
  for (let e = 0; e < EDITS; e++) {
    const c0 = ticks();
    const t0 = performance.now();
    const edit = timeEdit(a.id, aItems[e]!);
    // Another job's edit, sent while the watched job's view goes out to every stream.
    during.push(await timeEdit(b.id, bItems[EDITS + e]!));
    await edit;
    while (!views.every((v) => v >= e + 2)) await new Promise((r) => setTimeout(r, 5));
    spread.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 200)); // let the server go idle before the next reading
    cpu.push(ticks() - c0);
  }
  const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`server CPU per edit of the watched job (incl. 200 ms idle): ${fmt(cpu)}`);
  console.log(`edit → all ${STREAMS} streams have it: ${fmt(spread)}`);
  console.log(`another job's edit (API round trip): alone ${fmt(baseline)}; during the fan-out ${fmt(during)}`);
  for (const r of requests) r.destroy();
} finally {
  await server.kill('SIGTERM');
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  return s[Math.floor(s.length / 2)]!;
}

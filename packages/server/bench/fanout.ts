/**
 * Notification fan-out (docs/product.md, Targets): 1,000 open sockets — 5 managers' inboxes, a customer's
 * inbox per job, a mechanic's connection per job. Each edit ticks an item; its customer (a
 * progress notification) and all 5 managers (the job's new row) must be told. Prints deliveries
 * per second and edit → delivery latency. Bounded: stops by itself.
 *   npm run bench:fanout     (FANOUT_JOBS, FANOUT_RATE edits/s, FANOUT_SECONDS)
 */
import { readJob, setItemDone } from '@pitboard/job-model';
import { hashPassword } from '../src/auth/passwords.js';
import { addUser } from '../src/auth/users.js';
import { openDatabase } from '../src/storage/database.js';
import { api, connect, openInbox, openTestStorage, spawnServer, testDatabase, type InboxClient } from '../test/helpers/server.js';

const JOBS = Number(process.env.FANOUT_JOBS ?? 497); // 5 + 497 customers + 497 mechanic connections ≈ 1,000 sockets
const RATE = Number(process.env.FANOUT_RATE ?? 200);
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 10);

const db = await testDatabase();
const storage = await openTestStorage(db);
const managers = [];
for (let i = 0; i < 5; i++) managers.push(await addUser(storage, { role: 'manager', email: `m${i}@f.dev`, name: `M${i}`, password: 'correct horse' }));
await addUser(storage, { role: 'mechanic', email: 'theo@f.dev', name: 'Theo', password: 'correct horse' });
await storage.close();
const server = await spawnServer(db, { MESSAGE_RATE_PER_SECOND: '10000', MESSAGE_RATE_BURST: '10000', LOGIN_LIMIT_PER_ACCOUNT: '100000', LOGIN_LIMIT_PER_ADDRESS: '100000' });
const login = async (email: string, password = 'correct horse') => (await api(server.url).post('/api/auth/login', { email, password })).body;
const theo = await login('theo@f.dev');
const bossTokens = await Promise.all(managers.map((m) => login(m.email)));

const pending = new Map<string, { started: number; waiting: number }>();
const latencies: number[] = [];
let deliveries = 0;
let lastDelivery = 0;
const arrived = (key: string) => {
  const p = pending.get(key);
  if (!p) return;
  deliveries += 1;
  lastDelivery = performance.now();
  latencies.push(performance.now() - p.started);
  if (--p.waiting === 0) pending.delete(key);
};

const managerInboxes: InboxClient[] = [];
for (const b of bossTokens) {
  const inbox = await openInbox(server.wsUrl, { id: b.user.id, role: 'manager', email: b.user.email, token: b.token });
  inbox.provider.on('stateless', ({ payload }: { payload: string }) => {
    const m = JSON.parse(payload);
    if (m.type === 'job') arrived(`${m.job.id}:${m.job.progress.done}`);
  });
  managerInboxes.push(inbox);
}

const jobs: { id: string; itemIds: string[]; doc: import('yjs').Doc }[] = [];
const others: { close(): void }[] = [];
for (let j = 0; j < JOBS; j++) {
  const email = `c${j}@f.dev`;
  const r = await api(server.url, bossTokens[0].token).post('/api/jobs', { bike: `F${j}`, customer: { name: `C${j}`, email }, items: Array.from({ length: 20 }, (_, i) => `I${i}`), mechanicId: theo.user.id });
  jobs.push({ id: r.body.id, itemIds: [], doc: null as never });
}
// Customers created at intake have no password: give them one, then each signs in (one inbox each).
const direct = await openDatabase(db);
const hash = await hashPassword('correct horse');
for (let j = 0; j < JOBS; j++) {
  await direct.db.updateTable('users').set({ password_hash: hash }).where('email', '=', `c${j}@f.dev`).execute();
}
await direct.close();
for (let j = 0; j < JOBS; j++) {
  const c = await login(`c${j}@f.dev`);
  const inbox = await openInbox(server.wsUrl, { id: c.user.id, role: 'customer', email: c.user.email, token: c.token });
  const jobId = jobs[j]!.id;
  inbox.provider.on('stateless', ({ payload }: { payload: string }) => {
    const m = JSON.parse(payload);
    if (m.type === 'notification' && m.notification.kind === 'progress') {
      const done = /: (\d+) of/.exec(m.notification.title)?.[1];
      arrived(`${jobId}:${done}`);
    }
  });
  others.push(inbox);
  const mech = await connect(server.wsUrl, `job:${jobId}`, theo.token);
  jobs[j]!.doc = mech.doc;
  jobs[j]!.itemIds = readJob(mech.doc).items.map((i) => i.id);
  others.push(mech);
}
console.log(`open sockets: ${5 + 2 * JOBS}`);

let edits = 0;
const started = performance.now();
while (performance.now() - started < SECONDS * 1000) {
  const job = jobs[edits % JOBS]!;
  const k = Math.floor(edits / JOBS);
  if (k >= job.itemIds.length) break;
  pending.set(`${job.id}:${k + 1}`, { started: performance.now(), waiting: 6 });
  setItemDone(job.doc, job.itemIds[k]!, true, theo.user.id, new Date().toISOString());
  edits += 1;
  const wait = started + (edits * 1000) / RATE - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await new Promise((r) => setTimeout(r, 3000));
const elapsed = (lastDelivery - started) / 1000; // first edit → last delivery
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]?.toFixed(1);
console.log(
  `${edits} edits in ${elapsed.toFixed(1)} s → ${deliveries} of ${edits * 6} deliveries (${(deliveries / elapsed).toFixed(0)} events/s); ` +
    `edit → delivered p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; undelivered ${[...pending.values()].reduce((n, p) => n + p.waiting, 0)}`
);
for (const c of [...managerInboxes, ...others]) c.close();
await server.kill('SIGKILL');
process.exit(0);

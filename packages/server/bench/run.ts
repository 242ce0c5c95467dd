/**
 * Benchmarks that print figures (never pass/fail): `npm run bench`.
 * Everything runs on 127.0.0.1 in this process; ratios are against a bare Hocuspocus server
 * (no auth, no hooks, same machine, same run) because absolute times drift between runs.
 *
 *   sync round trip   edit on client A → seen on client B, same job
 *   stored job open   provider connect → synced, for jobs stored on disk (after a restart)
 *   edit → alert      last item ticked → the manager's inbox shows "ready for QC"
 */
import { Server } from '@hocuspocus/server';
import { readJob, setItemDone } from '@pitboard/job-model';
import * as Y from 'yjs';
import { api, connect, createUser, openInbox, startTestServer, testDatabase } from '../test/helpers/server.js';

const N = Number(process.env.BENCH_EDITS ?? 500);

function summary(name: string, ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const row = { n: s.length, p50: q(0.5), p90: q(0.9), p99: q(0.99), max: s.at(-1)! };
  console.log(`${name.padEnd(34)} n=${row.n}  p50=${row.p50.toFixed(2)}ms  p90=${row.p90.toFixed(2)}ms  p99=${row.p99.toFixed(2)}ms  max=${row.max.toFixed(2)}ms`);
  return row;
}

/** Time from a local change on `a` to its arrival on `b`, one edit at a time. */
async function roundTrips(a: Y.Doc, b: Y.Doc, edits: number, write: (doc: Y.Doc, i: number) => void) {
  const times: number[] = [];
  for (let i = 0; i < edits; i++) {
    const arrived = new Promise<void>((resolve) => b.once('update', () => resolve()));
    const start = performance.now();
    write(a, i);
    await arrived;
    times.push(performance.now() - start);
  }
  return times;
}

async function bareHocuspocus() {
  const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: false });
  await server.listen();
  const wsUrl = `ws://127.0.0.1:${server.address.port}/`;
  const a = await connect(wsUrl, 'bench', null);
  const b = await connect(wsUrl, 'bench', null);
  const arr = a.doc.getArray<Y.Map<unknown>>('items');
  a.doc.transact(() => {
    for (let i = 0; i < 20; i++) {
      const m = new Y.Map<unknown>();
      m.set('done', false);
      arr.push([m]);
    }
  });
  await new Promise((r) => setTimeout(r, 200));
  const times = await roundTrips(a.doc, b.doc, N, (d, i) => {
    const item = d.getArray<Y.Map<unknown>>('items').get(i % 20)!;
    item.set('done', !item.get('done'));
  });
  a.close();
  b.close();
  await server.destroy();
  return times;
}

async function main() {
  console.log(`Pitboard benchmarks — ${new Date().toISOString()} — node ${process.version}`);
  const bare = summary('bare Hocuspocus round trip', await bareHocuspocus());

  const db = await testDatabase();
  let t = await startTestServer({ db });
  const boss = await createUser(t.pitboard, 'manager');
  const theo = await createUser(t.pitboard, 'mechanic');
  const items = Array.from({ length: 20 }, (_, i) => `Item ${i}`);
  const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'Bench', customer: { name: 'C' }, items, mechanicId: theo.id });
  const a = await connect(t.wsUrl, `job:${body.id}`, theo.token);
  const b = await connect(t.wsUrl, `job:${body.id}`, boss.token);
  const ids = readJob(a.doc).items.map((i) => i.id);
  const ours = summary(
    'Pitboard sync round trip',
    // Each edit flips one item, so every edit is a real change.
    await roundTrips(a.doc, b.doc, N, (d, i) => {
      const id = ids[i % 20]!;
      setItemDone(d, id, !readJob(d).items[i % 20]!.done, theo.id, new Date().toISOString());
    })
  );
  a.close();
  b.close();
  console.log(`  ratio to bare: p50 ×${(ours.p50 / bare.p50).toFixed(2)}, p99 ×${(ours.p99 / bare.p99).toFixed(2)}`);

  // Edit → notification: the last item of a job ticked → a manager's inbox shows the QC alert.
  const inbox = await openInbox(t.wsUrl, boss);
  const alerts: number[] = [];
  const JOBS = Number(process.env.BENCH_JOBS ?? 100);
  for (let j = 0; j < JOBS; j++) {
    const r = await api(t.url, boss.token).post('/api/jobs', { bike: `Alert ${j}`, customer: { name: 'C' }, items: ['Only item'], mechanicId: theo.id });
    const m = await connect(t.wsUrl, `job:${r.body.id}`, theo.token);
    const seen = new Promise<void>((resolve) => {
      const check = () => {
        if (inbox.messages.some((msg) => msg.type === 'notification' && msg.notification.kind === 'ready_for_qc' && msg.notification.jobId === r.body.id)) resolve();
        else setTimeout(check, 0);
      };
      check();
    });
    const start = performance.now();
    setItemDone(m.doc, readJob(m.doc).items[0]!.id, true, theo.id, new Date().toISOString());
    await seen;
    alerts.push(performance.now() - start);
    m.close();
  }
  summary('edit → manager QC alert', alerts);
  inbox.close();
  await t.stop();

  // Stored jobs opened after a restart (cold: nothing in memory).
  t = await startTestServer({ db });
  const opens: number[] = [];
  const jobs = (await api(t.url, boss.token).get('/api/jobs')).body as { id: string }[];
  for (const job of jobs.slice(0, 100)) {
    const start = performance.now();
    const c = await connect(t.wsUrl, `job:${job.id}`, boss.token);
    opens.push(performance.now() - start);
    c.close();
  }
  summary('stored job open (connect→synced)', opens);
  const loads: number[] = [];
  for (const job of jobs.slice(0, 100)) {
    const start = performance.now();
    await t.pitboard.storage.loadDocument(`job:${job.id}`);
    loads.push(performance.now() - start);
  }
  summary('stored job load (storage only)', loads);
  await t.stop();
}

await main();
process.exit(0);

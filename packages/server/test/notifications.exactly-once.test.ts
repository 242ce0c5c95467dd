/** Each recipient's notification of a logical event is stored once, whatever happens. */
import { readJob, setItemDone } from '@pitboard/job-model';
import { Document } from '@hocuspocus/server';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/users.js';
import { api, connect, createUser, openInbox, openTestStorage, spawnServer, startTestServer, testDatabase, waitFor, type ChildServer, type TestServer } from './helpers/server.js';

describe('notifications: exactly once, durably', () => {
  let t: TestServer | null = null;
  let child: ChildServer | null = null;
  afterEach(async () => {
    await t?.stop();
    await child?.kill('SIGKILL');
    t = null;
    child = null;
  });

  it('the same update arriving twice notifies once', async () => {
    t = await startTestServer();
    const boss = await createUser(t.pitboard, 'manager');
    const theo = await createUser(t.pitboard, 'mechanic');
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A'], mechanicId: theo.id });
    const scratch = new Y.Doc();
    const first = await connect(t.wsUrl, `job:${body.id}`, theo.token, scratch);
    const updates: Uint8Array[] = [];
    scratch.on('update', (u: Uint8Array, origin: unknown) => origin !== first.provider && updates.push(u));
    setItemDone(scratch, readJob(scratch).items[0]!.id, true, theo.id, new Date().toISOString());
    await first.settled();
    first.close();
    // A second client replays the very same update.
    const replay = await connect(t.wsUrl, `job:${body.id}`, theo.token);
    Y.applyUpdate(replay.doc, updates[0]!);
    await t.pitboard.projector.idle();
    replay.close();
    const list = (await api(t.url, boss.token).get('/api/notifications')).body;
    expect(list.filter((n: { kind: string }) => n.kind === 'ready_for_qc')).toHaveLength(1);
  });

  it('an older reading of a job (another instance whose copy is behind) records nothing', async () => {
    t = await startTestServer();
    const boss = await createUser(t.pitboard, 'manager');
    const [theo, ana] = [await createUser(t.pitboard, 'mechanic'), await createUser(t.pitboard, 'mechanic')];
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A'] });
    const name = `job:${body.id}`;
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/assign`, { mechanicId: theo.id });
    const whenTheo = (await t.pitboard.storage.loadDocument(name))!;
    await api(t.url, boss.token).post(`/api/jobs/${body.id}/assign`, { mechanicId: ana.id });
    // A copy still at "theo" is projected after the newer state was recorded.
    const behind = new Document(name);
    Y.applyUpdate(behind, whenTheo);
    t.pitboard.projector.changed(behind);
    await t.pitboard.projector.idle();
    const url = t.url;
    const kinds = async (token: string) => ((await api(url, token).get('/api/notifications')).body as { kind: string }[]).map((n) => n.kind).sort();
    expect(await kinds(ana.token)).toEqual(['assigned']);
    expect(await kinds(theo.token)).toEqual(['assigned', 'unassigned']);
  });

  it('two offline replicas whose merge completes the job raise exactly one QC alert', async () => {
    t = await startTestServer();
    const boss = await createUser(t.pitboard, 'manager');
    const theo = await createUser(t.pitboard, 'mechanic');
    const ana = await createUser(t.pitboard, 'manager');
    const { body } = await api(t.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A', 'B'], mechanicId: theo.id });
    const a = await connect(t.wsUrl, `job:${body.id}`, theo.token);
    const b = await connect(t.wsUrl, `job:${body.id}`, ana.token);
    const [itemA, itemB] = readJob(a.doc).items;
    // Both go offline, each completes one item.
    a.close();
    b.close();
    setItemDone(a.doc, itemA!.id, true, theo.id, new Date().toISOString());
    setItemDone(b.doc, itemB!.id, true, ana.id, new Date().toISOString());
    const a2 = await connect(t.wsUrl, `job:${body.id}`, theo.token, a.doc);
    const b2 = await connect(t.wsUrl, `job:${body.id}`, ana.token, b.doc);
    await a2.settled();
    await b2.settled();
    await t.pitboard.projector.idle();
    const list = (await api(t.url, boss.token).get('/api/notifications')).body;
    expect(list.filter((n: { kind: string; jobId: string }) => n.kind === 'ready_for_qc' && n.jobId === body.id)).toHaveLength(1);
    a2.close();
    b2.close();
  });

  it('a restart between a change and its delivery: delivered after the restart, once', async () => {
    const db = await testDatabase();
    const storage = await openTestStorage(db);
    await addUser(storage, { role: 'manager', email: 'boss@t.dev', name: 'Boss', password: 'correct horse' });
    await addUser(storage, { role: 'mechanic', email: 'theo@t.dev', name: 'Theo', password: 'correct horse' });
    await storage.close();
    child = await spawnServer(db);
    const login = async (email: string) => (await api(child!.url).post('/api/auth/login', { email, password: 'correct horse' })).body;
    const boss = await login('boss@t.dev');
    const theo = await login('theo@t.dev');
    const { body } = await api(child.url, boss.token).post('/api/jobs', { bike: 'B', customer: { name: 'C' }, items: ['A'], mechanicId: theo.user.id });
    const m = await connect(child.wsUrl, `job:${body.id}`, theo.token);
    setItemDone(m.doc, readJob(m.doc).items[0]!.id, true, theo.user.id, new Date().toISOString());
    await m.settled(); // in the log; killed before or after the engine ran — either way:
    await child.kill('SIGKILL');
    m.close();
    child = await spawnServer(db);
    const boss2 = await login('boss@t.dev');
    const inbox = await openInbox(child.wsUrl, { id: boss2.user.id, role: 'manager', email: 'boss@t.dev', token: boss2.token });
    inbox.sync(0);
    await waitFor(() => [...inbox.notifications().values()].some((n) => n.kind === 'ready_for_qc'), 5000, 'backlog after restart');
    const list = (await api(child.url, boss2.token).get('/api/notifications')).body;
    expect(list.filter((n: { kind: string }) => n.kind === 'ready_for_qc')).toHaveLength(1);
    inbox.close();
  });
});

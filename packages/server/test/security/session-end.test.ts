/**
 * Class 4: a session that ends must end everywhere. After sign-out, expiry, demotion or
 * removal of the user, every /collab document opened with it is closed ("session ended: …",
 * code 4401) within a few seconds; no internal note, notification or job row reaches it
 * afterwards, and nothing it sends is stored — on every instance.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { addNote, readJob } from '@pitboard/job-model';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { updateFrame } from '../helpers/frames.js';
import {
  api,
  connect,
  createUser,
  openInbox,
  startTestServer,
  testDatabase,
  waitFor,
  type Client,
  type InboxClient,
  type TestDatabase,
  type TestServer,
  type TestUser
} from '../helpers/server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const cli = (db: TestDatabase, ...args: string[]) =>
  spawnSync('npm', ['run', '--silent', 'cli', '--', ...args], { cwd: root, env: { ...process.env, ...db.env }, encoding: 'utf8' });

interface Scene {
  t: TestServer;
  /** Where the ending is observed (another instance in the Redis test). */
  at: TestServer;
  jobId: string;
  victim: TestUser;
  boss: TestUser;
  mechanic: TestUser;
  job: Client;
  inbox: InboxClient;
  witness: Client;
  witnessInbox: InboxClient;
}

/** A manager (`victim`) with a job and their inbox open on `at`; a second manager watching too. */
async function scene(t: TestServer, at: TestServer = t): Promise<Scene> {
  const victim = await createUser(t.pitboard, 'manager');
  const boss = await createUser(t.pitboard, 'manager');
  const mechanic = await createUser(t.pitboard, 'mechanic');
  const r = await api(t.url, boss.token).post('/api/jobs', { bike: 'Brompton', customer: { name: 'Ada' }, items: ['Chain'], mechanicId: mechanic.id });
  expect(r.status).toBe(201);
  const jobId = r.body.id as string;
  return {
    t,
    at,
    jobId,
    victim,
    boss,
    mechanic,
    job: await connect(at.wsUrl, `job:${jobId}`, victim.token),
    inbox: await openInbox(at.wsUrl, victim),
    witness: await connect(at.wsUrl, `job:${jobId}`, boss.token),
    witnessInbox: await openInbox(at.wsUrl, boss)
  };
}

/** The victim's documents close, then nothing reaches them and nothing they send is stored. */
async function expectEnded(s: Scene, reason: RegExp) {
  await waitFor(() => s.job.closes.length > 0 && s.inbox.closes.length > 0, 10_000, 'the ended session’s documents to close');
  expect(s.job.closes[0]!.reason).toMatch(reason);
  expect(s.inbox.closes[0]!.reason).toMatch(reason);
  expect([s.job.closes[0]!.why, s.inbox.closes[0]!.why]).toEqual(['session_ended', 'session_ended']);
  const heard = s.inbox.messages.length;

  // Nothing more is read: an internal note and a stuck alert (a notification for every manager,
  // and a new job row) reach the witness but not the ended session.
  expect((await api(s.t.url, s.boss.token).post(`/api/jobs/${s.jobId}/notes`, { text: 'internal: customer haggles', visibility: 'internal' })).status).toBe(201);
  expect((await api(s.t.url, s.mechanic.token).post(`/api/mechanic/repair/${s.jobId}/stuck`, { reason: 'seized bolt' })).status).toBe(200);
  await waitFor(() => readJob(s.witness.doc).notes.some((n) => n.text.startsWith('internal:')), 5000, 'the witness to get the note');
  await waitFor(() => s.witnessInbox.messages.some((m) => m.type === 'notification' && m.notification.kind === 'stuck'), 5000, 'the witness’s alert');
  await waitFor(() => s.witnessInbox.messages.some((m) => m.type === 'job' && m.job.status === 'stuck'), 5000, 'the witness’s job row');
  // The same messages would have reached the victim by now; give them a little longer still.
  await new Promise((r) => setTimeout(r, 300));
  expect(readJob(s.job.doc).notes.map((n) => n.text)).not.toContain('internal: customer haggles');
  expect(s.inbox.messages.slice(heard)).toEqual([]);

  // Nothing more is written: an update sent on the still-open socket is never stored.
  const forged = new Y.Doc();
  Y.applyUpdate(forged, Y.encodeStateAsUpdate(s.job.doc));
  const before = Y.encodeStateVector(forged);
  addNote(forged, { text: 'written after the session ended', authorId: s.victim.id, at: new Date().toISOString(), visibility: 'internal' });
  s.job.socket.send(updateFrame(`job:${s.jobId}`, Y.encodeStateAsUpdate(forged, before)));
  // A later legitimate change travels the same road, so the refused one would have arrived by now.
  s.witness.doc.getMap('job').set('description', 'checked after the end');
  await s.witness.settled();
  await waitFor(async () => (await s.t.pitboard.jobs.facts(s.jobId)).description === 'checked after the end', 5000, 'the witness’s change stored');
  const stored = await s.t.pitboard.jobs.facts(s.jobId);
  expect(stored.notes.map((n) => n.text)).not.toContain('written after the session ended');
  for (const c of [s.job, s.inbox, s.witness, s.witnessInbox]) c.close();
}

describe('security: a session that ends, ends on every open connection', () => {
  let t: TestServer;
  const started: TestServer[] = [];
  afterAll(async () => {
    await t?.stop();
    for (const s of started) await s.stop();
  });

  it('sign-out (API) closes its documents at once; nothing more is read or written through them', async () => {
    // A long re-check interval: the Bus alone must do it.
    t = await startTestServer({ env: { SESSION_RECHECK_MS: '600000' } });
    const s = await scene(t);
    expect((await api(t.url, s.victim.token).post('/api/auth/logout')).status).toBe(200);
    await expectEnded(s, /^session ended: signed out$/);
  });

  it('the /logout page and any other caller of Sessions.invalidate do the same', async () => {
    const s = await scene(t);
    await t.pitboard.auth.sessions.invalidate(s.victim.token.split('.')[0]!);
    await expectEnded(s, /^session ended: signed out$/);
  });

  it('a connection whose session ended while it was authenticating is closed before it reads anything', async () => {
    const t = await startTestServer({ env: { SESSION_RECHECK_MS: '600000' } });
    started.push(t);
    const victim = await createUser(t.pitboard, 'manager');
    const boss = await createUser(t.pitboard, 'manager');
    const r = await api(t.url, boss.token).post('/api/jobs', { bike: 'Race', customer: { name: 'Ada' }, items: ['Chain'] });
    // The announcement arrives while the session row is still there (another instance deleted it
    // a moment ago): opening the document passes authentication, and must still get nothing.
    const guard = t.pitboard.hocuspocus.configuration.extensions.find((e) => e.extensionName === 'pitboard-session-guard') as unknown as {
      announce(ended: { sessionIds: string[]; reason: string }): void;
    };
    guard.announce({ sessionIds: [victim.token.split('.')[0]!], reason: 'signed out' });
    const doc = new Y.Doc();
    const closes: string[] = [];
    const socket = new HocuspocusProviderWebsocket({ url: t.wsUrl, WebSocketPolyfill: WebSocket, maxAttempts: 1 });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: `job:${r.body.id}`, document: doc, token: victim.token, onClose: ({ event }) => closes.push(event.reason) });
    provider.attach();
    try {
      await waitFor(() => closes.length > 0, 10_000, 'the document to close');
      expect(closes[0]).toBe('4401 session_ended: session ended: signed out');
      expect(doc.getMap('job').get('bike')).toBeUndefined();
    } finally {
      provider.destroy();
      socket.destroy();
    }
  });

  it('demotion with the CLI (another process) closes them within the re-check interval', async () => {
    const db = await testDatabase();
    const u = await startTestServer({ db, env: { SESSION_RECHECK_MS: '1000' } });
    started.push(u);
    const s = await scene(u);
    const r = cli(db, 'user', 'set-role', '--email', s.victim.email, '--role', 'mechanic');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await expectEnded(s, /^session ended: /);
    // Signing in again gives the new role, and a mechanic may not open the job.
    const again = await api(u.url).post('/api/auth/login', { email: s.victim.email, password: 'correct horse' });
    expect(again.body.user.role).toBe('mechanic');
    await expect(connect(u.wsUrl, `job:${s.jobId}`, again.body.token)).rejects.toThrow(/not assigned to you/);
  }, 90_000);

  it('removal with the CLI closes them; the account is gone', async () => {
    const db = await testDatabase();
    const u = await startTestServer({ db, env: { SESSION_RECHECK_MS: '1000' } });
    started.push(u);
    const s = await scene(u);
    const r = cli(db, 'user', 'remove', '--email', s.victim.email);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await expectEnded(s, /^session ended: /);
    expect((await api(u.url).post('/api/auth/login', { email: s.victim.email, password: 'correct horse' })).status).toBe(401);
  }, 90_000);

  it('expiry closes them while they are open', async () => {
    const u = await startTestServer({
      config: { session: { inactivityMs: 2000, activityCheckMs: 3600_000, absoluteMs: 180 * 86_400_000, recheckMs: 250 } }
    });
    started.push(u);
    const s = await scene(u);
    // The other sessions would expire too: keep them fresh, as use would.
    const keep = [s.boss, s.mechanic].map((x) => x.token.split('.')[0]!);
    const keepAlive = setInterval(() => keep.forEach((id) => void u.pitboard.storage.touchSession(id, new Date().toISOString())), 200);
    try {
      await expectEnded(s, /^session ended: session expired$/);
    } finally {
      clearInterval(keepAlive);
    }
  });
});

const services = !!process.env.TEST_DATABASE_URL && !!process.env.REDIS_URL;

describe.runIf(services)('security: session ends across instances (PostgreSQL + Redis)', () => {
  const servers: TestServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  it('sign-out on instance A closes the session’s documents on instance B at once', async () => {
    const db = await testDatabase();
    const env = { REDIS_URL: process.env.REDIS_URL!, SESSION_RECHECK_MS: '600000' };
    const a = await startTestServer({ db, env });
    const b = await startTestServer({ db, env });
    servers.push(a, b);
    const s = await scene(a, b);
    expect((await api(a.url, s.victim.token).post('/api/auth/logout')).status).toBe(200);
    await expectEnded(s, /^session ended: signed out$/);
  });

  it('a CLI demotion reaches every instance through Redis without waiting for the re-check', async () => {
    const db = await testDatabase();
    const env = { REDIS_URL: process.env.REDIS_URL!, SESSION_RECHECK_MS: '600000' };
    const a = await startTestServer({ db, env });
    const b = await startTestServer({ db, env });
    servers.push(a, b);
    const s = await scene(a, b);
    const r = cli({ ...db, env: { ...db.env, REDIS_URL: process.env.REDIS_URL! } }, 'user', 'set-role', '--email', s.victim.email, '--role', 'mechanic');
    expect(r.status).toBe(0);
    await expectEnded(s, /^session ended: role changed$/);
  }, 90_000);
});

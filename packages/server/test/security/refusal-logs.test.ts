/**
 * Issue 10, class 10, "Logs of refused documents" (docs/security.md): docs/sync.md promises
 * that the server logs the close code of every refusal; it did not. Each refusal now writes one
 * line — code, reason, document, user id — and never the refused content.
 */
import { jobMap } from '@pitboard/job-model';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { authFrame, updateFrame } from '../helpers/frames.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

interface Line {
  level: string;
  msg: string;
  [field: string]: unknown;
}

/** A logger that keeps what it is told, as the real one would write it (JSON fields). */
function capture(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const keep = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    lines.push(JSON.parse(JSON.stringify({ level, msg, ...fields })) as Line);
  return { lines, log: { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') } };
}

describe('security class 10: every refused document is logged', () => {
  let t: TestServer;
  const { log, lines } = capture();
  let manager: TestUser;
  let mechanic: TestUser;
  let jobId: string;
  const refusals = () => lines.filter((l) => l.msg === 'document refused');

  beforeAll(async () => {
    t = await startTestServer({ log });
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    jobId = (await api(t.url, manager.token).post('/api/jobs', { bike: 'Brompton', customer: { name: 'Kim' }, items: ['Hinge'], mechanicId: mechanic.id })).body.id;
  });
  afterAll(() => t.stop());

  it('a refused update: code, reason, document and user — not the content', async () => {
    const m = await connect(t.wsUrl, `job:${jobId}`, mechanic.token);
    jobMap(m.doc).set('description', 'SECRET-CONTENT-4711');
    await waitFor(() => m.closes.length > 0, 5000, 'the refusal');
    m.close();
    await waitFor(() => refusals().length > 0, 5000, 'the log line');
    expect(refusals()).toContainEqual({
      level: 'warn',
      msg: 'document refused',
      code: 4403,
      reason: expect.stringMatching(/job\.description/),
      document: `job:${jobId}`,
      userId: mechanic.id
    });
    expect(JSON.stringify(lines)).not.toContain('SECRET-CONTENT-4711');
  });

  it('a refusal at connect: a bad token (no user) and a job that is not theirs', async () => {
    const other = await createUser(t.pitboard, 'mechanic');
    await expect(connect(t.wsUrl, `job:${jobId}`, 'not-a-token')).rejects.toThrow(/refused/);
    await expect(connect(t.wsUrl, `job:${jobId}`, other.token)).rejects.toThrow(/not assigned to you/);
    await waitFor(() => refusals().some((l) => l.userId === other.id), 5000, 'both log lines');
    expect(refusals()).toContainEqual(expect.objectContaining({ code: 4401, document: `job:${jobId}`, userId: null }));
    expect(refusals()).toContainEqual(
      expect.objectContaining({ code: 4403, reason: 'this job is not assigned to you', document: `job:${jobId}`, userId: other.id })
    );
  });

  it('a malformed update (4400) and an unknown document', async () => {
    const ws = new WebSocket(t.wsUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(authFrame('nonsense:1', manager.token));
    ws.send(authFrame(`job:${jobId}`, manager.token));
    await waitFor(() => t.pitboard.sockets.unauthenticatedSockets === 0, 5000, 'the socket to sign in');
    ws.send(updateFrame(`job:${jobId}`, new Uint8Array([1, 2, 3, 250, 250, 250])));
    await waitFor(() => refusals().some((l) => l.code === 4400 && l.document === `job:${jobId}`), 5000, 'the malformed-update line');
    expect(refusals()).toContainEqual(expect.objectContaining({ code: 4400, reason: 'malformed update', userId: manager.id }));
    expect(refusals()).toContainEqual(expect.objectContaining({ code: 4400, document: 'nonsense:1', userId: null }));
    ws.close();
  });
});

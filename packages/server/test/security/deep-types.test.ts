/**
 * Issue 10, class 5 (docs/security.md): content the permission check could not see. A note
 * whose `text` is a Y.Text reads as its plain string, so a Y.Map embedded in that text carried
 * hundreds of kilobytes past the check into storage and to every manager. SPEC S1/P1: every
 * value has exactly the Yjs type S1 says, at every depth; the update is refused, and nothing
 * is stored or relayed.
 */
import { notesArray, readJob } from '@pitboard/job-model';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

describe('security class 5: values of the wrong Yjs type, at any depth (SPEC S1/P1)', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  it('a note whose text is a Y.Text holding an embedded Y.Map is refused over a real socket: not stored, not relayed', async () => {
    const boss = api(t.url, manager.token);
    const { id } = (await boss.post('/api/jobs', { bike: 'Surly', customer: { name: 'Ada' }, items: ['Hub'], mechanicId: mechanic.id })).body;
    const name = `job:${id}`;
    const watcher = await connect(t.wsUrl, name, manager.token);
    let relayedBytes = 0;
    watcher.doc.on('update', (u: Uint8Array) => (relayedBytes += u.byteLength));
    const storedBefore = (await t.pitboard.storage.loadDocument(name))!.byteLength;

    const m = await connect(t.wsUrl, name, mechanic.token);
    m.doc.transact(() => {
      const text = new Y.Text();
      const note = new Y.Map<unknown>();
      note.set('id', 'n-evil');
      note.set('authorId', mechanic.id);
      note.set('at', new Date().toISOString());
      note.set('visibility', 'internal');
      note.set('text', text);
      notesArray(m.doc).push([note]);
      text.insert(0, 'Pads worn');
      const embed = new Y.Map<unknown>();
      text.insertEmbed(9, embed);
      embed.set('blob', 'x'.repeat(200_000));
    });
    // The client's own reading is a well-formed note: the check used to see just this.
    expect(readJob(m.doc).notes[0]?.text).toBe('Pads worn');

    await waitFor(() => m.closes.length > 0, 5000, 'the server to refuse the update');
    expect(m.closes[0]!.reason).toMatch(/notes\[0\]\.text.*P1/);
    m.close();

    // A legitimate later note flows, so the refused one would have reached the manager by now.
    const ok = await connect(t.wsUrl, name, mechanic.token);
    expect((await boss.post(`/api/jobs/${id}/notes`, { text: 'Checked', visibility: 'internal' })).status).toBe(201);
    await waitFor(() => readJob(watcher.doc).notes.length === 1, 5000, 'the legitimate note');
    ok.close();
    expect(readJob(watcher.doc).notes.map((n) => n.text)).toEqual(['Checked']);
    expect(relayedBytes).toBeLessThan(10_000);

    const stored = (await t.pitboard.storage.loadDocument(name))!;
    expect(stored.byteLength - storedBefore).toBeLessThan(10_000);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored);
    expect(readJob(doc).notes.map((n) => n.text)).toEqual(['Checked']);
    watcher.close();
  });
});

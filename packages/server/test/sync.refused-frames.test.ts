/**
 * A Hocuspocus 4 fact the web client's discard depends on (docs/sync.md, "What the Hocuspocus 4
 * server keeps for a refused document"): frames that arrive on a socket for a document the
 * server refused there are queued, and replayed into the document's next successful
 * authentication on the same socket. An update sent just before a refusal can therefore come
 * back, applied, when the document is opened again on that socket; so the client sends updates
 * only on an open socket and renews the socket when it discards refused edits. Should
 * Hocuspocus stop replaying, this test says so and the client's workaround can go.
 */
import { itemsArray, setItemDone } from '@pitboard/job-model';
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFrame, MessageTypes, updateFrame } from './helpers/frames.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from './helpers/server.js';

const AUTH = MessageTypes.AUTH;

/** The server's next Auth answer for the document: 'denied' or 'authenticated'. */
function authAnswer(ws: WebSocket, documentName: string): Promise<'denied' | 'authenticated'> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarString(d) !== documentName || decoding.readVarUint(d) !== AUTH) return;
      const kind = decoding.readVarUint(d); // 1 permission denied, 2 authenticated
      if (kind !== 1 && kind !== 2) return;
      ws.off('message', onMessage);
      resolve(kind === 1 ? 'denied' : 'authenticated');
    };
    ws.on('message', onMessage);
  });
}

describe('sync: frames sent for a refused document', () => {
  let t: TestServer;
  let manager: TestUser;
  let mechanic: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
    mechanic = await createUser(t.pitboard, 'mechanic');
    other = await createUser(t.pitboard, 'mechanic');
  });
  afterAll(() => t.stop());

  it('are replayed into the next authentication of that document on the same socket', async () => {
    const boss = api(t.url, manager.token);
    const { id } = (await boss.post('/api/jobs', { bike: 'Brompton', customer: { name: 'Kim' }, items: ['Hinge'], mechanicId: other.id })).body;
    const name = `job:${id}`;
    // The tick the mechanic made while the job was theirs, as their device holds it.
    const watcher = await connect(t.wsUrl, name, manager.token);
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(watcher.doc));
    const updates: Uint8Array[] = [];
    device.on('update', (u: Uint8Array) => updates.push(u));
    setItemDone(device, (itemsArray(device).get(0) as Y.Map<unknown>).get('id') as string, true, mechanic.id, new Date().toISOString());

    const ws = new WebSocket(t.wsUrl, { headers: { cookie: `session=${mechanic.token}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let answer = authAnswer(ws, name);
    ws.send(authFrame(name, mechanic.token));
    expect(await answer).toBe('denied'); // not their job
    ws.send(updateFrame(name, updates[0]!)); // arrives after the refusal

    // The job becomes theirs; the same socket authenticates the document again.
    expect((await boss.post(`/api/jobs/${id}/assign`, { mechanicId: mechanic.id })).status).toBe(200);
    answer = authAnswer(ws, name);
    ws.send(authFrame(name, mechanic.token));
    expect(await answer).toBe('authenticated');
    // The update sent while refused is applied now, though this authentication never sent it.
    await waitFor(() => (itemsArray(watcher.doc).get(0) as Y.Map<unknown>).get('done') === true, 5000, 'the replayed tick');
    ws.close();
    watcher.close();
  });
});

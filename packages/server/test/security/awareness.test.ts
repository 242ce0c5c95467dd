/**
 * Issue 10, class 10, "Awareness frames" (docs/security.md): Pitboard has no presence, yet the
 * server applied and relayed awareness (18 MB reached a manager). Awareness frames are now
 * dropped on arrival: never applied, never relayed; a client that sends them still works.
 */
import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFrame, MessageTypes } from '../helpers/frames.js';
import { api, connect, createUser, startTestServer, waitFor, type TestServer, type TestUser } from '../helpers/server.js';

const AWARENESS = 1;

describe('security class 10: awareness frames are dropped by the server', () => {
  let t: TestServer;
  let manager: TestUser;

  beforeAll(async () => {
    t = await startTestServer();
    manager = await createUser(t.pitboard, 'manager');
  });
  afterAll(() => t.stop());

  it("a manager receives no awareness bytes from another client's awareness; that client still syncs", async () => {
    const { id } = (await api(t.url, manager.token).post('/api/jobs', { bike: 'Moulton', customer: { name: 'Jo' }, items: ['Hub'] })).body;
    const name = `job:${id}`;

    // The watching manager, as raw frames: counts awareness bytes, applies document updates.
    const ws = new WebSocket(t.wsUrl);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const seen = new Y.Doc();
    let authenticated = false;
    let awarenessBytes = 0;
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarString(d) !== name) return;
      const type = decoding.readVarUint(d);
      if (type === AWARENESS) awarenessBytes += data.byteLength;
      else if (type === MessageTypes.AUTH) authenticated ||= decoding.readVarUint(d) === 2;
      else if (type === MessageTypes.SYNC && decoding.readVarUint(d) !== 0) Y.applyUpdate(seen, decoding.readVarUint8Array(d));
    });
    ws.send(authFrame(name, manager.token));
    await waitFor(() => authenticated, 5000, 'the watcher to authenticate');

    // Another manager's client with presence turned on (the provider's default).
    const other = await connect(t.wsUrl, name, manager.token);
    other.provider.setAwarenessField('blob', 'x'.repeat(100_000));
    // An edit sent after the awareness: once the watcher has it, the awareness would have come first.
    other.doc.getMap('job').set('description', 'after the awareness');
    await other.settled();
    await waitFor(() => seen.getMap('job').get('description') === 'after the awareness', 5000, 'the edit to reach the watcher');

    expect(awarenessBytes).toBe(0);
    expect(t.pitboard.hocuspocus.documents.get(name)!.awareness.getStates().size).toBe(0);
    expect(other.closes).toEqual([]);
    expect(other.provider.isSynced).toBe(true);
    expect(t.pitboard.sockets.awarenessDropped).toBeGreaterThan(0);
    other.close();
    ws.close();
  });
});

/**
 * Rolling-restart check for a deployment behind a proxy (docs/deploy.md): a mechanic's client
 * keeps editing through the proxy while the operator restarts the instances one by one;
 * afterwards every edit must be on the server. Usage:
 *   node --conditions=pitboard-source --import tsx deploy/rolling-restart-check.ts http://127.0.0.1:8080 <seconds>
 * It only talks to the URL given and stops by itself.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { addNote, readJob } from '@pitboard/job-model';
import WebSocket from 'ws';
import * as Y from 'yjs';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const seconds = Number(process.argv[3] ?? 20);
const login = async (email: string) =>
  (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'pitboard-demo' }) })).json()) as { token: string; user: { id: string } };

const mech = await login('mechanic@demo.pitboard.dev');
const jobs = (await (await fetch(`${base}/api/jobs`, { headers: { authorization: `Bearer ${mech.token}` } })).json()) as { id: string }[];
const jobId = jobs[0]!.id;
const doc = new Y.Doc();
const socket = new HocuspocusProviderWebsocket({ url: `${base.replace(/^http/, 'ws')}/collab`, WebSocketPolyfill: WebSocket });
const provider = new HocuspocusProvider({ websocketProvider: socket, name: `job:${jobId}`, document: doc, token: mech.token });
provider.attach();
await new Promise<void>((r) => provider.on('synced', () => r()));
console.log('synced; writing notes');

let written = 0;
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  addNote(doc, { text: `rolling ${written}`, authorId: mech.user.id, at: new Date().toISOString(), visibility: 'internal' });
  written += 1;
  await new Promise((r) => setTimeout(r, 100));
}
// Wait until the server has acknowledged everything (bounded).
const deadline = Date.now() + 30_000;
while (provider.unsyncedChanges > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
provider.destroy();
socket.destroy();

const boss = await login('manager@demo.pitboard.dev');
const view = (await (await fetch(`${base}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${boss.token}` } })).json()) as { notes: { text: string }[] };
const onServer = new Set(view.notes.map((n) => n.text));
const missing = readJob(doc).notes.filter((n) => n.text.startsWith('rolling ') && !onServer.has(n.text)).length;
console.log(`notes written: ${written}, on the server: ${written - missing}, missing: ${missing}`);
process.exit(missing === 0 ? 0 : 1);

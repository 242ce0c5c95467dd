/**
 * The baseline of `bench:throughput`: Hocuspocus with no auth and no hooks, persisting to the
 * same SQLite storage the same way Hocuspocus' Database extension does by default (load the
 * stored state, store the whole state on its debounce). Run as a child process; prints its port.
 *   DATA_DIR=… node --conditions=pitboard-source --import tsx bench/bare-server.ts
 */
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import { openStorage } from '../src/storage/index.js';

const storage = await openStorage({ databaseUrl: null, dataDir: process.env.DATA_DIR! });
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions: [
    new Database({
      fetch: ({ documentName }) => storage.loadDocument(documentName),
      store: ({ documentName, state }) => storage.compactDocument(documentName, state, () => true)
    })
  ]
});
await server.listen();
console.log(JSON.stringify({ msg: 'listening', port: server.address.port }));

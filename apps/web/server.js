/**
 * Production entry (`npm start`): one process, one port. The server core serves `/collab`
 * (Hocuspocus), the JSON API and `/healthz`; SvelteKit's handler serves the pages.
 */
import { createPitboard, installShutdown, loadConfig, printDemoLogins, startServer } from '@pitboard/server';

const pitboard = await createPitboard(loadConfig());
// The pages reach the same core instance (src/lib/server/pitboard.ts).
globalThis.__pitboard = pitboard;
const { handler } = await import('./build/handler.js');
const server = await startServer(pitboard, { fallback: handler });
printDemoLogins(pitboard);
installShutdown(server, pitboard.log);

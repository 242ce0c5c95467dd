/**
 * Production entry (`npm start`): one process, one port. The server core serves `/collab`
 * (Hocuspocus), the JSON API and `/healthz`; SvelteKit's handler serves the pages.
 */
import { createPitboard, installShutdown, loadConfig, printDemoLogins, startServer } from '@pitboard/server';

const pitboard = await createPitboard(loadConfig());
// The pages reach the same core instance (src/lib/server/pitboard.ts).
globalThis.__pitboard = pitboard;

// adapter-node assumes https unless told otherwise; take the scheme from X-Forwarded-Proto
// (set by a TLS proxy) or from the socket, so form actions pass SvelteKit's origin check on
// whatever host name the user typed. An operator's ORIGIN setting still wins.
process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
const { handler } = await import('./build/handler.js');
const pages = (req, res, next) => {
  req.headers['x-forwarded-proto'] ??= req.socket.encrypted ? 'https' : 'http';
  handler(req, res, next);
};

const server = await startServer(pitboard, { fallback: pages });
printDemoLogins(pitboard);
installShutdown(server, pitboard.log);

/**
 * Runs the server core alone (API and sync, no pages): used by tests that spawn a real process
 * and by operators who serve the web app elsewhere. The full app starts from apps/web/server.js.
 */
import { loadConfig } from './config.js';
import { startServer } from './http/server.js';
import { createPitboard } from './pitboard.js';
import { printDemoLogins } from './demo.js';
import { installShutdown } from './shutdown.js';

const pitboard = await createPitboard(loadConfig());
const server = await startServer(pitboard);
printDemoLogins(pitboard);
installShutdown(server, pitboard.log);

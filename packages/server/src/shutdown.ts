import type { RunningServer } from './http/server.js';
import type { Logger } from './log.js';

/** SIGTERM / SIGINT: stop gracefully (every document stored, database closed), then exit. */
export function installShutdown(server: RunningServer, log: Logger): void {
  const stop = (signal: string) => {
    log.info('signal received', { signal });
    server
      .stop()
      .then(() => process.exit(0))
      .catch((error) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

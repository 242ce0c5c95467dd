import type { Pitboard } from '@pitboard/server';

/** The server core this process runs (started by server.js, or by the dev plugin). */
export function pitboard(): Pitboard {
  const instance = globalThis.__pitboard;
  if (!instance) throw new Error('Pitboard core is not running: start the app with `npm start` or `npm run dev`');
  return instance;
}

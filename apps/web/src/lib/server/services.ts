import type { Services } from '@pitboard/server';

/**
 * The services of the server core this process runs (started by server.js, or by the dev
 * plugin): the same ones the HTTP API uses. Pages and hooks go through these, never storage.
 */
export function services(): Services {
  const instance = globalThis.__pitboard;
  if (!instance) throw new Error('Pitboard core is not running: start the app with `npm start` or `npm run dev`');
  return instance.services;
}

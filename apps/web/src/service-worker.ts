/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Pitboard's service worker: the app opens with no network (mechanic screens).
 *
 * - One cache per app version holds the build, static files, prerendered pages and the two
 *   client-rendered shells of the mechanic screens (`/m` and `/m/jobs/<id>`; `ssr = false`, so
 *   a shell holds no data and one shell serves every job id at that depth). Older versions'
 *   caches are deleted on activate; the page checks for a new worker on every navigation and a
 *   new one takes over at once (skipWaiting + claim), so nobody is kept on an old version.
 * - Mechanic pages: network first (short timeout), the cached shell when that fails.
 * - `__data.json` of the mechanic pages (the signed-in user from the `(app)` layout): network
 *   first, the last good answer when offline, so a signed-in mechanic keeps working offline.
 *   Forgotten on sign-out.
 * - `/api`, `/collab` are never cached here: the replicas in IndexedDB are the offline data.
 * - `/` (the installed app's start URL) sends each role to its home (server side); offline, a
 *   device with a signed-in mechanic's data goes to `/m`, which opens from the cache.
 * - Web Push (push-handlers.ts): alerts shown as system notifications with the tab closed.
 */
import { build, files, prerendered, version } from '$service-worker';
import { dataKind, dataPathOf, isDataRequest } from '$lib/sw/sveltekit-data';
import { handlePush, handleNotificationClick } from './service-worker/push-handlers';

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `pitboard-${version}`;
const ASSETS = new Set([...build, ...files, ...prerendered]);
const SHELL_LIST = '/m';
const SHELL_JOB = '/m/jobs/_shell';
const DATA_KEY = dataPathOf(SHELL_LIST);
const NETWORK_TIMEOUT_MS = 3500;

function isMechanicPage(pathname: string): boolean {
  return pathname === '/m' || pathname.startsWith('/m/');
}

function shellKey(pathname: string): string {
  return pathname.startsWith('/m/jobs/') ? SHELL_JOB : SHELL_LIST;
}

async function fetchWithTimeout(request: Request | string, ms = NETWORK_TIMEOUT_MS): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  try {
    return await fetch(request, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

/** Stores the user's layout data only when it is data (not a redirect to the login page). */
async function keepData(cache: Cache, response: Response): Promise<void> {
  const text = await response.clone().text();
  const kind = dataKind(text);
  if (kind === 'redirect') await cache.delete(DATA_KEY);
  if (kind !== 'data') return;
  await cache.put(DATA_KEY, new Response(text, { headers: { 'content-type': 'application/json' } }));
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...ASSETS]);
      // The shells and the current user's data (best effort: the user may be signed out).
      await Promise.all(
        [SHELL_LIST, SHELL_JOB].map(async (path) => {
          try {
            const res = await fetch(path, { credentials: 'same-origin' });
            if (res.ok) await cache.put(path, res);
          } catch {
            /* offline install: the next online navigation fills it */
          }
        })
      );
      try {
        const res = await fetch(DATA_KEY, { credentials: 'same-origin' });
        if (res.ok) await keepData(cache, res);
      } catch {
        /* ignore */
      }
      await sw.skipWaiting();
    })()
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })()
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;

  if (request.method !== 'GET') {
    // Signing out: forget the cached user, so an offline start does not show them.
    if (url.pathname.startsWith('/logout') || url.pathname === '/api/auth/logout') {
      // The server deletes this device's push subscriptions with the session; the browser's goes too.
      event.waitUntil(
        Promise.all([
          caches.open(CACHE).then((c) => c.delete(DATA_KEY)),
          sw.registration.pushManager.getSubscription().then((s) => s?.unsubscribe())
        ])
      );
    }
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname === '/collab' || url.pathname === '/healthz' || url.pathname === '/metrics') return;

  event.respondWith(respond(request, url));
});

async function respond(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);

  // Build output and static files never change within a version: cache first.
  if (ASSETS.has(url.pathname)) {
    const hit = await cache.match(url.pathname);
    if (hit) return hit;
  }

  if (isMechanicPage(url.pathname) && isDataRequest(url.pathname)) {
    try {
      const res = await fetchWithTimeout(request);
      if (res.ok) await keepData(cache, res);
      return res;
    } catch {
      const hit = await cache.match(DATA_KEY);
      if (hit) return hit;
      throw new Error('offline and no cached data');
    }
  }

  if (request.mode === 'navigate' && url.pathname === '/') {
    try {
      return await fetchWithTimeout(request);
    } catch {
      // Offline start of the installed app: a signed-in mechanic's screens work from the cache.
      if (await cache.match(DATA_KEY)) return Response.redirect('/m', 302);
      return offlinePage();
    }
  }

  if (request.mode === 'navigate' && isMechanicPage(url.pathname)) {
    const key = shellKey(url.pathname);
    try {
      const res = await fetchWithTimeout(request);
      if (res.ok && res.type === 'basic' && !res.redirected) await cache.put(key, res.clone());
      return res;
    } catch {
      const hit = (await cache.match(key)) ?? (await cache.match(SHELL_LIST));
      if (hit) return hit;
      return offlinePage();
    }
  }

  try {
    const res = await fetch(request);
    return res;
  } catch (error) {
    const hit = await cache.match(request);
    if (hit) return hit;
    if (request.mode === 'navigate') return offlinePage();
    throw error;
  }
}

sw.addEventListener('push', (event) => event.waitUntil(handlePush(sw, event)));
sw.addEventListener('notificationclick', (event) => event.waitUntil(handleNotificationClick(sw, event)));

function offlinePage(): Response {
  const html = `<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Offline · Pitboard</title>
<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem">
<h1>You are offline</h1><p>This page needs a connection. The mechanic screens work offline: <a href="/m">open My jobs</a>.</p></body>`;
  return new Response(html, { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * The one place Pitboard reads SvelteKit's own `__data.json` format (SvelteKit 2, not a public
 * API): a page's server data is fetched from its path + `/__data.json`; the body is
 * newline-delimited JSON whose first line is `{"type":"data","nodes":[…]}`, or
 * `{"type":"redirect","location":…}` when a load redirected (signed out → the login page); later
 * lines (`{"type":"chunk",…}`) carry streamed promises. The service worker keeps the mechanic's
 * last good answer for offline use. test/e2e/sveltekit-data.e2e.ts checks this against real
 * answers of the built app, so a SvelteKit upgrade that changes it fails there.
 */
const DATA_SUFFIX = '/__data.json';

/** Is this the server-data request of a page (rather than the page itself)? */
export function isDataRequest(pathname: string): boolean {
  return pathname.endsWith(DATA_SUFFIX);
}

/** The data request of the page at `pathname`. */
export function dataPathOf(pathname: string): string {
  return pathname.replace(/\/$/, '') + DATA_SUFFIX;
}

/** What a `__data.json` body says: the page's data, a redirect, or something else. */
export function dataKind(body: string): 'data' | 'redirect' | 'other' {
  const first = body.split('\n', 1)[0] ?? '';
  try {
    const type = (JSON.parse(first) as { type?: unknown }).type;
    return type === 'data' || type === 'redirect' ? type : 'other';
  } catch {
    return 'other';
  }
}

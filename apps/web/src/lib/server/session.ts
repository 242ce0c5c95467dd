/** The session cookie's name (docs/api.md): the same cookie the API and /collab accept. */
export const SESSION_COOKIE = 'session';

/** The device cookie (the server core's auth/device-cookie.ts): lets a known browser past the sign-in throttle. */
export const DEVICE_COOKIE = 'device';
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;

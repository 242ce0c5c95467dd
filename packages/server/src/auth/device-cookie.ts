/**
 * Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): after a
 * successful sign-in the browser gets a cookie proving that this device once knew this
 * account's password. Sign-in throttling treats such a device apart from everyone else, so an
 * attacker guessing the password cannot lock its owner out.
 *
 * Value: `<nonce>.<mac>`, mac = HMAC-SHA256(key: the account's stored password hash,
 * "pitboard-device:" email ":" nonce). The stored hash is a secret only the server holds,
 * the same on every instance (it is in the database), and changes with the password — which
 * retires every device cookie of the account. Nothing is stored per device.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { randomString } from './tokens.js';

export const DEVICE_COOKIE = 'device';
const MAX_AGE_SECONDS = 365 * 24 * 3600;

function mac(passwordHash: string, email: string, nonce: string): string {
  return createHmac('sha256', passwordHash).update(`pitboard-device:${email}:${nonce}`).digest('base64url');
}

/** A new device cookie value for the account. */
export function issueDevice(passwordHash: string, email: string): string {
  const nonce = randomString(15);
  return `${nonce}.${mac(passwordHash, email, nonce)}`;
}

/** The device's id (its nonce) when `value` was issued for this account and password, else null. */
export function verifyDevice(value: string | null | undefined, passwordHash: string | null, email: string): string | null {
  if (!value || !passwordHash || value.length > 200) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const nonce = value.slice(0, dot);
  const expected = Buffer.from(mac(passwordHash, email, nonce));
  const given = Buffer.from(value.slice(dot + 1));
  return given.length === expected.length && timingSafeEqual(given, expected) ? nonce : null;
}

export function deviceCookie(value: string, secure: boolean): string {
  return `${DEVICE_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${MAX_AGE_SECONDS}${secure ? '; Secure' : ''}`;
}

export const DEVICE_COOKIE_MAX_AGE_SECONDS = MAX_AGE_SECONDS;

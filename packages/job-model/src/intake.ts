/**
 * The bike's serial number and the customer's phone, recorded at intake (SPEC S8): how they are
 * checked before they are written, and the forms search compares (Q1).
 */
import { JobModelError } from './errors.js';
import { LIMITS } from './schema.js';

/** A serial as stored: trimmed, inner runs of spaces kept as one. '' clears it. */
export function checkSerial(value: unknown): string {
  if (typeof value !== 'string') throw new JobModelError('serial must be a string');
  const serial = value.trim().replace(/\s+/g, ' ');
  if (serial.length > LIMITS.serial) throw new JobModelError(`serial must be at most ${LIMITS.serial} characters`);
  return serial;
}

/**
 * A phone as the customer gave it (kept as written, so it reads back the same), checked to hold
 * only what phone numbers hold and at least 3 digits. '' clears it.
 */
export function checkPhone(value: unknown): string {
  if (typeof value !== 'string') throw new JobModelError('customerPhone must be a string');
  const phone = value.trim().replace(/\s+/g, ' ');
  if (phone === '') return '';
  if (phone.length > LIMITS.phone) throw new JobModelError(`customerPhone must be at most ${LIMITS.phone} characters`);
  if (!/^\+?[0-9 ()./-]+$/.test(phone) || phoneDigits(phone).length < 3) {
    throw new JobModelError('customerPhone must be a phone number (digits, spaces, + - ( ) . /)');
  }
  return phone;
}

/** Q1: the digits of a phone, so "06 12 34" and "061234" are the same number to search. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** Q1: a serial as search compares it: lower case, no spaces or dashes. */
export function serialKey(serial: string): string {
  return serial.toLowerCase().replace(/[\s-]/g, '');
}

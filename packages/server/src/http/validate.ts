/** Small checks for JSON bodies: each names the field and says what is wrong. */
import { BadRequestError } from '../errors.js';

export function requiredString(body: Record<string, unknown>, key: string, max = 200): string {
  const v = body[key];
  if (typeof v !== 'string' || !v.trim()) throw new BadRequestError(`${key} is required`);
  if (v.length > max) throw new BadRequestError(`${key} must be at most ${max} characters`);
  return v.trim();
}

export function optionalString(body: Record<string, unknown>, key: string, max = 2000): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new BadRequestError(`${key} must be a string`);
  if (v.length > max) throw new BadRequestError(`${key} must be at most ${max} characters`);
  return v.trim();
}

export function requiredBoolean(body: Record<string, unknown>, key: string): boolean {
  const v = body[key];
  if (typeof v !== 'boolean') throw new BadRequestError(`${key} must be true or false`);
  return v;
}

export function stringArray(body: Record<string, unknown>, key: string, { min = 0, max = 100, maxLength = 200 } = {}): string[] {
  const v = body[key];
  if (v === undefined && min === 0) return [];
  if (!Array.isArray(v)) throw new BadRequestError(`${key} must be a list of strings`);
  if (v.length < min) throw new BadRequestError(`${key} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
  if (v.length > max) throw new BadRequestError(`${key} may have at most ${max} entries`);
  return v.map((s, i) => {
    if (typeof s !== 'string' || !s.trim()) throw new BadRequestError(`${key}[${i}] must be a non-empty string`);
    if (s.length > maxLength) throw new BadRequestError(`${key}[${i}] must be at most ${maxLength} characters`);
    return s.trim();
  });
}

export function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new BadRequestError(`${key} must be an object`);
  return v as Record<string, unknown>;
}

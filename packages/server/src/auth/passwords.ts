/** Argon2id password hashes (OWASP's parameters, @node-rs/argon2's defaults). */
import { hash, verify } from '@node-rs/argon2';

/** `Algorithm.Argon2id` — a const enum, which isolated modules cannot import. */
const ARGON2ID = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

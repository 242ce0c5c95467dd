/** Random identifiers and secrets, and their hashes (Lucia's guide; @oslojs helpers). */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** 24 base32 characters = 120 random bits. */
export function randomString(bytes = 15): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return encodeBase32LowerCaseNoPadding(b);
}

export function sha256Bytes(value: string): Uint8Array {
  return sha256(new TextEncoder().encode(value));
}

export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256Bytes(value));
}

export { constantTimeEqual };

/**
 * Share-link tokens derived from the link's id with a server secret, so the database keeps only
 * their SHA-256 yet a manager can copy the same link again (docs/api.md, "Share links"). The
 * secret lives outside the database: SHARE_LINK_SECRET, else DATA_DIR/share-link.key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { constantTimeEqual, sha256Bytes, sha256Hex } from '../auth/tokens.js';

export const SHARE_LINK_KEY_FILE = 'share-link.key';
/** 20 bytes of the HMAC = 160 bits, 32 base32 characters (as long as the random tokens were). */
const TOKEN_BYTES = 20;

export class ShareTokens {
  private readonly key: Uint8Array;

  constructor(secret: Uint8Array) {
    if (secret.length < 16) throw new Error('the share-link secret must be at least 16 bytes');
    this.key = secret;
  }

  /** The link's token: the same for the same id and secret, unguessable without the secret. */
  tokenFor(linkId: string): string {
    return encodeBase32LowerCaseNoPadding(hmac(SHA256, this.key, new TextEncoder().encode(linkId)).slice(0, TOKEN_BYTES));
  }

  hashFor(linkId: string): string {
    return sha256Hex(this.tokenFor(linkId));
  }

  /**
   * The token again, if this server's secret made the stored hash; null when another secret
   * (another instance, a changed setting) or older code (random tokens) made it.
   */
  rederive(linkId: string, storedHash: string): string | null {
    const token = this.tokenFor(linkId);
    if (!/^[0-9a-f]{64}$/.test(storedHash)) return null;
    return constantTimeEqual(sha256Bytes(token), decodeHex(storedHash)) ? token : null;
  }
}

/**
 * The secret: SHARE_LINK_SECRET when set (instances sharing a database need the same one), else
 * a random key in DATA_DIR/share-link.key, created (mode 0600) on first start.
 */
export function loadShareLinkSecret(setting: string | null, dataDir: string): { secret: Uint8Array; source: string } {
  if (setting) return { secret: new TextEncoder().encode(setting), source: 'SHARE_LINK_SECRET' };
  const file = path.join(dataDir, SHARE_LINK_KEY_FILE);
  if (!fs.existsSync(file)) createKeyFile(file);
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new Error(`${file} is not a share-link key (64 hex characters expected). Restore it from a backup, or delete it to make a new one (links made with it keep working but can no longer be shown again).`);
  }
  return { secret: decodeHex(text), source: file };
}

/** Written beside, then linked into place: a concurrent start never reads a half-written key. */
function createKeyFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${encodeHexLowerCase(bytes)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process made it first
  } finally {
    fs.unlinkSync(temp);
  }
}

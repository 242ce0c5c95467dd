/**
 * The `storage` readiness check: a real, tiny committed write (Storage.probe), so a damaged
 * database file, a full disk or a read-only file system makes /healthz answer 503 instead of
 * OK while sign-ins fail.
 */
import type { Storage } from '../storage/index.js';
import { cachedCheck, withTimeout, type CheckResult, type HealthCheck } from './checks.js';

export function storageCheck(storage: Storage, { timeoutMs = 2000, cacheMs = 1500 } = {}): HealthCheck {
  return cachedCheck(async (): Promise<CheckResult> => {
    try {
      await withTimeout(storage.probe(timeoutMs), timeoutMs + 500, 'the database');
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: plainReason(error) };
    }
  }, cacheMs);
}

function plainReason(error: unknown): string {
  const code = String((error as { code?: string })?.code ?? '');
  const message = String((error as Error)?.message ?? error);
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) return `the database file is damaged (${message})`;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === '53100') return `the disk is full (${message})`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EROFS' || code.startsWith('SQLITE_IOERR')) {
    return `the database cannot be written (${message})`;
  }
  if (code.startsWith('SQLITE_BUSY')) return 'the database is locked by another process';
  return message;
}

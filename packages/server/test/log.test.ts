/**
 * The logger (src/log.ts, on pino): JSON lines with the level by name, LOG_LEVEL honoured
 * (`silent` too), warn and error on stderr, and an Error among the fields written with its stack
 * (the hand-written logger kept only name and message).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A logger writing into an array, one parsed object per line. */
function captured(level: string) {
  const lines: Record<string, any>[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

/** Runs a few log calls in a fresh process with the default destination, as the server does. */
function runProcess(env: Record<string, string>, code: string) {
  const script = `import { createLogger } from './src/log.js'; const log = createLogger(); ${code}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: serverRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000
  });
  expect(r.status, r.stderr).toBe(0);
  const parse = (out: string) => out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>);
  return { stdout: parse(r.stdout), stderr: parse(r.stderr) };
}

describe('logger', () => {
  it('writes an Error among the fields with its type, message and stack, under the caller’s key', () => {
    const { log, lines } = captured('info');
    const cause = new TypeError('socket hang up');
    const error = Object.assign(new Error('storage write failed', { cause }), { code: 'SQLITE_BUSY' });
    log.error('request failed', { method: 'POST', path: '/api/jobs', error });
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ level: 'error', msg: 'request failed', method: 'POST', path: '/api/jobs' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(line.error).toMatchObject({ type: 'Error', message: 'storage write failed: socket hang up', code: 'SQLITE_BUSY' });
    // The stack: where it was thrown (this file), then its cause's.
    expect(line.error.stack).toMatch(/^Error: storage write failed\n\s+at .*log\.test\.ts/);
    expect(line.error.stack).toMatch(/caused by: TypeError: socket hang up/);
  });

  it('leaves out an error’s fields that are objects (a Redis command and its arguments: a document’s bytes)', () => {
    const { log, lines } = captured('info');
    const error = Object.assign(new Error('Connection is closed.'), { code: 'ECONNRESET', command: { name: 'publish', args: ['pitboard:bus', Buffer.from('SECRET-NOTE')] } });
    log.warn('redis publish failed', { error });
    expect(lines[0]!.error).toEqual({ type: 'Error', message: 'Connection is closed.', stack: expect.stringMatching(/^Error: Connection is closed\./), code: 'ECONNRESET' });
    expect(JSON.stringify(lines)).not.toContain('pitboard:bus');
  });

  it('keeps plain fields as they are, and a line without fields has only time, level and msg', () => {
    const { log, lines } = captured('debug');
    log.debug('closed', { userId: 'u1', count: 2, nested: { a: [1, 2] }, error: 'not an Error' });
    log.info('stopped');
    expect(lines[0]).toEqual({ level: 'debug', time: expect.any(String), msg: 'closed', userId: 'u1', count: 2, nested: { a: [1, 2] }, error: 'not an Error' });
    expect(lines[1]).toEqual({ level: 'info', time: expect.any(String), msg: 'stopped' });
  });

  it('honours the level; an unknown one is taken as info', () => {
    for (const [level, expected] of [
      ['debug', ['debug', 'info', 'warn', 'error']],
      ['info', ['info', 'warn', 'error']],
      ['warn', ['warn', 'error']],
      ['error', ['error']],
      ['silent', []],
      ['loud', ['info', 'warn', 'error']]
    ] as const) {
      const { log, lines } = captured(level);
      for (const l of ['debug', 'info', 'warn', 'error'] as const) log[l](`at ${l}`);
      expect(lines.map((l) => l.level), level).toEqual(expected);
    }
  });

  it('in a process: LOG_LEVEL is read, debug and info go to stdout, warn and error (with the stack) to stderr', () => {
    const out = runProcess(
      { LOG_LEVEL: 'info' },
      `log.debug('hidden'); log.info('listening', { port: 3000 }); log.warn('redis error', { error: new Error('ECONNREFUSED') }); log.error('shutdown failed');`
    );
    expect(out.stdout).toEqual([{ level: 'info', time: expect.any(String), msg: 'listening', port: 3000 }]);
    expect(out.stderr.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'redis error'],
      ['error', 'shutdown failed']
    ]);
    expect(out.stderr[0]!.error.stack).toMatch(/^Error: ECONNREFUSED\n\s+at /);
  });

  it('in a process: LOG_LEVEL=silent writes nothing at all', () => {
    const out = runProcess({ LOG_LEVEL: 'silent' }, `log.info('a'); log.error('b', { error: new Error('c') });`);
    expect(out).toEqual({ stdout: [], stderr: [] });
  });
});

/**
 * The admin command line, on the same database as the server:
 *   npm run cli -- user add --role manager|mechanic|customer --email E --name N --password P
 *   npm run cli -- user list
 *   npm run cli -- user set-role --email E --role manager|mechanic|customer
 *   npm run cli -- user remove --email E
 *   npm run cli -- backup FILE      (SQLite's online backup: safe while the server runs)
 *   npm run cli -- restore FILE     (puts a backup back; the server stopped)
 *   npm run cli -- job import FILE  (a job file from `GET /api/jobs/:id/export` or `export`)
 *   npm run cli -- export DIR       (every job as its own file)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { Role } from '@pitboard/job-model';
import type { SessionsEnded } from '../auth/sessions.js';
import { addUser, ROLES } from '../auth/users.js';
import { loadConfig, type Config } from '../config.js';
import { BadRequestError, PitboardError } from '../errors.js';
import { createLogger } from '../log.js';
import { RedisBus } from '../scale/bus.js';
import { openStorage, type Storage } from '../storage/index.js';
import { sessionsEndedMessage } from '../sync/session-guard.js';
import { exportAllJobs, importJobFile } from './job-files.js';
import { restoreBackup } from './restore.js';

const USAGE = `usage:
  npm run cli -- user add --role manager|mechanic|customer --email E --name N --password P
  npm run cli -- user list [--role R]
  npm run cli -- user set-role --email E --role manager|mechanic|customer
  npm run cli -- user remove --email E
  npm run cli -- backup FILE
  npm run cli -- restore FILE
  npm run cli -- job import FILE
  npm run cli -- export DIR`;

async function main(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  if (noun === 'backup') return backup(verb);
  if (noun === 'restore') return restoreBackup(loadConfig(), verb, USAGE);
  if (noun === 'export') return exportAllJobs(loadConfig(), verb, USAGE);
  if (noun === 'job' && verb === 'import') return importJobFile(loadConfig(), rest[0], USAGE);
  if (noun !== 'user' || !['add', 'list', 'set-role', 'remove'].includes(verb ?? '')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
    strict: true
  });
  const config = loadConfig();
  const storage = await openStorage({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (verb === 'add') {
      if (!values.role || !values.email || !values.name || !values.password) {
        process.stderr.write(`user add needs --role, --email, --name and --password\n${USAGE}\n`);
        return 2;
      }
      const user = await addUser(storage, { role: values.role, email: values.email, name: values.name, password: values.password });
      process.stdout.write(`added ${user.role} ${user.email} (id ${user.id})\n`);
    } else if (verb === 'set-role' || verb === 'remove') {
      return await changeUser(storage, config, verb, values);
    } else {
      const users = await storage.listUsers(values.role as never);
      for (const u of users) process.stdout.write(`${u.id}\t${u.role}\t${u.email}\t${u.name}\n`);
      if (users.length === 0) process.stdout.write('no users\n');
    }
    return 0;
  } finally {
    await storage.close();
  }
}

/**
 * A role change or a removal ends every session of the user: their open connections close on
 * every instance (at once through Redis when REDIS_URL is set; otherwise at the server's next
 * session re-check, within SESSION_RECHECK_MS) and they sign in again as what they now are.
 */
async function changeUser(storage: Storage, config: Config, verb: 'set-role' | 'remove', values: { email?: string; role?: string }): Promise<number> {
  if (!values.email || (verb === 'set-role' && !values.role)) {
    process.stderr.write(`user ${verb} needs --email${verb === 'set-role' ? ' and --role' : ''}\n${USAGE}\n`);
    return 2;
  }
  if (verb === 'set-role' && !ROLES.includes(values.role as Role)) throw new BadRequestError(`role must be one of ${ROLES.join(', ')}`);
  const user = await storage.getUserByEmail(values.email.trim().toLowerCase());
  if (!user) {
    process.stderr.write(`no user with email ${values.email}\n`);
    return 1;
  }
  let ended: SessionsEnded;
  if (verb === 'set-role') {
    await storage.setUserRole(user.id, values.role as Role);
    await storage.deleteUserSessions(user.id);
    ended = { userId: user.id, reason: 'role changed' };
    process.stdout.write(`${user.email} is now ${values.role} (was ${user.role}); their sessions ended\n`);
  } else {
    await storage.deleteUser(user.id);
    ended = { userId: user.id, reason: 'account removed' };
    process.stdout.write(`removed ${user.role} ${user.email}; their sessions ended\n`);
  }
  if (config.redisUrl) {
    const bus = new RedisBus(config.redisUrl, createLogger('silent'), config.redisPrefix);
    try {
      await bus.publishNow(sessionsEndedMessage(ended));
    } finally {
      await bus.close();
    }
  }
  return 0;
}

/** Copies the live SQLite database to `file` with SQLite's online backup API. */
async function backup(file: string | undefined): Promise<number> {
  const config = loadConfig();
  if (!file) {
    process.stderr.write(`backup needs a target file\n${USAGE}\n`);
    return 2;
  }
  if (config.databaseUrl) {
    process.stderr.write('backup copies the embedded SQLite database; for PostgreSQL use pg_dump (docs/deploy.md)\n');
    return 2;
  }
  const source = path.join(config.dataDir, 'pitboard.sqlite');
  if (!fs.existsSync(source)) {
    process.stderr.write(`no database at ${source}\n`);
    return 1;
  }
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(path.resolve(file));
  } finally {
    db.close();
  }
  process.stdout.write(`backed up ${source} to ${path.resolve(file)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`error: ${error instanceof PitboardError ? error.reason : (error as Error).message}\n`);
    process.exit(1);
  }
);

/**
 * The admin command line, on the same database as the server:
 *   npm run cli -- user add --role manager|mechanic|customer --email E --name N --password P
 *   npm run cli -- user list
 *   npm run cli -- backup FILE      (SQLite's online backup: safe while the server runs)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { addUser } from '../auth/users.js';
import { loadConfig } from '../config.js';
import { PitboardError } from '../errors.js';
import { openStorage } from '../storage/index.js';

const USAGE = `usage:
  npm run cli -- user add --role manager|mechanic|customer --email E --name N --password P
  npm run cli -- user list [--role R]
  npm run cli -- backup FILE`;

async function main(argv: string[]): Promise<number> {
  const [noun, verb, ...rest] = argv;
  if (noun === 'backup') return backup(verb);
  if (noun !== 'user' || (verb !== 'add' && verb !== 'list')) {
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

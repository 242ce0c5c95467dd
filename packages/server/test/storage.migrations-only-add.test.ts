/**
 * Migrations only add. test/migrations.released.json lists every migration with a hash of its
 * file: a listed migration that is edited or removed fails here (a database that already ran it
 * would never see the change); a new migration is appended — one line in
 * src/storage/migrations/index.ts, one entry in the manifest — with a name after every other.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/storage/migrations/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const folder = path.resolve(here, '../src/storage/migrations');
const manifestFile = path.join(here, 'migrations.released.json');
const released = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { name: string; sha256: string }[];
const registered = Object.keys(MIGRATIONS);

const hashOf = (name: string) =>
  createHash('sha256')
    .update(fs.readFileSync(path.join(folder, `${name}.ts`), 'utf8').replace(/\r\n/g, '\n'))
    .digest('hex');

describe('migrations only add', () => {
  it('no released migration is removed or edited', () => {
    for (const { name, sha256 } of released) {
      expect(registered, `Released migration ${name} is gone from src/storage/migrations/index.ts. Databases ran it: put it back; undo its effect with a NEW migration.`).toContain(name);
      expect(
        hashOf(name),
        `Released migration ${name} was edited. Databases already ran it and will never see the change: restore it and put the change in a NEW migration (docs/architecture.md, Migrations).`
      ).toBe(sha256);
    }
  });

  it('every migration is in the manifest, in the order registered', () => {
    for (const name of registered) {
      if (!released.some((r) => r.name === name)) {
        expect.fail(`Migration ${name} is not in test/migrations.released.json. Append this entry to it:\n  { "name": "${name}", "sha256": "${hashOf(name)}" }`);
      }
    }
    expect(registered, 'index.ts lists the migrations in the manifest\'s order; new ones go at the end of both').toEqual(released.map((r) => r.name));
  });

  it('migrations are named <yyyymmdd>T<hhmm>_<what>, listed in name order, each file registered', () => {
    for (const name of registered) expect(name, 'name a migration like 20261202T1000_approvals').toMatch(/^\d{8}T\d{4}_[a-z0-9_]+$/);
    expect(registered, 'list migrations in index.ts in name order (a new one gets a later name and goes last)').toEqual([...registered].sort());
    const files = fs
      .readdirSync(folder)
      .filter((f) => f !== 'index.ts' && f.endsWith('.ts'))
      .map((f) => f.slice(0, -3));
    expect(files.sort(), 'every file in src/storage/migrations is registered in index.ts (one line)').toEqual([...registered].sort());
  });
});

/**
 * The CLI's job files: `job import FILE` brings one job in (jobs/job-import.ts), `export DIR`
 * writes every job as its own file (jobs/job-file.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { exportJob } from '../jobs/job-file.js';
import { importJob } from '../jobs/job-import.js';
import { openStorageWithDatabase } from '../storage/index.js';
import { JobImportStorage } from '../storage/job-import-storage.js';

/** Job files may be large (many notes) but not unbounded. */
const MAX_JOB_FILE_BYTES = 64 * 1024 * 1024;

export async function importJobFile(config: Config, file: string | undefined, usage: string): Promise<number> {
  if (!file) {
    process.stderr.write(`job import needs a file\n${usage}\n`);
    return 2;
  }
  if (!fs.existsSync(file)) {
    process.stderr.write(`no file at ${path.resolve(file)}\n`);
    return 1;
  }
  if (fs.statSync(file).size > MAX_JOB_FILE_BYTES) {
    process.stderr.write(`${file} is over ${MAX_JOB_FILE_BYTES / 1024 / 1024} MiB: not a Pitboard job file\n`);
    return 1;
  }
  const { storage, database } = await openStorageWithDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const { row, newUsers } = await importJob(storage, new JobImportStorage(database), fs.readFileSync(file, 'utf8'));
    process.stdout.write(`imported job #${row.number} (${row.bike}, ${row.status}) as id ${row.id}\n`);
    for (const u of newUsers) process.stdout.write(`  added ${u.role} ${u.name} <${u.email}> (no password yet)\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

export async function exportAllJobs(config: Config, dir: string | undefined, usage: string): Promise<number> {
  if (!dir) {
    process.stderr.write(`export needs a folder\n${usage}\n`);
    return 2;
  }
  fs.mkdirSync(dir, { recursive: true });
  const { storage } = await openStorageWithDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const rows = await storage.listJobs();
    const now = new Date().toISOString();
    for (const row of rows) {
      const file = await exportJob(storage, row.id, now);
      fs.writeFileSync(path.join(dir, `pitboard-job-${row.number}.json`), `${JSON.stringify(file, null, 2)}\n`);
    }
    process.stdout.write(`exported ${rows.length} job${rows.length === 1 ? '' : 's'} to ${path.resolve(dir)}\n`);
    return 0;
  } finally {
    await storage.close();
  }
}

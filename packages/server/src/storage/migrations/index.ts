/**
 * Schema migrations, in code, named by timestamp and only ever added to: a released
 * migration is never edited (add a new one instead). Each runs once per database.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import * as initial from './20261126T2200_initial.js';
import * as notifications from './20261126T2300_notifications.js';
import * as jobSeq from './20261202T0700_job_seq.js';
import * as healthProbe from './20261202T0800_health_probe.js';
import * as search from './20261202T1030_search.js';

export interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  { name: '20261126T2200_initial', up: initial.up },
  { name: '20261126T2300_notifications', up: notifications.up },
  { name: '20261202T0700_job_seq', up: jobSeq.up },
  { name: '20261202T0800_health_probe', up: healthProbe.up },
  { name: '20261202T1030_search', up: search.up }
];

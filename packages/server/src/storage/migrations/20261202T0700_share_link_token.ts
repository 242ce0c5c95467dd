import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * One customer link per job that staff can copy again: the token is kept beside its hash
 * (lookups still go by the hash). Links made before this migration have none: a manager makes
 * a new one. Why keeping it is acceptable: docs/api.md, "Share links".
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('share_links').addColumn('token', 'text').execute();
}

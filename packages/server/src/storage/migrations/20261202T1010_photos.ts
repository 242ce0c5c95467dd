import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * One row per stored photo: which job it belongs to (the serving checks start here), who
 * uploaded it, its stored type and size. On PostgreSQL (several instances, no shared disk) the
 * re-encoded image and its thumbnail are stored in the row; on SQLite they are files under
 * DATA_DIR/photos and these columns stay null (docs/deploy.md).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const blob = dialect === 'postgres' ? sql`bytea` : sql`blob`;
  await db.schema
    .createTable('photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('data', blob)
    .addColumn('thumb', blob)
    .execute();
  await db.schema.createIndex('photos_job').on('photos').column('job_id').execute();
}

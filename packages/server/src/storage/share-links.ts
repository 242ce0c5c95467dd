/** Share links: the customer's public progress page, by token hash (docs/security.md). */
import type { Kysely, Selectable } from 'kysely';
import type { Database, ShareLinksTable } from './schema.js';

export interface ShareLinkRow {
  id: string;
  jobId: string;
  tokenHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface ShareLinkStore {
  createShareLink(link: ShareLinkRow): Promise<void>;
  getShareLinkByHash(tokenHash: string): Promise<ShareLinkRow | null>;
  listShareLinks(jobId: string): Promise<ShareLinkRow[]>;
  /** Marks a link revoked; false when no live link of that job has that id. */
  revokeShareLink(jobId: string, linkId: string, at: string): Promise<boolean>;
}

/** Inserts a link in `db` (a transaction, when creating a job with its first link). */
export async function insertShareLink(db: Kysely<Database>, l: ShareLinkRow): Promise<void> {
  await db
    .insertInto('share_links')
    .values({ id: l.id, job_id: l.jobId, token_hash: l.tokenHash, created_by: l.createdBy, created_at: l.createdAt, expires_at: l.expiresAt, revoked_at: l.revokedAt })
    .execute();
}

function toShareLink(r: Selectable<ShareLinksTable>): ShareLinkRow {
  return { id: r.id, jobId: r.job_id, tokenHash: r.token_hash, createdBy: r.created_by, createdAt: r.created_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

export function shareLinkStore(db: Kysely<Database>): ShareLinkStore {
  return {
    createShareLink: (link) => insertShareLink(db, link),

    async getShareLinkByHash(tokenHash) {
      const r = await db.selectFrom('share_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r ? toShareLink(r) : null;
    },

    async listShareLinks(jobId) {
      const rows = await db.selectFrom('share_links').selectAll().where('job_id', '=', jobId).orderBy('created_at').execute();
      return rows.map(toShareLink);
    },

    async revokeShareLink(jobId, linkId, at) {
      const r = await db
        .updateTable('share_links')
        .set({ revoked_at: at })
        .where('id', '=', linkId)
        .where('job_id', '=', jobId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    }
  };
}

/**
 * The Storage interface on Kysely: each data area's store on the one open database (the same
 * queries serve SQLite and PostgreSQL).
 */
import type { OpenDatabase } from './database.js';
import { documentStore } from './documents.js';
import { KyselyJobSearch } from './job-search.js';
import { jobStore, toJob } from './jobs.js';
import { notificationStore } from './notifications.js';
import { KyselyOverdueAlerts } from './overdue-alerts.js';
import { KyselyApprovalDecisions } from './approval-decisions.js';
import { KyselyPhotoStorage } from './photo-storage.js';
import { sessionStore } from './sessions.js';
import { KyselyStatusHistory } from './status-history.js';
import { shareLinkStore } from './share-links.js';
import type { Storage } from './storage.js';
import { userStore } from './users.js';

export function kyselyStorage(opened: OpenDatabase): Storage {
  const { db, dialect } = opened;
  const { drain, ...documents } = documentStore(db, dialect);
  return {
    dialect,
    ...documents,
    ...userStore(db),
    ...sessionStore(db),
    ...jobStore(db),
    ...shareLinkStore(db),
    ...notificationStore(db, dialect),
    overdueAlerts: new KyselyOverdueAlerts(db),
    approvalDecisions: new KyselyApprovalDecisions(db),
    photos: new KyselyPhotoStorage(db),
    search: new KyselyJobSearch(db, toJob),
    statusHistory: new KyselyStatusHistory(db),
    probe: (waitMs) => opened.probe(waitMs),
    lockWaits: () => opened.lockWaits(),
    async close() {
      await drain();
      await opened.close();
    }
  };
}

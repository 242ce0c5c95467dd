/**
 * The services the HTTP API and the SvelteKit pages share: every read and write of a page goes
 * through one of these (which decide access in auth/access.ts), never through storage.
 */
import type { AuthService } from './auth/auth-service.js';
import type { StaffDirectory } from './auth/staff-directory.js';
import type { ApprovalService } from './jobs/approval-service.js';
import type { JobService } from './jobs/job-service.js';
import type { Shop } from './shop.js';
import type { NotificationService } from './notifications/notification-service.js';

export interface Services {
  /** Signing in and out, sessions. */
  auth: AuthService;
  jobs: JobService;
  staff: StaffDirectory;
  notifications: NotificationService;
  /** Lines after intake and the customer's decisions (SPEC A). */
  approvals: ApprovalService;
  /** What every page shows of the workshop's settings. */
  workshop: WorkshopSettings;
}

export interface WorkshopSettings {
  /** ISO 4217 code every price is shown in (`CURRENCY`). */
  currency: string;
  /** The shop as customers see it (`SHOP_*`). */
  shop: Shop;
}

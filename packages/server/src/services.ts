/**
 * The services the HTTP API and the SvelteKit pages share: every read and write of a page goes
 * through one of these (which decide access in auth/access.ts), never through storage.
 */
import type { AuthService } from './auth/auth-service.js';
import type { StaffDirectory } from './auth/staff-directory.js';
import type { JobService } from './jobs/job-service.js';
import type { NotificationService } from './notifications/notification-service.js';

export interface Services {
  /** Signing in and out, sessions. */
  auth: AuthService;
  jobs: JobService;
  staff: StaffDirectory;
  notifications: NotificationService;
}

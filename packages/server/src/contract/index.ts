/**
 * `@pitboard/server/contract`: the framework-free part of the server the web app runs in its own
 * code — who may do what (auth/access.ts) and one schema per request body (requests.ts), so the
 * pages' form actions decide and answer exactly as the API does. Nothing here opens storage or
 * sockets.
 */
export { hasRole, jobDocumentRefusal, jobsVisibleTo, requireJobView, requireManager, requireRole, seesEveryJob, seesStaffDetails } from '../auth/access.js';
export { checkRequest, parseRequest, type CheckedRequest } from './parse.js';
export { EMAIL } from './fields.js';
export * from './requests.js';

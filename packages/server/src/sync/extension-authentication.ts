/**
 * Who may open which document (docs/product.md, Who may change which facts; SPEC P8). The session comes from the
 * provider's token or, for browsers, the `session` cookie of the upgrade request.
 * Refusals reach the client as a permission-denied message with the reason, which carries its
 * machine-readable code (protocol.ts in @pitboard/job-model).
 */
import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { jobDocumentRefusal } from '../auth/access.js';
import type { AuthService } from '../auth/auth-service.js';
import { cookieValue, SESSION_COOKIE } from '../auth/auth-service.js';
import { refusal, SyncRefusal } from '../errors.js';
import { fromOwnSite } from '../http/origin.js';
import type { Logger } from '../log.js';
import type { Storage } from '../storage/index.js';
import type { ConnectionContext } from './context.js';
import { parseDocumentName } from './documents.js';
import { logIfRefusal } from './refusal-log.js';

export class Authentication implements Extension {
  extensionName = 'pitboard-authentication';

  constructor(
    private readonly auth: AuthService,
    private readonly storage: Storage,
    private readonly log: Logger,
    /** Told when a document on the socket of `request` has authenticated (the socket guard). */
    private readonly onSignedIn: (request: Request) => void = () => undefined,
    /** PUBLIC_URL's origin: a cookie-authenticated socket must come from our own pages. */
    private readonly allowedOrigins: readonly string[] = []
  ) {}

  async onAuthenticate(payload: onAuthenticatePayload): Promise<ConnectionContext> {
    let userId: string | null = null;
    try {
      const context = await this.authenticate(payload, (id) => (userId = id));
      this.onSignedIn(payload.request);
      return context;
    } catch (error) {
      logIfRefusal(this.log, error, payload.documentName, userId);
      throw new SyncRefusal(error);
    }
  }

  private async authenticate(
    { token, requestHeaders, documentName, connectionConfig }: onAuthenticatePayload,
    identified: (userId: string) => void
  ): Promise<ConnectionContext> {
    const address = parseDocumentName(documentName);
    const viaCookie = !token || token === 'cookie';
    // Another site's page can open a socket to us and the browser attaches our cookie: only
    // our own pages may sign in with it (a provider token cannot be forged that way).
    const cookie = viaCookie ? cookieValue(requestHeaders.get('cookie'), SESSION_COOKIE) : null;
    if (cookie && !fromOwnSite(requestHeaders, this.allowedOrigins)) throw refusal('cross_site');
    const credential = viaCookie ? cookie : token;
    const authenticatedAt = Date.now();
    const { user, sessionId } = await this.auth.sessions.validate(credential);
    identified(user.id);

    if (address.kind === 'inbox') {
      if (address.userId !== user.id) throw refusal('not_your_inbox');
      connectionConfig.readOnly = true;
    } else {
      const job = await this.storage.getJob(address.jobId);
      if (!job) throw refusal('no_such_job');
      const refused = jobDocumentRefusal({ id: user.id, role: user.role }, job.assigneeId);
      if (refused) throw refusal(refused);
    }
    return { user, sessionId, address, authenticatedAt };
  }
}

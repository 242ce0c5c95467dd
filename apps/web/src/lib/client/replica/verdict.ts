/**
 * What the server last said about a replica's document: refused it (its words for people, its
 * meaning from the reason's code — never from the words), asked to sign in again, or closed it
 * for a reason that passes. The replica feeds it the link's events.
 */
import { parseCloseReason } from '@pitboard/job-model';
import { closeKind, type CloseKind } from '../link';

export class ServerVerdict {
  /** The server refused us (reassigned, not allowed…), or the session is gone: its words, for people. */
  error: string | null = null;
  /** What `error` means, from the reason's code (never its words). */
  errorKind: CloseKind | null = null;
  needsSignIn = false;
  /** The server closed the document for a reason that passes (`closeKind`); it opens again by itself. */
  catchingUp = false;

  /** The document is open on the server again: nothing stands. */
  authenticated(): void {
    this.needsSignIn = false;
    this.catchingUp = false;
    this.setError(null);
  }

  /** Refused at connect. */
  authFailed(reason: string): void {
    this.setError(reason);
    this.needsSignIn = this.errorKind === 'sign-in';
  }

  /** The document was closed (a refused update, a passing limit…). */
  closed(reason: string): void {
    // Not an error to show: the link opens the document again, and its edits follow.
    if (closeKind(reason) === 'passing') {
      this.catchingUp = true;
      return;
    }
    this.setError(reason);
    if (this.errorKind === 'sign-in') this.needsSignIn = true;
  }

  /** The server told its state: a session problem it answered past is over. */
  heard(): void {
    if (!this.needsSignIn && this.errorKind === 'sign-in') this.setError(null);
  }

  /** The server says this user may not open the job any more (reassigned, deleted). */
  get lostAccess(): boolean {
    return !!this.error && this.errorKind === 'lost-access';
  }

  private setError(reason: string | null): void {
    if (reason === null) {
      this.error = null;
      this.errorKind = null;
      return;
    }
    const parsed = parseCloseReason(reason);
    this.error = parsed.text;
    this.errorKind = closeKind(parsed);
  }
}

/** The replica decides on a close reason's code, never its words (fake link; the real server: renamed-refusal.test.ts). */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addNote, encodeCloseReason, readJob } from '@pitboard/job-model';
import { localDb } from '../db';
import { ReplicaStore } from './store';
import { FakeServer, MECH, freshUser, seed, until } from './fake-server';

/**
 * The server's words are for people and may change (another wording, another language): what the
 * replica does follows the reason's code (protocol.ts), never its text.
 */
describe('renamed server messages', () => {
  async function refusedWith(how: 'denied' | 'refusing', reason: string) {
    const server = new FakeServer();
    const jobId = `w${Math.random().toString(36).slice(2, 8)}`;
    seed(server, jobId);
    const user = freshUser();
    const store = new ReplicaStore(user, localDb(user), server.connect);
    const r = store.acquire(jobId);
    await r.ready;
    await until(() => readJob(r.doc).items.length === 2);
    server.setOnline(false);
    r.change((d) => addNote(d, { text: 'offline note', authorId: MECH, at: new Date().toISOString(), visibility: 'internal' }));
    await r.saved();
    server[how] = reason;
    server.setOnline(true);
    await until(() => !!r.error || r.catchingUp || r.needsSignIn);
    const seen = { error: r.error, needsSignIn: r.needsSignIn, lostAccess: r.lostAccess, refused: r.refused, catchingUp: r.catchingUp };
    await store.close();
    return seen;
  }

  it('a session that ended, in other words (even without "session" or "signed in"), asks to sign in again', async () => {
    expect(await refusedWith('denied', encodeCloseReason('session_expired', 'Bitte melde dich erneut an'))).toEqual({
      error: 'Bitte melde dich erneut an',
      needsSignIn: true,
      lostAccess: false,
      refused: false,
      catchingUp: false
    });
    expect((await refusedWith('refusing', encodeCloseReason('session_ended', 'logged out elsewhere'))).needsSignIn).toBe(true);
  });

  it('a job taken away, in other words, is lost access — not a session problem', async () => {
    expect(await refusedWith('denied', encodeCloseReason('not_assigned', 'Dieser Auftrag gehört jetzt jemand anderem'))).toEqual({
      error: 'Dieser Auftrag gehört jetzt jemand anderem',
      needsSignIn: false,
      lostAccess: true,
      refused: true,
      catchingUp: false
    });
    expect((await refusedWith('refusing', encodeCloseReason('reassigned', 'moved to Ana'))).lostAccess).toBe(true);
  });

  it('a passing close, in other words, opens again by itself: no error', async () => {
    expect(await refusedWith('refusing', encodeCloseReason('rate_limited', 'Langsamer, bitte'))).toEqual({
      error: null,
      needsSignIn: false,
      lostAccess: false,
      refused: false,
      catchingUp: true
    });
  });

  it('words alone decide nothing: a refusal whose text says "session" or "assigned to someone else" is still a refusal', async () => {
    expect(await refusedWith('refusing', encodeCloseReason('not_allowed', 'session token: not signed in, assigned to someone else, slow down'))).toEqual({
      error: 'session token: not signed in, assigned to someone else, slow down',
      needsSignIn: false,
      lostAccess: false,
      refused: true,
      catchingUp: false
    });
    // A reason with no code (an older server) is shown as it is and waits for the user; a
    // code this client does not know is judged by its close code.
    expect((await refusedWith('refusing', 'too many messages: slow down')).refused).toBe(true);
    expect((await refusedWith('refusing', '4401 from_a_newer_server: please sign in')).needsSignIn).toBe(true);
  });
});

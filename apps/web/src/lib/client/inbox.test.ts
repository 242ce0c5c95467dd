/**
 * The inbox's answer to the server's `{type:'resync'}` (sent when the server's instance missed
 * messages while its Redis relay was down, docs/sync.md): ask again from the cursor, on the same
 * connection, and change nothing meanwhile. The socket is replaced by a recorder.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';

type Handlers = { onStateless(p: { payload: string }): void; onSynced(): void };
const sent: unknown[] = [];
let handlers: Handlers | null = null;
vi.mock('./connection', () => ({
  provide: (_name: string, _doc: unknown, h: Handlers) => {
    handlers = h;
    return { sendStateless: (payload: string) => sent.push(JSON.parse(payload)), destroy: () => undefined };
  }
}));
const { Inbox } = await import('./inbox.svelte');

describe('inbox: resync', () => {
  it('asks again from its last seq, and keeps what it has', async () => {
    const inbox = new Inbox('user-resync');
    await inbox.loaded;
    inbox.start();
    const notification = { id: 'n7', seq: 7, kind: 'ready_for_qc', jobId: 'j', createdAt: '2026-12-02T07:00:00.000Z', readAt: null };
    handlers!.onStateless({ payload: JSON.stringify({ type: 'notification', notification, unread: 1 }) });
    sent.length = 0;
    handlers!.onStateless({ payload: JSON.stringify({ type: 'resync' }) });
    expect(sent).toEqual([{ type: 'sync', after: 7, jobsAfter: 0 }]);
    expect(inbox.unread).toBe(1);
    expect(inbox.notifications.map((n) => n.id)).toEqual(['n7']);
    inbox.stop();
  });
});

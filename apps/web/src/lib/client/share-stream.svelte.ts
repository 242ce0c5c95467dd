/**
 * The share page's live channel: the public view over Server-Sent Events (EventSource
 * reconnects by itself), and its connection state for LiveStatus — "Live" only while the
 * stream is open and has delivered the current view (the server sends it first on every
 * connect), "Offline" when the browser is, "Reconnecting" otherwise.
 */
import type { PublicJobView } from '@pitboard/job-model';
import type { LiveState } from './liveness.svelte';

export class ShareStream {
  /** The newest view from the stream (null until the first). */
  view = $state<PublicJobView | null>(null);
  state = $state<LiveState>('connecting');
  updatedAt = $state<Date | null>(null);
  /** The link was switched off or expired. */
  gone = $state(false);

  /** Opens the stream; returns the function that closes it. */
  start(token: string): () => void {
    const path = `/api/share/${encodeURIComponent(token)}`;
    const source = new EventSource(`${path}/events`);
    let everLive = false;
    const down = () => (this.state = navigator.onLine === false ? 'offline' : everLive ? 'reconnecting' : 'connecting');
    source.addEventListener('error', () => {
      if (this.gone) return;
      down();
      // A refused stream (e.g. the link was revoked while we were away) is not retried by the browser.
      if (source.readyState === EventSource.CLOSED) {
        void fetch(path).then((r) => {
          if (r.status === 404) this.gone = true;
        });
      }
    });
    source.addEventListener('view', (e) => {
      this.view = JSON.parse((e as MessageEvent<string>).data) as PublicJobView;
      everLive = true;
      this.state = 'live';
      this.updatedAt = new Date();
    });
    source.addEventListener('gone', () => {
      this.gone = true;
      source.close();
    });
    const offline = () => (this.state = 'offline');
    window.addEventListener('offline', offline);
    window.addEventListener('online', down);
    return () => {
      source.close();
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', down);
    };
  }
}

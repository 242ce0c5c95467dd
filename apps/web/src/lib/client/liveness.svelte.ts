/**
 * Whether this tab is live (docs/sync.md, Connection status): the one source for the status
 * every signed-in screen shows (LiveStatus, the mechanic's sync bar). "Live" only while the
 * socket is open AND the catch-up after its latest (re)connect has completed; `lastUpdate` is
 * when the lists were last known to match the server (a completed catch-up or a live message).
 */
import { onConnectionState, type ConnectionState } from './connection';

export type LiveState = 'live' | 'connecting' | 'reconnecting' | 'offline';

export const LIVE_LABEL: Record<LiveState, string> = {
  live: 'Live',
  connecting: 'Connecting',
  reconnecting: 'Reconnecting',
  offline: 'Offline'
};

export function liveState(connection: ConnectionState, caughtUp: boolean, everLive: boolean): LiveState {
  if (connection === 'offline') return 'offline';
  if (connection === 'connected' && caughtUp) return 'live';
  return everLive || connection === 'reconnecting' ? 'reconnecting' : 'connecting';
}

class Liveness {
  connection = $state<ConnectionState>('connecting');
  caughtUp = $state(false);
  everLive = $state(false);
  lastUpdate = $state<Date | null>(null);
  private watching = false;

  get state(): LiveState {
    return liveState(this.connection, this.caughtUp, this.everLive);
  }

  /** Follows the shared socket (browser only; the inbox starts it). */
  watch(): void {
    if (this.watching || typeof window === 'undefined') return;
    this.watching = true;
    onConnectionState((s) => {
      this.connection = s;
      if (s !== 'connected') this.caughtUp = false;
    });
  }

  /** A (re)connect or resync started: the lists may be behind until its catch-up completes. */
  behind(): void {
    this.caughtUp = false;
  }

  caughtUpNow(): void {
    if (this.connection !== 'connected') return;
    this.caughtUp = true;
    this.everLive = true;
    this.lastUpdate = new Date();
  }

  /** A live message arrived: the lists are current as of now (if they were caught up). */
  heard(): void {
    if (this.caughtUp) this.lastUpdate = new Date();
  }
}

export const liveness = new Liveness();

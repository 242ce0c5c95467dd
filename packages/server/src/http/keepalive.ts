/**
 * Keepalive on `/collab` (docs/sync.md, Keepalive). The provider closes a socket on which
 * nothing arrived for `messageReconnectTimeout` (30 s) — and Pitboard's clients send no
 * awareness, so an idle screen heard nothing and reconnected every ~32 s. The server sends
 * every open socket Hocuspocus' connection-level Ping (one byte, 9) each interval; the 4.8
 * provider counts it as a message and answers Pong (one byte, 10). The Pong refreshes the
 * server's own idle timeout (Hocuspocus' `timeout`) and stops here: Hocuspocus 4.7 would read
 * it as a document name and close the socket.
 *
 * A dead link is still noticed: with the server gone or the network down no Ping arrives, and
 * the provider's 30 s timeout closes the socket as before; a client that stops answering is
 * closed by the server's idle timeout.
 */
export const PING = 9;
export const PONG = 10;
const PING_FRAME = new Uint8Array([PING]);

export interface KeepalivePeer {
  send(data: Uint8Array): unknown;
}

export class Keepalive {
  private readonly peers = new Set<KeepalivePeer>();
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `intervalMs` 0 turns the keepalive off. */
  constructor(private readonly intervalMs: number) {}

  add(peer: KeepalivePeer): void {
    if (this.intervalMs <= 0) return;
    this.peers.add(peer);
    this.timer ??= setInterval(() => this.pingAll(), this.intervalMs);
  }

  remove(peer: KeepalivePeer): void {
    this.peers.delete(peer);
    if (this.peers.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /**
   * Whether `data` is a keepalive answer (then it is handled, and goes no further). Kept as a
   * byte check, not lib0 decoding: a Pong is one whole frame of one byte, not a Hocuspocus
   * `[name][type]…` frame, and this runs on every message.
   */
  static isPong(data: Uint8Array): boolean {
    return data.length === 1 && data[0] === PONG;
  }

  private pingAll(): void {
    for (const peer of this.peers) {
      try {
        peer.send(PING_FRAME);
      } catch {
        this.peers.delete(peer); // closing: its close hook removes it too
      }
    }
  }
}

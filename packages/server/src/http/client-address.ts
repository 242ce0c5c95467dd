/**
 * The address a request came from, for per-address limits (sign-in throttling, share-stream
 * caps). One function so every limit keys on the same thing: the socket's remote address.
 */
import type { IncomingMessage } from 'node:http';

export function clientAddress(request: IncomingMessage): string {
  return request.socket.remoteAddress ?? 'unknown';
}

/**
 * The one place Pitboard reaches into @hocuspocus/provider's internals (4.x). The provider
 * sends a Close for a document when it detaches only if the provider is on its socket's
 * `providerMap` (`HocuspocusProviderWebsocket.configuration.providerMap`, keyed by
 * `effectiveName`). Where the server holds no connection for the document it would queue that
 * Close and replay it into the document's next authentication on the socket, closing it at once
 * (docs/sync.md). provider-internals.test.ts fails if the library's shape changes under this.
 */
import type { HocuspocusProvider } from '@hocuspocus/provider';

/** Takes the provider off its socket's map, so its next detach sends no Close. */
export function skipCloseOnDetach(provider: HocuspocusProvider): void {
  const map: unknown = provider.configuration.websocketProvider.configuration.providerMap;
  // Loud rather than silently sending the Close this exists to avoid.
  if (!(map instanceof Map)) throw new Error('@hocuspocus/provider changed: its socket has no providerMap (see provider-internals.ts)');
  map.delete(provider.effectiveName);
}

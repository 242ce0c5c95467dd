/**
 * The provider internals provider-internals.ts relies on, checked on the real
 * @hocuspocus/provider: an attached provider is on its socket's `providerMap` under its
 * `effectiveName`, detaching such a provider sends a Close, and one taken off the map sends none.
 * An upgrade that renames or reshapes any of it fails here first.
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { skipCloseOnDetach } from './provider-internals';

const made: { destroy(): void }[] = [];
afterEach(() => made.splice(0).forEach((x) => x.destroy()));

function attached(name: string) {
  // Never connects: the socket's bookkeeping is what is checked.
  const socket = new HocuspocusProviderWebsocket({ url: 'ws://127.0.0.1:9/collab', autoConnect: false, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: new Y.Doc(), token: 'cookie', awareness: null });
  provider.attach();
  made.push(provider, socket);
  const send = vi.spyOn(provider, 'send');
  return { socket, provider, send };
}

describe('@hocuspocus/provider internals behind provider-internals.ts', () => {
  it('an attached provider is on its socket’s providerMap, under its effectiveName', () => {
    const { socket, provider } = attached('job:shape');
    const map: unknown = socket.configuration.providerMap;
    expect(map).toBeInstanceOf(Map);
    expect((map as Map<string, unknown>).get(provider.effectiveName)).toBe(provider);
  });

  it('detaching a provider on the map sends a Close (what the adapter avoids)', () => {
    const { provider, send } = attached('job:close');
    provider.detach();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]![0].name).toBe('CloseMessage');
  });

  it('skipCloseOnDetach takes it off the map: its detach sends nothing', () => {
    const { socket, provider, send } = attached('job:quiet');
    skipCloseOnDetach(provider);
    expect(socket.configuration.providerMap.has(provider.effectiveName)).toBe(false);
    provider.detach();
    expect(send).not.toHaveBeenCalled();
    // Attached again, it is back on the map (a reopen authenticates on the same socket).
    provider.attach();
    expect(socket.configuration.providerMap.get(provider.effectiveName)).toBe(provider);
  });
});

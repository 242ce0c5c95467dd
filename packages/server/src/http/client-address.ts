/**
 * The client's address, for sign-in throttling and every other per-address limit.
 *
 * `X-Forwarded-For` is believed only from the proxies named in `TRUST_PROXY` (addresses or
 * CIDRs; default none): the list is walked from the right — the socket's peer first — skipping
 * trusted proxies, and the first address that is not one of them is the client. Anything left
 * of it was written by the client and proves nothing. With no trusted proxy the peer is the
 * client, whatever the header says.
 */
import { BlockList, isIP } from 'node:net';

export interface TrustedProxies {
  /** Whether `address` (a plain IPv4/IPv6 address) is a trusted proxy. */
  has(address: string): boolean;
  /** The setting as given, for logs. */
  readonly source: string;
}

/** Parses `TRUST_PROXY`: addresses or CIDRs separated by commas or spaces. Throws on a bad entry. */
export function parseTrustProxy(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [base, bits, extra] = entry.split('/');
    const address = normalise(base ?? '');
    const family = isIP(address);
    if (!family || extra !== undefined) throw new Error(`TRUST_PROXY: "${entry}" is not an address or CIDR`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(bits);
    if (!/^\d+$/.test(bits) || prefix > (family === 4 ? 32 : 128)) throw new Error(`TRUST_PROXY: "${entry}" has a bad prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return {
    source: entries.join(','),
    has: (a) => {
      const address = normalise(a);
      const family = isIP(address);
      return family !== 0 && entries.length > 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    }
  };
}

/** The setting of this process (`TRUST_PROXY`), for callers that have no Config at hand. */
let processDefault: TrustedProxies | null = null;
function fromEnvironment(): TrustedProxies {
  return (processDefault ??= parseTrustProxy(process.env.TRUST_PROXY));
}

/** What `clientAddress` needs of a request: Node's IncomingMessage has both. */
export interface AddressedRequest {
  socket?: { remoteAddress?: string | undefined } | null;
  headers: Record<string, string | string[] | undefined>;
}

export function clientAddress(request: AddressedRequest, trust: TrustedProxies = fromEnvironment()): string {
  return addressFrom(request.socket?.remoteAddress, request.headers['x-forwarded-for'], trust);
}

/** The same walk from a peer address and the header(s), for adapters that give those apart. */
export function addressFrom(peer: string | undefined, forwardedFor: string | string[] | null | undefined, trust: TrustedProxies): string {
  let client = normalise(peer ?? '');
  if (!client) return 'unknown';
  if (!trust.has(client) || !forwardedFor) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => normalise(h.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    // A hop that is not an address was forged or mangled: the last proxy we trust is all we know.
    if (!isIP(hop)) return client;
    client = hop;
    if (!trust.has(hop)) return hop;
  }
  return client;
}

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) is `1.2.3.4`; `[::1]:port` forms are not expected here. */
function normalise(address: string): string {
  const a = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1]! : a;
}

/**
 * The body of a push subscription request: what the browser's `PushSubscription.toJSON()` gives
 * (`{endpoint, expirationTime, keys:{p256dh, auth}}`), checked before anything is stored.
 */
import * as v from 'valibot';
import { BadRequestError } from '../errors.js';

const base64url = (name: string, bytes: number) =>
  v.pipe(
    v.string(`keys.${name} must be a string`),
    v.regex(/^[A-Za-z0-9_-]+=*$/, `keys.${name} must be base64url`),
    v.check((s) => Buffer.from(s, 'base64url').length === bytes, `keys.${name} must be ${bytes} bytes`)
  );

export const PushSubscriptionBody = v.object({
  endpoint: v.pipe(v.string('endpoint is required'), v.maxLength(2048, 'endpoint must be at most 2048 characters'), v.url('endpoint must be a URL')),
  expirationTime: v.optional(v.nullable(v.number())),
  keys: v.object(
    {
      // An uncompressed P-256 public key, and the 16-byte auth secret (RFC 8291).
      p256dh: base64url('p256dh', 65),
      auth: base64url('auth', 16)
    },
    'keys must be {p256dh, auth}'
  )
});

export type PushSubscriptionInput = v.InferOutput<typeof PushSubscriptionBody>;

/** The parsed body, or a 400 naming what is wrong; `https:` endpoints only unless allowed. */
export function parseSubscription(body: unknown, allowHttp: boolean): PushSubscriptionInput {
  const result = v.safeParse(PushSubscriptionBody, body);
  if (!result.success) throw new BadRequestError(result.issues[0]!.message);
  const protocol = new URL(result.output.endpoint).protocol;
  if (protocol !== 'https:' && !(allowHttp && protocol === 'http:')) throw new BadRequestError('endpoint must be an https: URL of a push service');
  return result.output;
}

/** `?endpoint=` of a DELETE: the subscription to remove. */
export function endpointParam(url: URL): string {
  const endpoint = url.searchParams.get('endpoint');
  if (!endpoint || endpoint.length > 2048) throw new BadRequestError('endpoint is required (?endpoint=…)');
  return endpoint;
}

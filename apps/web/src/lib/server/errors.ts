/**
 * The core's typed errors (PitboardError) carry `status` and `reason`. Pages only import the
 * core's types (one runtime instance lives in server.js), so they recognise errors by shape.
 */
export function isPitboardError(e: unknown): e is { status: number; reason: string; field?: string } {
  return typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' && typeof (e as { reason?: unknown }).reason === 'string';
}

/** A problem in the API's words (`bike is required`), as a sentence on a form. */
export function sentence(reason: string): string {
  return reason.charAt(0).toUpperCase() + reason.slice(1) + '.';
}

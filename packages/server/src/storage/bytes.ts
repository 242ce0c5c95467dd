/** PostgreSQL hands back Buffers; Yjs and our callers want plain Uint8Arrays. */
export function bytes(b: Uint8Array): Uint8Array {
  return b instanceof Buffer ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b;
}

/**
 * parseFrame (link.ts): what a server frame tells the replica, read with lib0's decoder as the
 * Hocuspocus provider reads it. Frames are written the way the server writes them: lib0 encoding,
 * `[varString name][varUint type]…`.
 */
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE_SYNC, MESSAGE_SYNC_STATUS, parseFrame, SYNC_STEP_1 } from './link';

const AUTH = 2;
const SYNC_STEP_2 = 1;

function frame(name: string | Uint8Array, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  if (typeof name === 'string') encoding.writeVarString(e, name);
  else encoding.writeVarUint8Array(e, name);
  write(e);
  return encoding.toUint8Array(e);
}

function stateVector(): Uint8Array {
  const doc = new Y.Doc();
  doc.getMap('job').set('bike', 'Brompton');
  doc.getArray('notes').push(['a', 'b']);
  return Y.encodeStateVector(doc);
}

const syncStep1 = (name: string | Uint8Array, sv: Uint8Array) =>
  frame(name, (e) => {
    encoding.writeVarUint(e, MESSAGE_SYNC);
    encoding.writeVarUint(e, SYNC_STEP_1);
    encoding.writeVarUint8Array(e, sv);
  });

describe('parseFrame', () => {
  it('reads the server’s state vector (SyncStep1), from an ArrayBuffer or a Uint8Array, as a copy', () => {
    const sv = stateVector();
    // A long name with non-ASCII characters: its length takes two varint bytes.
    for (const name of ['job:1', `job:${'ü'.repeat(100)}-${'x'.repeat(100)}`]) {
      const bytes = syncStep1(name, sv);
      for (const input of [bytes, bytes.slice().buffer]) {
        const parsed = parseFrame(input);
        expect(parsed).toEqual({ kind: 'server-state', stateVector: sv });
        if (parsed.kind !== 'server-state') continue;
        bytes.fill(0); // the frame's buffer is reused: the state vector kept must not change
        expect(parsed.stateVector).toEqual(sv);
        bytes.set(syncStep1(name, sv));
      }
    }
  });

  it('reads a sync-status frame as an acknowledgement, and the rest as other', () => {
    expect(parseFrame(frame('job:1', (e) => (encoding.writeVarUint(e, MESSAGE_SYNC_STATUS), encoding.writeVarUint(e, 1))))).toEqual({ kind: 'ack' });
    const update = Y.encodeStateAsUpdate(new Y.Doc());
    expect(parseFrame(frame('job:1', (e) => (encoding.writeVarUint(e, MESSAGE_SYNC), encoding.writeVarUint(e, SYNC_STEP_2), encoding.writeVarUint8Array(e, update))))).toEqual({
      kind: 'other'
    });
    expect(parseFrame(frame('job:1', (e) => (encoding.writeVarUint(e, AUTH), encoding.writeVarUint(e, 2))))).toEqual({ kind: 'other' });
  });

  it('takes a frame it cannot read as other, without throwing: cut anywhere, or a name that is not UTF-8', () => {
    const whole = syncStep1('job:1', stateVector());
    for (let cut = 0; cut < whole.length; cut++) expect(parseFrame(whole.subarray(0, cut)), `cut at ${cut}`).toEqual({ kind: 'other' });
    // A view on a larger buffer: the declared length runs past the view, into bytes that are not the frame's.
    const pooled = new Uint8Array(whole.length + 64).fill(7);
    pooled.set(whole);
    expect(parseFrame(pooled.subarray(0, whole.length - 1))).toEqual({ kind: 'other' });
    // The provider's lib0 decoder refuses a name that is not UTF-8; the replica must not act on that frame either.
    expect(parseFrame(syncStep1(new Uint8Array([0x6a, 0xff, 0xfe]), stateVector()))).toEqual({ kind: 'other' });
  });
});

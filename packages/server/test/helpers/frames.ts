/** Raw Hocuspocus frames, for tests that speak the protocol without a provider. */
import * as encoding from 'lib0/encoding';

const SYNC = 0;
const AUTH = 2;

function frame(documentName: string, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  write(e);
  return encoding.toUint8Array(e);
}

/** A Yjs update for the document: Sync, Update, payload. */
export const updateFrame = (documentName: string, update: Uint8Array) =>
  frame(documentName, (e) => {
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, 2); // a Yjs update
    encoding.writeVarUint8Array(e, update);
  });

/** An authentication with a token. */
export const authFrame = (documentName: string, token: string) =>
  frame(documentName, (e) => {
    encoding.writeVarUint(e, AUTH);
    encoding.writeVarUint(e, 0); // a token
    encoding.writeVarString(e, token);
  });

export const MessageTypes = { SYNC, AUTH } as const;

import * as Y from 'yjs';

/** A detached copy of a document, to try an update on before the real one sees it. */
export function cloneDoc(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** An update that carries no structs and no deletions (e.g. a client's empty sync step 2). */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}

import * as Y from 'yjs';
import { notesArray, stuckMap } from '@pitboard/job-model';

/** Text the user wrote on this device that the server does not have (so a discard need not lose it). */
export interface UnsentWriting {
  kind: 'note' | 'stuck';
  text: string;
}

/**
 * Notes (and a stuck reason) in `doc` whose Yjs items the server's state vector `serverState`
 * does not cover: what discarding this device's edits would lose.
 */
export function unsentWriting(doc: Y.Doc, serverState: Map<number, number>): UnsentWriting[] {
  const unsent = (id: Y.ID | undefined) => !!id && (serverState.get(id.client) ?? 0) <= id.clock;
  const out: UnsentWriting[] = [];
  for (const note of notesArray(doc).toArray()) {
    if (!(note instanceof Y.Map)) continue;
    const text = note.get('text');
    if (typeof text === 'string' && unsent(note._item?.id)) out.push({ kind: 'note', text });
  }
  const stuck = stuckMap(doc);
  const reason = stuck.get('reason');
  if (typeof reason === 'string' && reason && unsent(stuck._map.get('reason')?.id)) out.push({ kind: 'stuck', text: reason });
  return out;
}

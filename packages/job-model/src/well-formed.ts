/**
 * S1 at every depth: which Yjs content a job document may hold, judged on the Yjs structures
 * themselves rather than on their JSON. JSON hides content: a Y.Text reads as its string without
 * its embeds and formatting attributes, a Y.Map's list content and a format item in a list are
 * not read at all — so a note whose `text` was a Y.Text could carry megabytes no check saw.
 *
 * Allowed, and nothing else (SPEC S1, P1):
 * - `job` and `stuck` hold keys only, each a plain value (a string, number, boolean or null);
 * - `items`, `notes`, `qc`, `photos`, `parts` and `clock` hold list entries only, each a Y.Map holding keys only, each a
 *   plain value.
 * A plain value is Yjs' ContentAny (what `map.set(key, 'text')` writes). A shared type
 * (Y.Text, Y.Map, Y.Array, Y.Xml*), a sub-document, binary content, an embed or a formatting
 * attribute anywhere below the roots is refused.
 */
import * as Y from 'yjs';

const MAP_ROOTS = ['job', 'stuck'] as const;
const LIST_ROOTS = ['items', 'notes', 'qc', 'photos', 'parts', 'clock'] as const;

/** Paths (`notes[2].text`, `job.bike`, `items`) whose content S1 does not allow; empty when none. */
export function illFormedPaths(doc: Y.Doc): string[] {
  const paths: string[] = [];
  for (const root of MAP_ROOTS) {
    const type = doc.share.get(root);
    if (type) plainKeys(root, type, paths);
  }
  for (const root of LIST_ROOTS) {
    const type = doc.share.get(root);
    if (type) mapEntries(root, type, paths);
  }
  return paths;
}

/** The parts of a shared type these checks walk: its keyed items and its list of items. */
type Walked = Pick<Y.AbstractType<Y.YEvent<Y.Map<unknown>>>, '_map' | '_start'>;

/** Every live key of `type` must hold a plain value. */
function plainKeys(path: string, type: Walked, paths: string[]): void {
  type._map.forEach((item, key) => {
    if (!item.deleted && !(item.content instanceof Y.ContentAny)) paths.push(`${path}.${key}`);
  });
}

/**
 * Every live list item of `type` must be a Y.Map entry holding keys of plain values only. A
 * list entry that is a plain value is read (wrapped, see RawJob) and refused by the field checks;
 * the ones flagged here are those whose content JSON would hide.
 */
function mapEntries(path: string, type: Walked, paths: string[]): void {
  let index = 0;
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue;
    const at = `${path}[${index}]`;
    // A non-countable item (a formatting attribute) has no index and is read by no one.
    if (!item.countable) paths.push(`${path}[${index}] (formatting)`);
    else if (item.content instanceof Y.ContentType && item.content.type instanceof Y.Map) {
      const entry = item.content.type;
      if (hasLiveListContent(entry)) paths.push(at);
      plainKeys(at, entry, paths);
    } else if (item.content instanceof Y.ContentType || item.content instanceof Y.ContentDoc) paths.push(at);
    // Other entries (plain values) are visible to the checks, which refuse them as "must be a map".
    index += item.countable ? item.length : 0;
  }
}

function hasLiveListContent(type: Walked): boolean {
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return true;
  return false;
}

/**
 * When a loaded job document is compacted (its snapshot rewritten, the logged updates it holds
 * deleted: docs/sync.md, Durability). Compacting costs the whole document — encode it, merge it
 * with the stored snapshot, write it — and Hocuspocus asks for it every 2–10 s while edits go on:
 * on a job with 20,000 notes that was most of the server's time per tick (issue 15). So a
 * document is compacted when its log has grown by a quarter of the document's size since the
 * last compaction, so the cost per edit stays proportional to the edit (amortized), and always
 * when its last connection leaves (it is then unloaded, and starts with no log to replay).
 * Skipping a compaction loses nothing: every admitted update is already in the log.
 */
export const COMPACT_AT_LOG_FRACTION = 0.25;

export class CompactionPolicy {
  /** Per loaded document: its size at the last compaction (NaN before one), and the bytes logged since. */
  private readonly documents = new Map<string, { stateBytes: number; loggedBytes: number }>();

  logged(name: string, bytes: number): void {
    const d = this.documents.get(name);
    if (d) d.loggedBytes += bytes;
    else this.documents.set(name, { stateBytes: NaN, loggedBytes: bytes });
  }

  /** Whether to compact now; `connections` is how many connections the document still has. */
  due(name: string, connections: number): boolean {
    const d = this.documents.get(name);
    if (!d || connections === 0 || Number.isNaN(d.stateBytes)) return true;
    return d.loggedBytes >= d.stateBytes * COMPACT_AT_LOG_FRACTION;
  }

  /** Whether the document changed since its last compaction (so it must be compacted before unloading). */
  pending(name: string): boolean {
    return (this.documents.get(name)?.loggedBytes ?? 0) > 0;
  }

  /** Loaded from storage (snapshot and log merged, `bytes` long): as if just compacted to that size. */
  loaded(name: string, bytes: number): void {
    this.documents.set(name, { stateBytes: bytes, loggedBytes: 0 });
  }

  compacted(name: string, stateBytes: number): void {
    this.documents.set(name, { stateBytes, loggedBytes: 0 });
  }

  forget(name: string): void {
    this.documents.delete(name);
  }
}

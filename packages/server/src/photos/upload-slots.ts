/**
 * How many uploads may be in flight at once, per uploader and in all (docs/security.md): an
 * upload holds up to 10 MiB in memory and a re-encode keeps a core busy, so one phone retrying
 * in a loop, or many at once, cannot starve the others. Beyond a bound: 429, try again soon.
 */
import { RateLimitedError } from '../errors.js';

export class UploadSlots {
  private readonly perUser = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { perUser: number; total: number }) {}

  /** A slot for `userId`, or RateLimitedError; call the returned function once done. */
  take(userId: string): () => void {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= this.limits.perUser) throw new RateLimitedError(`at most ${this.limits.perUser} photo uploads at once; try again in a moment`, 2);
    if (this.total >= this.limits.total) throw new RateLimitedError('the server is busy with other photo uploads; try again in a moment', 2);
    this.perUser.set(userId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
    };
  }

  get inFlight(): number {
    return this.total;
  }
}

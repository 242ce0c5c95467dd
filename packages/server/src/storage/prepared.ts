/**
 * Hot-path queries built once: Kysely builds and compiles the query the first time (for the
 * open dialect), then each run only swaps in its parameters. Building a query per call was
 * about a tenth of the server's time per edit (docs/performance.md); the SQLite driver also
 * reuses its prepared statement for the same text (database.ts).
 */
import type { CompiledQuery, Compilable, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/** Stands for the i-th argument while the query is built (any type: only its position matters). */
// `any`: the placeholder stands where Kysely expects a value of each column's own type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Arg = (i: number) => any;

const MARK = '\u0000pitboard-arg:';

export class Prepared<A extends readonly unknown[]> {
  private compiled: { query: CompiledQuery; slots: ({ arg: number } | { value: unknown })[] } | null = null;

  /** `build` must use `arg(i)` for every value that changes between runs. */
  constructor(private readonly build: (arg: Arg) => Compilable) {}

  run<R = unknown>(db: Kysely<Database>, args: A): Promise<QueryResult<R>> {
    const { query, slots } = (this.compiled ??= this.compile());
    const parameters = slots.map((s) => ('arg' in s ? args[s.arg] : s.value));
    return db.executeQuery<R>({ ...query, parameters } as CompiledQuery<R>);
  }

  private compile() {
    const query = this.build((i) => `${MARK}${i}`).compile();
    const slots = query.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? { arg: Number(p.slice(MARK.length)) } : { value: p }));
    return { query, slots };
  }
}

/** The notification engine's queries (run for every projected edit) and the inbox's unread count (notifications.ts). */
export function notificationQueries(db: Kysely<Database>, dialect: 'sqlite' | 'postgres') {
  return {
    baseline: new Prepared<[string]>((arg) => {
      const q = db.selectFrom('jobs').select('event_baseline').where('id', '=', arg(0));
      // PostgreSQL: lock the job row so a second instance waits and then sees the new baseline.
      // SQLite: the write transaction is already exclusive.
      return dialect === 'postgres' ? q.forUpdate() : q;
    }),
    saveBaseline: new Prepared<[string, string]>((arg) => db.updateTable('jobs').set({ event_baseline: arg(0) }).where('id', '=', arg(1))),
    nextSeq: new Prepared<[]>(() =>
      db
        .updateTable('counters')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', 'notification_seq')
        .returning('value')
    ),
    coalesce: new Prepared<[string, string, string, number, string, string, string]>((arg) =>
      db
        .updateTable('notifications')
        .set({ title: arg(0), body: arg(1), created_at: arg(2), read_at: null, resolved_at: null, seq: arg(3) })
        .where('user_id', '=', arg(4))
        .where('job_id', '=', arg(5))
        .where('event_key', '=', arg(6))
        .returningAll()
    ),
    insertNotification: new Prepared<[string, number, string, string, string, string, string, string, string]>((arg) =>
      db
        .insertInto('notifications')
        .values({ id: arg(0), seq: arg(1), user_id: arg(2), job_id: arg(3), kind: arg(4), event_key: arg(5), title: arg(6), body: arg(7), created_at: arg(8), read_at: null, resolved_at: null })
        .onConflict((oc) => oc.columns(['user_id', 'job_id', 'event_key']).doNothing())
    ),
    openOfJob: new Prepared<[string]>((arg) => db.selectFrom('notifications').selectAll().where('job_id', '=', arg(0)).where('resolved_at', 'is', null)),
    resolve: new Prepared<[string, number, string]>((arg) => db.updateTable('notifications').set({ resolved_at: arg(0), seq: arg(1) }).where('id', '=', arg(2))),
    countUnread: new Prepared<[string]>((arg) =>
      db
        .selectFrom('notifications')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', arg(0))
        .where('read_at', 'is', null)
        .where('resolved_at', 'is', null)
    )
  };
}

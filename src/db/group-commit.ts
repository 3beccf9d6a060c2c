// Group commit for the embedded SQLite journal: every write (record, update) runs here.
//
// Why not through Prisma: with synchronous=FULL each commit costs an fsync (about 1.7 ms
// here), so one transaction per record caps the journal at a few hundred records a second,
// and Prisma's SQLite adapter can't batch writes safely (statements of other requests run
// inside its transactions on the one shared connection). Here the writes queued while a
// batch commits are run together, synchronously, in ONE transaction on the raw
// better-sqlite3 connection (no other statement can interleave: the batch runs to its end
// within one turn of the event loop), each job in a savepoint of its own, so:
// - one fsync is shared by every write of the batch, and a caller is answered only after
//   the commit that made its write durable;
// - a job that fails rolls back alone (its caller gets the error); a failed COMMIT fails
//   every job of the batch (none was acknowledged);
// - jobs see each other's effects in order, so dedup stays exact.
// The SQL comes from the same Prisma.sql builders the PostgreSQL path uses.
import type BetterSqlite3 from 'better-sqlite3';
import type { Prisma } from '../generated/prisma/client.ts';

/** Synchronous SQL inside a write job. Dates bind as epoch milliseconds (the stored form). */
export interface WriteTx {
  all<R = Record<string, unknown>>(sql: Prisma.Sql): R[];
  run(sql: Prisma.Sql): { changes: number };
}

export type WriteJob<T> = (tx: WriteTx) => T;

export interface GroupCommit {
  write<T>(job: WriteJob<T>): Promise<T>;
}

interface Pending {
  job: WriteJob<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many writes share one transaction (bounds the time the loop is held). */
const MAX_BATCH = 256;
/** Prepared statements kept, by SQL text (the journal has a handful of shapes). */
const MAX_STATEMENTS = 64;

function bindable(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value === undefined ? null : value;
}

export function createGroupCommit(db: BetterSqlite3.Database): GroupCommit {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: Prisma.Sql) => {
    let statement = statements.get(sql.sql);
    if (!statement) {
      if (statements.size >= MAX_STATEMENTS) statements.clear();
      statement = db.prepare(sql.sql);
      statements.set(sql.sql, statement);
    }
    return statement;
  };
  const tx: WriteTx = {
    all: <R>(sql: Prisma.Sql) => prepare(sql).all(...sql.values.map(bindable)) as R[],
    run: (sql) => ({ changes: prepare(sql).run(...sql.values.map(bindable)).changes }),
  };

  let queue: Pending[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(MAX_BATCH);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const { job } of batch) {
          try {
            // A nested transaction is a savepoint: a failing job rolls back alone.
            outcomes.push({ ok: true, value: db.transaction(() => job(tx))() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      schedule();
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
    schedule();
  };

  function schedule() {
    if (scheduled || queue.length === 0) return;
    scheduled = true;
    // setImmediate: writes that arrive while this turn's I/O is handled join the batch.
    setImmediate(flush);
  }

  return {
    write: <T>(job: WriteJob<T>) =>
      new Promise<T>((resolve, reject) => {
        queue.push({ job, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      }),
  };
}

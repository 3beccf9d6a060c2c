// Every statement the PostgreSQL backend runs, on the raw driver (node-postgres) over one
// bounded pool: reads and autocommit writes on any pooled connection, write transactions on
// one checked-out connection.
//
// Why not Prisma's client: the journal writes its own SQL, and Prisma's `$queryRaw` and
// batch `$transaction` cost more CPU than the statements (measured in-process: 1.6 vs
// 0.9 ms a record), CPU taken from PostgreSQL itself on a two-core machine.
//
// Promise: statements are prepared once per connection (named by their text, a bounded
// set); values and rows mean what the port says: a Date is written and read as UTC (the
// columns are `timestamp without time zone`, which pg would read in local time), bigint
// counts and sums come back as numbers, JSON parsed. A statement is not started once its
// signal has aborted. Every wait is the pool's: its statement, lock and connect timeouts.
import pg from 'pg';
import type { Row, Sql, WriteTx } from '../port.ts';

const OID = { INT8: 20, NUMERIC: 1700, TIMESTAMP: 1114 } as const;

/** `timestamp without time zone` text (UTC by the journal's convention) as a Date. */
function utcTimestamp(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}Z`);
}

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    if (format === 'binary') return pg.types.getTypeParser(oid, 'binary');
    if (oid === OID.TIMESTAMP) return utcTimestamp;
    if (oid === OID.INT8 || oid === OID.NUMERIC) return Number;
    return pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

/**
 * Statement names by SQL text. Values are parameters, so the journal has a bounded set of
 * texts; past MAX_NAMED (an unforeseen shape) statements run unnamed rather than grow
 * every connection's set of prepared statements without bound.
 */
const names = new Map<string, string>();
const MAX_NAMED = 512;

function query(sql: Sql): pg.QueryConfig {
  let name = names.get(sql.text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `lessons_${names.size}`;
    names.set(sql.text, name);
  }
  return {
    ...(name ? { name } : {}),
    text: sql.text,
    values: sql.values.map((value) => (value instanceof Date ? value.toISOString() : value)),
    types,
  };
}

function notAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/** One statement on a pooled connection: a read, or a write atomic by itself (autocommit). */
export async function statement(pool: pg.Pool, sql: Sql, signal: AbortSignal): Promise<Row[]> {
  notAborted(signal);
  return (await pool.query(query(sql))).rows;
}

export async function transaction<T>(
  pool: pg.Pool,
  job: (tx: WriteTx) => Promise<T>,
  signal: AbortSignal,
): Promise<T> {
  notAborted(signal);
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out connection that dies (the server killed or gone) emits 'error'; unheard,
  // that would be an uncaught exception. Heard, the statement in flight fails instead.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  const tx: WriteTx = {
    all: async (sql) => (await client.query(query(sql))).rows,
    run: async (sql) => (await client.query(query(sql))).rowCount ?? 0,
  };
  try {
    notAborted(signal);
    await client.query('BEGIN');
    try {
      const result = await job(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    }
  } catch (error) {
    // A connection that failed mid-statement (a timeout, a reset) is not given back.
    if (!(error instanceof pg.DatabaseError)) broken ??= error as Error;
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

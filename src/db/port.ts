// The backend port: what the journal may ask of a database, the same on every backend.
// Each backend (sqlite/, postgres/) implements it in a folder of its own, with its driver,
// its SQL dialect and its fault codes; the journal sees none of them.
//
// Promise of every implementation:
// - rows are normalised: columns under their SQL names, integers as numbers, timestamps as
//   Dates or epoch milliseconds (decoded by the journal's field registry), JSON as text
//   or parsed value;
// - every failure is a DatabaseFault with a reason from FaultReason (the metric label),
//   never a driver's own error;
// - a statement whose caller has stopped waiting (the signal aborted) is not started.
import type { Prisma } from '../generated/prisma/client.ts';

export type Sql = Prisma.Sql;
export type Row = Record<string, unknown>;

/** Why a journal operation failed: a short, stable label (a bounded set, for metrics). */
export type FaultReason =
  | 'timeout'
  | 'db_in_use'
  | 'db_unavailable'
  | 'table_missing'
  | 'schema_mismatch'
  | 'read_only'
  | 'disk_full'
  | 'busy'
  | 'corrupt'
  | 'io_error'
  | 'db_unreachable'
  | 'database'
  | 'internal';

/** A database failure, classified by the backend that saw it. */
export class DatabaseFault extends Error {
  constructor(
    readonly reason: FaultReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseFault';
  }
}

export interface ReadOptions {
  /** Aborted when the caller stops waiting: the read is then skipped or cancelled. */
  signal: AbortSignal;
  /** It may take long (an aggregate, a count, a text search): kept off the event loop. */
  long?: boolean;
}

/** The statements of one write transaction. Its awaits are on these calls only. */
export interface WriteTx {
  all(sql: Sql): Promise<Row[]>;
  /** The number of rows the statement changed. */
  run(sql: Sql): Promise<number>;
}

export type TimeBucket = 'hour' | 'day' | 'week';

/** What makes an auto record a duplicate of an earlier one (src/journal/record.ts). */
export interface DedupKey {
  workItemId: string | null;
  lessonType: string;
  stage: string | null;
  /** The window's start: an earlier lesson created before it is not a duplicate. */
  since: Date;
}

/** The SQL that differs between backends, as fragments the journal composes. */
export interface Dialect {
  /** The start of the UTC bucket of a timestamp column, as the backend stores timestamps. */
  bucket(column: string, bucket: TimeBucket): Sql;
  /** A text column compared in code-point order, whatever the database's collation. */
  codePointOrder(column: string): Sql;
  /** Whether a text column contains `needle` (already lower-cased), folding Unicode case. */
  containsFolded(column: string, needle: string): Sql;
  /** A JSON column as text, as it was written (detail). */
  jsonAsText(column: string): Sql;
  /** A JSON text as a value for a JSON column. */
  jsonValue(json: string | null): Sql;
  /**
   * A statement that holds back other writers of `key` until this transaction ends; none
   * where the backend runs writes one at a time anyway.
   */
  lockKey(key: string): Sql | undefined;
  /** Milliseconds from one timestamp column to another (later - earlier), as a number. */
  millisBetween(later: string, earlier: string): Sql;
  /** Milliseconds from a timestamp column to the moment `at` (at - column), as a number. */
  millisUntil(column: string, at: Date): Sql;
  /**
   * Whether a WITH may insert rows that the rest of its statement reads (a read, then a
   * write of what it read, in one round trip); where not, the journal runs the two as one
   * transaction.
   */
  writingWith: boolean;
  /** A timestamp column plus a number of milliseconds, as the backend stores timestamps. */
  plusMillis(column: string, ms: number): Sql;
  /** A text column's value as a JSON string literal, or `null` (JSON text for history). */
  jsonString(column: string): Sql;
  /**
   * Where one statement can be a whole record (several replicas write: one round trip
   * each). Undefined where the backend runs writes one at a time, so that one write job can
   * probe, then bump or insert, then apply the occurrence, in statements of its own.
   */
  wholeRecord?: WholeRecord;
  /**
   * What ends a SELECT in a write transaction to hold the rows it read until the
   * transaction ends (` FOR UPDATE`); empty where writes run one at a time anyway.
   */
  forUpdate: Sql;
}

/** The parts of a record that is one statement (src/journal/record.ts composes them). */
export interface WholeRecord {
  /**
   * A value that waits until no other writer of `lock` runs (in this process or another),
   * bumps the newest duplicate of `key` (occurrences + 1, last_seen_at `at`, never earlier
   * than it was) and is the id of the lesson it bumped, or null when there was none. The
   * journal evaluates it once, in a WITH that the statement's data-modifying INSERT reads
   * (inserting only when it is null).
   */
  bumpedDuplicate(lock: string, key: DedupKey, at: Date): Sql;
  /**
   * A value, evaluated after the statement's insert or bump, that applies an occurrence of
   * lesson `lessonId` at `at` to its pattern as src/journal/occurrence.ts says (regressed
   * when closed and fixed at or before `due`, late when closed and fixed later), with the
   * regression's history event (`reason`, at `now`) in the same statement.
   */
  occurred(lessonId: Sql, at: Date, due: Date, now: Date, reason: string): Sql;
}

export interface Backend {
  /** For logs and the tests' own inspection; never for a branch in the journal. */
  readonly provider: 'sqlite' | 'postgresql';
  readonly dialect: Dialect;
  read(sql: Sql, options: ReadOptions): Promise<Row[]>;
  /** One statement that is atomic by itself (no transaction around it); answered once durable. */
  write(sql: Sql, signal: AbortSignal): Promise<Row[]>;
  /** `job`'s statements as one transaction: all or nothing; answered once durable. */
  transaction<T>(job: (tx: WriteTx) => Promise<T>, signal: AbortSignal): Promise<T>;
  /** True once the database this connection writes to was seen deleted or replaced. */
  lost(): boolean;
  close(): Promise<void>;
}

// PostgreSQL's SQL where it differs from SQLite's.
import { Prisma } from '../../generated/prisma/client.ts';
import type { Dialect } from '../port.ts';

export const postgresDialect: Dialect = {
  bucket: (column, bucket) => Prisma.raw(`date_trunc('${bucket}', ${column})`),
  // A database's collation may be a locale's; "C" is code-point order.
  codePointOrder: (column) => Prisma.raw(`${column} COLLATE "C"`),
  containsFolded: (column, needle) =>
    Prisma.sql`strpos(lower(${Prisma.raw(column)}), ${needle}) > 0`,
  jsonAsText: (column) => Prisma.raw(`${column}::text`),
  // The jsonb column takes JSON text only through an explicit cast.
  jsonValue: (json) => Prisma.sql`CAST(${json} AS jsonb)`,
  // Several replicas may write the same key at once: a transaction-scoped advisory lock
  // serialises them (in READ COMMITTED each statement then sees what the previous holder
  // committed).
  lockKey: (key) => Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`,
  millisBetween: (later, earlier) =>
    Prisma.raw(`(EXTRACT(EPOCH FROM (${later} - ${earlier})) * 1000)::float8`),
  millisUntil: (column, at) =>
    Prisma.sql`(EXTRACT(EPOCH FROM (CAST(${at} AS timestamp(3)) - ${Prisma.raw(column)})) * 1000)::float8`,
  writingWith: true,
  plusMillis: (column, ms) =>
    Prisma.raw(`(${column} + ${Math.trunc(ms)} * interval '1 millisecond')`),
  // to_json of a null is null, which JSON spells `null`.
  jsonString: (column) => Prisma.raw(`COALESCE(to_json(${column})::text, 'null')`),
  wholeRecord: {
    // The function (migration 20261202061000_record_in_one_statement: the bumped id or
    // null) takes the lock as lockKey does, then probes and bumps in statements of its own,
    // whose snapshots see what an earlier holder of the lock committed.
    bumpedDuplicate: (lock, key, at) =>
      Prisma.sql`lessons_bump_duplicate(${lock}, ${key.workItemId}, ${key.lessonType}, ${key.stage},
        CAST(${key.since} AS timestamp(3)), CAST(${at} AS timestamp(3)))`,
    // The function (migration 20261203135229_lifecycle_history) runs the rule after the
    // record's insert or bump has locked the pattern's row.
    occurred: (lessonId, at, due, now, reason) =>
      Prisma.sql`lessons_occurred(${lessonId}, CAST(${at} AS timestamp(3)),
        CAST(${due} AS timestamp(3)), CAST(${now} AS timestamp(3)), CAST(${reason} AS text))`,
  },
  forUpdate: Prisma.raw(' FOR UPDATE'),
};

// occurrence: what one occurrence of a lesson (its recording, or a dedup bump of it) does to
// its pattern. The rule, which no caller can bypass since every record applies it in its
// own write:
// - a pattern that is closed and was fixed at least LESSONS_REGRESSION_GRACE_S before the
//   occurrence's time turns `regressed`: regressed_at is that time, regression_count and
//   version go up by one, and one history event by `system` says so;
// - a pattern that is closed and was fixed later than that (a lagged event from before
//   the fix, or from within the grace) stays closed: the occurrence counts in
//   late_occurrences;
// - a pattern open, muted or already regressed is left alone (a recurrence regresses it
//   once; 50 at once still once, since the pattern's row is held by each record in turn).
// The occurrence's time is the caller's occurredAt (record.ts), never the arrival, so an
// event from before a fix never reopens it.
//
// Where the record is one statement (PostgreSQL), the dialect's `occurred` runs this rule
// in the database (migration 20261203135229_lifecycle_history, the same rule in PL/pgSQL);
// elsewhere `applyOccurrence` runs it as statements of the record's write.
import type { WriteTx } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { EventKind, eventSql, historyValue, SYSTEM } from './history.ts';

export interface Occurrence {
  /** The occurrence's time. */
  at: Date;
  /** The latest fix it regresses: the occurrence's time minus the grace. */
  due: Date;
  /** The regression event's time (the arrival) and reason. */
  now: Date;
  reason: string;
}

export function occurrence(at: Date, graceSeconds: number, now: Date): Occurrence {
  return {
    at,
    due: new Date(at.getTime() - graceSeconds * 1000),
    now,
    reason: `an occurrence at ${at.toISOString()}, ${graceSeconds} s or more after the fix`,
  };
}

/** Applies the rule to the pattern of lesson `lessonId`, in the record's write. */
export async function applyOccurrence(
  tx: WriteTx,
  lessonId: number,
  o: Occurrence,
): Promise<'regressed' | 'late' | null> {
  const regresses = Prisma.sql`fixed_at <= ${o.due}`;
  const [row] = await tx.all(Prisma.sql`UPDATE patterns SET
      status = CASE WHEN ${regresses} THEN 'regressed' ELSE status END,
      regressed_at = CASE WHEN ${regresses} THEN ${o.at} ELSE regressed_at END,
      regression_count = regression_count + CASE WHEN ${regresses} THEN 1 ELSE 0 END,
      late_occurrences = late_occurrences + CASE WHEN ${regresses} THEN 0 ELSE 1 END,
      version = version + CASE WHEN ${regresses} THEN 1 ELSE 0 END
    WHERE id = (SELECT pattern_id FROM lessons WHERE id = ${lessonId}) AND status = 'closed'
    RETURNING id, status, version, regression_count`);
  if (!row) return null;
  if (row.status !== 'regressed') return 'late';
  const count = Number(row.regression_count);
  await tx.run(
    eventSql(
      'pattern',
      Number(row.id),
      Number(row.version),
      EventKind.REGRESSED,
      { actor: SYSTEM, reason: o.reason },
      [
        { field: 'status', from: 'closed', to: 'regressed' },
        { field: 'regressionCount', from: historyValue(count - 1), to: historyValue(count) },
      ],
      o.now,
    ),
  );
  return 'regressed';
}

// triage: a pattern's lifecycle as operators drive it (updatePattern): close with a fix,
// reopen, mute, or amend a closed pattern's fix; regressions are occurrence.ts's.
//
// - Closing sets fixedAt (default now; in the past is fine: the fix shipped then; in the
//   future is refused) and fixRef, and closes the pattern's open lessons (new, in
//   progress), each with its own `closed` event and the same reason. Closing an already
//   closed pattern amends its fix and closes lessons that arrived open since.
// - Reopening (status open) clears fixedAt and fixRef (the history keeps them); muting
//   keeps them. `regressed` is the journal's to set, never a caller's.
// - Every change is one `closed`, `reopened` or `updated` event with each changed field;
//   setting what is already set changes nothing and writes nothing.
// - With expectedVersion, a pattern at another version is left alone: 'conflict'.
import type { Dialect, WriteTx } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { type Author, EventKind, eventSql, type FieldChange, historyValue } from './history.ts';
import { OPEN_STATUSES, Status } from './slugs.ts';
import { changeLessons } from './update.ts';

export const PatternStatus = {
  OPEN: 'open',
  CLOSED: 'closed',
  REGRESSED: 'regressed',
  MUTED: 'muted',
} as const;

/** The statuses a caller may set. */
const SETTABLE: readonly string[] = [PatternStatus.OPEN, PatternStatus.CLOSED, PatternStatus.MUTED];

export interface PatternUpdate {
  status?: string | null;
  fixedAt?: Date | null;
  fixRef?: string | null;
  reason?: string | null;
  expectedVersion?: number | null;
}

/** Why an update can't be applied as asked, in words for the caller; null when it can. */
export function patternUpdateProblem(input: PatternUpdate, now: Date): string | null {
  const { status, fixedAt, fixRef } = input;
  if (status !== undefined && status !== null && !SETTABLE.includes(status)) {
    return status === PatternStatus.REGRESSED
      ? 'status regressed is set by the journal when a closed pattern recurs; set open, closed or muted'
      : `status must be one of ${SETTABLE.join(', ')}, not ${JSON.stringify(status)}`;
  }
  if (fixedAt && fixedAt.getTime() > now.getTime()) {
    return `fixedAt ${fixedAt.toISOString()} is in the future (now is ${now.toISOString()}): a fix is dated when it shipped`;
  }
  const nothing =
    (status === undefined || status === null) && fixedAt === undefined && fixRef === undefined;
  if (nothing) return 'nothing to change: give status, fixedAt or fixRef';
  return null;
}

export type UpdatePatternResult =
  | { kind: 'changed' | 'unchanged'; lessonsClosed: number }
  | { kind: 'missing' | 'conflict' }
  | { kind: 'refused'; message: string };

/** Applies an update that patternUpdateProblem accepted, in one transaction. */
export async function updatePattern(
  tx: WriteTx,
  dialect: Dialect,
  requested: number,
  input: PatternUpdate,
  author: Author,
  now: Date,
): Promise<UpdatePatternResult> {
  // A merged pattern answers as its survivor, here as in pattern(id).
  const [alias] = await tx.all(
    Prisma.sql`SELECT COALESCE(merged_into, id) AS id FROM patterns WHERE id = ${requested}`,
  );
  if (!alias) return { kind: 'missing' };
  const id = Number(alias.id);
  const closing = input.status === PatternStatus.CLOSED;
  // Its open lessons before its row: the order a dedup bump takes them in (update.ts).
  const open = closing
    ? await tx.all(Prisma.sql`SELECT id FROM lessons WHERE pattern_id = ${id}
        AND status IN (${Prisma.join(OPEN_STATUSES)}) ORDER BY id${dialect.forUpdate}`)
    : [];
  const [row] = await tx.all(Prisma.sql`SELECT status, fixed_at, fix_ref, version, merged_into
    FROM patterns WHERE id = ${id}${dialect.forUpdate}`);
  if (!row || (row.merged_into !== null && row.merged_into !== undefined))
    return { kind: 'missing' };
  const { expectedVersion } = input;
  if (expectedVersion !== null && expectedVersion !== undefined) {
    if (Number(row.version) !== expectedVersion) return { kind: 'conflict' };
  }
  const current = {
    status: String(row.status),
    fixedAt: row.fixed_at === null || row.fixed_at === undefined ? null : toDate(row.fixed_at),
    fixRef: (row.fix_ref as string | null) ?? null,
  };
  const status = input.status ?? current.status;
  if (status !== PatternStatus.CLOSED && (input.fixedAt || input.fixRef)) {
    return {
      kind: 'refused',
      message: `fixedAt and fixRef describe the fix of a closed pattern; this one is ${status}: close it (status closed) with them`,
    };
  }
  const wasClosed = current.status === PatternStatus.CLOSED;
  let next = current;
  if (status === PatternStatus.CLOSED) {
    next = {
      status,
      fixedAt: input.fixedAt ?? (wasClosed ? current.fixedAt : now),
      fixRef: input.fixRef !== undefined ? input.fixRef : wasClosed ? current.fixRef : null,
    };
  } else if (status === PatternStatus.OPEN) {
    next = { status, fixedAt: null, fixRef: null };
  } else {
    next = { ...current, status };
  }
  const changes: FieldChange[] = [];
  for (const field of ['status', 'fixedAt', 'fixRef'] as const) {
    const [from, to] = [historyValue(current[field]), historyValue(next[field])];
    if (from !== to) changes.push({ field, from, to });
  }
  if (changes.length > 0) {
    const kind =
      status === PatternStatus.CLOSED && !wasClosed
        ? EventKind.CLOSED
        : status === PatternStatus.OPEN
          ? EventKind.REOPENED
          : EventKind.UPDATED;
    const [updated] = await tx.all(Prisma.sql`UPDATE patterns SET status = ${next.status},
        fixed_at = ${next.fixedAt}, fix_ref = ${next.fixRef}, version = version + 1
      WHERE id = ${id} RETURNING version`);
    await tx.run(eventSql('pattern', id, Number(updated?.version), kind, author, changes, now));
  }
  const lessonsClosed = await changeLessons(
    tx,
    dialect,
    open.map((r) => Number(r.id)),
    { status: Status.CLOSED },
    author,
    now,
  );
  return { kind: changes.length > 0 ? 'changed' : 'unchanged', lessonsClosed };
}

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(Number(value)));

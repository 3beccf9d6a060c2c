// efficacy: did a pattern's fix make it rarer? (contract: "Pattern.efficacy").
//
// Promise: for a pattern with a fixedAt, `before` counts its lessons whose occurrence time
// (createdAt) is in [fixedAt - windowDays, fixedAt), `after` those in [fixedAt,
// min(asOf, fixedAt + windowDays)), whose length in days is afterDays; the rates per day,
// their ratio (null when rateBefore is 0), the one-sided exact conditional test of a
// decrease, pValue = P(K <= after) for K ~ Binomial(before + after, afterDays / (windowDays
// + afterDays)) (null when there is nothing to test: no lesson in either window, or no
// time after the fix yet), and the verdict: INSUFFICIENT_DATA when before + after < 5 or
// afterDays < 1, else EFFECTIVE when pValue < 0.05, REGRESSED when the upper tail
// P(K >= after) < 0.05, else INCONCLUSIVE. No fixedAt: no efficacy (null).
import type { Backend } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { lowerTail, upperTail } from './binomial.ts';
import { toDate } from './patterns.ts';
import { idChunks } from './sql.ts';

const DAY_MS = 86_400_000;
const SIGNIFICANCE = 0.05;

export type Verdict = 'EFFECTIVE' | 'REGRESSED' | 'INCONCLUSIVE' | 'INSUFFICIENT_DATA';

export interface Efficacy {
  fixedAt: Date;
  windowDays: number;
  before: number;
  after: number;
  afterDays: number;
  rateBefore: number;
  rateAfter: number;
  rateRatio: number | null;
  pValue: number | null;
  verdict: Verdict;
}

/** The windows of a fix: [beforeFrom, fixedAt) and [fixedAt, afterTo). */
function windows(fixedAt: Date, windowDays: number, asOf: Date) {
  const fixed = fixedAt.getTime();
  const afterTo = Math.max(fixed, Math.min(asOf.getTime(), fixed + windowDays * DAY_MS));
  return { beforeFrom: new Date(fixed - windowDays * DAY_MS), afterTo: new Date(afterTo) };
}

/** The figures from the two counts (the contract's formulas, in one place). */
function efficacyOf(
  fixedAt: Date,
  windowDays: number,
  asOf: Date,
  before: number,
  after: number,
): Efficacy {
  const { afterTo } = windows(fixedAt, windowDays, asOf);
  const afterDays = (afterTo.getTime() - fixedAt.getTime()) / DAY_MS;
  const rateBefore = before / windowDays;
  const rateAfter = afterDays > 0 ? after / afterDays : 0;
  const n = before + after;
  const p = afterDays / (windowDays + afterDays);
  const pValue = n === 0 || afterDays === 0 ? null : lowerTail(after, n, p);
  let verdict: Verdict = 'INCONCLUSIVE';
  if (n < 5 || afterDays < 1 || pValue === null) verdict = 'INSUFFICIENT_DATA';
  else if (pValue < SIGNIFICANCE) verdict = 'EFFECTIVE';
  else if (upperTail(after, n, p) < SIGNIFICANCE) verdict = 'REGRESSED';
  return {
    fixedAt,
    windowDays,
    before,
    after,
    afterDays,
    rateBefore,
    rateAfter,
    rateRatio: rateBefore === 0 ? null : rateAfter / rateBefore,
    pValue,
    verdict,
  };
}

/** The efficacy of each pattern that has a fix, by id (one statement per 500 patterns). */
export async function patternEfficacy(
  db: Backend,
  ids: readonly number[],
  windowDays: number,
  asOf: Date,
  signal: AbortSignal,
): Promise<Map<number, Efficacy>> {
  const out = new Map<number, Efficacy>();
  for (const chunk of idChunks([...new Set(ids)])) {
    const fixes = await db.read(
      Prisma.sql`SELECT id, fixed_at FROM patterns
        WHERE id IN (${Prisma.join(chunk)}) AND fixed_at IS NOT NULL`,
      { signal },
    );
    if (fixes.length === 0) continue;
    const parts = fixes.map((fix) => {
      const fixedAt = toDate(fix.fixed_at);
      const { beforeFrom, afterTo } = windows(fixedAt, windowDays, asOf);
      return {
        id: Number(fix.id),
        fixedAt,
        // The id is the database's own integer, written as a literal so that the union's
        // first column has one type on every backend.
        sql: Prisma.sql`SELECT ${Prisma.raw(String(Number(fix.id)))} AS id,
            COALESCE(SUM(CASE WHEN created_at < ${fixedAt} THEN 1 ELSE 0 END), 0) AS n_before,
            COALESCE(SUM(CASE WHEN created_at >= ${fixedAt} THEN 1 ELSE 0 END), 0) AS n_after
          FROM lessons WHERE pattern_id = ${Number(fix.id)}
            AND created_at >= ${beforeFrom} AND created_at < ${afterTo}`,
      };
    });
    const counts = await db.read(
      Prisma.join(
        parts.map((part) => part.sql),
        ' UNION ALL ',
      ),
      {
        signal,
      },
    );
    const byId = new Map(counts.map((row) => [Number(row.id), row]));
    for (const part of parts) {
      const row = byId.get(part.id);
      out.set(
        part.id,
        efficacyOf(
          part.fixedAt,
          windowDays,
          asOf,
          Number(row?.n_before ?? 0),
          Number(row?.n_after ?? 0),
        ),
      );
    }
  }
  return out;
}

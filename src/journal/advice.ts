// advice: what the journal has learned, offered before a stage runs, and whether it helped
// (contract: "Advisories, before a stage runs").
//
// Promise:
// - advisories(stage, repo, agent, workItemId, limit) -> the open or regressed patterns of
//   that stage (of that repo when given: a lesson of the pattern in it, or one attributed to
//   `platform`), best first by the score below, each shown once as an impression with an id
//   of its own; closed, muted and merged patterns never appear. The ranking (patterns,
//   their last seven days from pattern_days, two index probes each) and the insert of the
//   impressions: one statement where the backend can (writingWith), else one transaction.
// - feedback(id, verdict) -> the impression's answer (the latest one counts).
// - stats(patterns) -> shown, the answers, and recurredAfterShown: impressions whose work
//   item got a lesson of the pattern in [shownAt, shownAt + 24 h).
//
// The score, stated in the README (computed in SQL: rankedSql): (frequency + recency) *
// reach * regression, where
// frequency is its lessons per day over the last 7 UTC days (today included), recency is
// 1 / (1 + days since it was last seen), reach is log2(2 + its distinct work items), and
// regression is 2 for a regressed pattern, else 1. So a pattern that keeps recurring across
// many work items, or came back after a fix, comes first; a quiet old one sinks but stays.
import type { Backend, Row } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { PATTERN_COLUMNS, type Pattern, patternFromRow } from './patterns.ts';
import { Attribution } from './slugs.ts';
import { idChunks } from './sql.ts';

const DAY_MS = 86_400_000;
const RECENT_DAYS = 7;
const REGRESSED_WEIGHT = 2;
/** How long after an impression a lesson of its pattern means it recurred. */
const RECURRENCE_MS = DAY_MS;
/** The most advisories one call returns. */
export const MAX_ADVISORIES = 20;

export const VERDICTS = ['helped', 'not_relevant', 'wrong'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface AdvisoryQuery {
  stage: string;
  repo?: string | null;
  agent?: string | null;
  workItemId?: string | null;
  limit: number;
}

export interface Advisory {
  /** This impression's id (answer it with adviceFeedback). */
  id: string;
  pattern: Pattern;
  suggestion: string | null;
  score: number;
  why: string;
}

export interface AdviceStats {
  shown: number;
  helped: number;
  notRelevant: number;
  wrong: number;
  recurredAfterShown: number;
}

/** "3 hours", "2 days": how long ago, roughly, for a one-line why. */
function ago(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

function whyOf(pattern: Pattern, recentLessons: number, now: Date): string {
  const parts = [
    `${recentLessons} lesson${recentLessons === 1 ? '' : 's'} in the last ${RECENT_DAYS} days`,
    `${pattern.workItems} work item${pattern.workItems === 1 ? '' : 's'} in all`,
    `last seen ${ago(now.getTime() - pattern.lastSeenAt.getTime())} ago`,
  ];
  if (pattern.status === 'regressed') {
    parts.unshift(`regressed after its fix${pattern.fixRef ? ` (${pattern.fixRef})` : ''}`);
  }
  return parts.join('; ');
}

/**
 * The candidates, scored as the header says and ranked, best first (ties: the most
 * recently seen, then the lowest id), at most `limit`: columns PATTERN_COLUMNS, recent, score.
 * The score is computed here, in SQL, so that the ranking and its LIMIT run in the database
 * and the score returned is the one ranked by.
 */
function rankedSql(db: Backend, query: AdvisoryQuery, now: Date): Prisma.Sql {
  const recentFrom = new Date((Math.floor(now.getTime() / DAY_MS) - (RECENT_DAYS - 1)) * DAY_MS);
  const inRepo =
    query.repo === undefined || query.repo === null
      ? Prisma.empty
      : Prisma.sql`AND (
          EXISTS (SELECT 1 FROM lessons AS l WHERE l.pattern_id = p.id AND l.repo = ${query.repo})
          OR EXISTS (SELECT 1 FROM lessons AS l WHERE l.pattern_id = p.id
            AND l.attribution = ${Attribution.PLATFORM}))`;
  const age = Prisma.sql`(${db.dialect.millisUntil('c.last_seen_at', now)} / ${Prisma.raw(`${DAY_MS}.0`)})`;
  return Prisma.sql`SELECT c.*,
      (CAST(c.recent AS double precision) / ${Prisma.raw(String(RECENT_DAYS))}
        + 1.0 / (1.0 + CASE WHEN ${age} > 0 THEN ${age} ELSE 0 END))
      * (ln(2 + c.work_items) / ln(2))
      * CASE WHEN c.status = 'regressed' THEN ${Prisma.raw(String(REGRESSED_WEIGHT))} ELSE 1 END AS score
    FROM (SELECT ${PATTERN_COLUMNS},
        (SELECT COALESCE(SUM(d.lessons), 0) FROM pattern_days AS d
          WHERE d.pattern_id = p.id AND d.day >= ${recentFrom}) AS recent
      FROM patterns AS p
      WHERE p.stage = ${query.stage} AND p.status IN ('open', 'regressed')
        AND p.merged_into IS NULL AND p.lessons > 0 ${inRepo}) AS c
    ORDER BY score DESC, c.last_seen_at DESC, c.id ASC
    LIMIT ${query.limit}`;
}

/** An impression's columns, from a ranked row's pattern id and score. */
const impression = (query: AdvisoryQuery, now: Date) =>
  Prisma.sql`${query.stage}, ${query.repo ?? null}, ${query.agent ?? null},
    ${query.workItemId ?? null}, ${now}`;
const IMPRESSION_COLUMNS = Prisma.raw(
  'pattern_id, score, stage, repo, agent, work_item_id, shown_at',
);

function advisoryOf(row: Row, id: unknown, now: Date): Advisory {
  const pattern = patternFromRow(row);
  return {
    id: String(id),
    pattern,
    suggestion: pattern.suggestion,
    score: Number(row.score),
    why: whyOf(pattern, Number(row.recent ?? 0), now),
  };
}

export async function advisories(
  db: Backend,
  query: AdvisoryQuery,
  now: Date,
  signal: AbortSignal,
): Promise<Advisory[]> {
  const ranked = rankedSql(db, query, now);
  if (db.dialect.writingWith) {
    // One statement: the ranking, the impressions of exactly what it ranked, and both back.
    const rows = await db.write(
      Prisma.sql`WITH ranked AS (${ranked}),
        shown AS (INSERT INTO advisories (${IMPRESSION_COLUMNS})
          SELECT id, score, ${impression(query, now)} FROM ranked
          RETURNING id AS advisory_id, pattern_id)
        SELECT ranked.*, shown.advisory_id FROM ranked JOIN shown ON shown.pattern_id = ranked.id
        ORDER BY ranked.score DESC, ranked.last_seen_at DESC, ranked.id ASC`,
      signal,
    );
    return rows.map((row) => advisoryOf(row, row.advisory_id, now));
  }
  // One transaction: on SQLite one job of the group commit (one wait for a commit, as a
  // record), not a read that waits for the batch in progress and a write for the next one.
  return db.transaction(async (tx) => {
    const rows = await tx.all(ranked);
    if (rows.length === 0) return [];
    const shown = await tx.all(
      Prisma.sql`INSERT INTO advisories (${IMPRESSION_COLUMNS})
        VALUES ${Prisma.join(rows.map((row) => Prisma.sql`(${Number(row.id)}, ${Number(row.score)}, ${impression(query, now)})`))}
        RETURNING id, pattern_id`,
    );
    const ids = new Map(shown.map((row) => [Number(row.pattern_id), row.id]));
    return rows.map((row) => advisoryOf(row, ids.get(Number(row.id)), now));
  }, signal);
}

/** True iff the impression exists (its answer is now `verdict`). */
export async function adviceFeedback(
  db: Backend,
  advisoryId: number,
  verdict: Verdict,
  now: Date,
  signal: AbortSignal,
): Promise<boolean> {
  const changed = await db.write(
    Prisma.sql`UPDATE advisories SET verdict = ${verdict}, answered_at = ${now}
      WHERE id = ${advisoryId} RETURNING id`,
    signal,
  );
  return changed.length > 0;
}

/** Each pattern's advice counts, by id (a pattern's own and those merged into it). */
export async function adviceStats(
  db: Backend,
  ids: readonly number[],
  signal: AbortSignal,
): Promise<Map<number, AdviceStats>> {
  const out = new Map<number, AdviceStats>();
  const answered = (verdict: Verdict) =>
    Prisma.sql`COALESCE(SUM(CASE WHEN a.verdict = ${verdict} THEN 1 ELSE 0 END), 0)`;
  for (const chunk of idChunks([...new Set(ids)])) {
    const rows = await db.read(
      Prisma.sql`SELECT COALESCE(p.merged_into, p.id) AS id, COUNT(*) AS shown,
          ${answered('helped')} AS helped, ${answered('not_relevant')} AS not_relevant,
          ${answered('wrong')} AS wrong,
          COALESCE(SUM(CASE WHEN a.work_item_id IS NOT NULL AND EXISTS (
            SELECT 1 FROM lessons AS l WHERE l.pattern_id = COALESCE(p.merged_into, p.id)
              AND l.work_item_id = a.work_item_id AND l.created_at >= a.shown_at
              AND l.created_at < ${db.dialect.plusMillis('a.shown_at', RECURRENCE_MS)}
          ) THEN 1 ELSE 0 END), 0) AS recurred
        FROM advisories AS a JOIN patterns AS p ON p.id = a.pattern_id
        WHERE a.pattern_id IN (SELECT id FROM patterns
          WHERE id IN (${Prisma.join(chunk)}) OR merged_into IN (${Prisma.join(chunk)}))
        GROUP BY COALESCE(p.merged_into, p.id)`,
      { signal },
    );
    for (const row of rows) {
      out.set(Number(row.id), {
        shown: Number(row.shown ?? 0),
        helped: Number(row.helped ?? 0),
        notRelevant: Number(row.not_relevant ?? 0),
        wrong: Number(row.wrong ?? 0),
        recurredAfterShown: Number(row.recurred ?? 0),
      });
    }
  }
  return out;
}

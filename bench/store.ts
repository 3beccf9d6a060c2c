// store: the service's SQL, run with the raw driver (better-sqlite3 or pg), no Prisma.
//
// Promise: each operation sends the statements the service sends for it (as of
// src/journal/{record,read,aggregate,snapshot}.ts), at the same durability (SQLite:
// one exclusive connection, WAL, synchronous=FULL; PostgreSQL: a pool of 10 with
// synchronous_commit=on), and returns plain rows. Used by the raw baseline (in-process) and
// by the reference server (behind graphql-yoga). Only the filters the bench uses
// (lessonType, status, repo, since) are supported.
import Database from 'better-sqlite3';
import pg from 'pg';
import { type CountRow, foldCounts } from '../src/journal/snapshot.ts';
import { ALL_COLUMNS, TIMESTAMP_COLUMNS } from './columns.ts';

export interface Filter {
  lessonType?: readonly string[];
  status?: readonly string[];
  repo?: readonly string[];
  since?: Date;
}

export interface RecordInput {
  lessonType: string;
  workItemId: string;
  stage: string;
  repo?: string | null;
  rootCause?: string | null;
  detail?: unknown;
}

/** A lessons row keyed by column name; timestamps as Date. */
export type Row = Record<string, unknown>;

export interface Bucket {
  key: string | null;
  count: number;
}

export interface Snapshot {
  total: number;
  open: number;
  recorded24h: number;
  lastRecordedAt: Date | null;
  byType: Bucket[];
  byStatus: Bucket[];
  byDomain: Bucket[];
  byAttribution: Bucket[];
}

export interface Store {
  /** The new lesson, or null when it was folded into an earlier one (dedup). */
  record(input: RecordInput, now?: Date): Promise<Row | null>;
  /** Newest first, `limit` rows, after the row `afterId` when given (keyset). */
  page(filter: Filter, columns: readonly string[], limit: number, afterId?: number): Promise<Row[]>;
  count(filter: Filter): Promise<number>;
  /** 30-day style [lesson_type, stage] by day groups, as lessonAggregates(..., bucket: DAY). */
  aggregate(since: Date, limit: number): Promise<Row[]>;
  snapshot(now?: Date): Promise<Snapshot>;
  /** The id of the `depth`-th lesson matching `filter`, newest first (a deep cursor). */
  idAt(filter: Filter, depth: number): Promise<number | undefined>;
  close(): Promise<void>;
}

const DEDUP_WINDOW_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TIMESTAMPS = new Set(TIMESTAMP_COLUMNS);
/** The columns a bench record sets (the others take their defaults or null). */
const INSERT_COLUMNS =
  'lesson_type, work_item_id, stage, repo, root_cause, status, source, detail, occurrences, last_seen_at, created_at, updated_at';

/** A record's values in INSERT_COLUMNS' order, up to detail. */
function recordValues(input: RecordInput): unknown[] {
  const detail = input.detail === undefined ? null : JSON.stringify(input.detail);
  return [
    input.lessonType,
    input.workItemId,
    input.stage,
    input.repo ?? null,
    input.rootCause ?? null,
    detail,
  ];
}

type Placeholder = () => string;

/** The WHERE clause of a filter and its parameters, with the backend's placeholders. */
function where(filter: Filter, next: Placeholder, time: (d: Date) => unknown) {
  const conditions: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of [
    ['lessonType', 'lesson_type'],
    ['status', 'status'],
    ['repo', 'repo'],
  ] as const) {
    const values = filter[field];
    if (!values) continue;
    conditions.push(`${column} IN (${values.map(() => next()).join(', ')})`);
    params.push(...values);
  }
  if (filter.since) {
    conditions.push(`created_at >= ${next()}`);
    params.push(time(filter.since));
  }
  return { sql: conditions.length > 0 ? conditions.join(' AND ') : '1 = 1', params };
}

function counter(prefix: '$' | '?'): Placeholder {
  let n = 0;
  return prefix === '?' ? () => '?' : () => `$${++n}`;
}

function foldSnapshot(counts: CountRow[], recent: number, last: Date | null): Snapshot {
  return {
    ...(foldCounts(counts) as Omit<Snapshot, 'recorded24h' | 'lastRecordedAt'>),
    recorded24h: recent,
    lastRecordedAt: last,
  };
}

/** The snapshot's counts: the lesson_totals rollup (every repo), a few hundred rows. */
const SNAPSHOT_COUNTS = `SELECT lesson_type, status, target_domain, attribution, lessons
  FROM lesson_totals WHERE lessons > 0`;

const AGGREGATE_SELECT = (bucket: string, dim: (c: string) => string, since: string) => `
  SELECT ${dim('lesson_type')} AS d0, ${dim('stage')} AS d1, ${bucket} AS bucket_start,
    COUNT(*) AS lessons, SUM(occurrences) AS occurrences,
    COUNT(DISTINCT work_item_id) AS work_items, MIN(created_at) AS first_seen_at,
    MAX(last_seen_at) AS last_seen_at
  FROM lessons WHERE created_at >= ${since}
  GROUP BY d0, d1, bucket_start
  HAVING COUNT(*) > 0
  ORDER BY occurrences DESC, lessons DESC, d0 ASC NULLS LAST, d1 ASC NULLS LAST, bucket_start ASC`;

// ---- SQLite ------------------------------------------------------------------------------

export function openSqliteStore(path: string): Store {
  const db = new Database(path, { timeout: 0 });
  // As src/db/sqlite.ts: the exclusive lock, WAL, synchronous=FULL.
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('journal_mode = WAL');
  db.exec('BEGIN IMMEDIATE; COMMIT;');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.function('lessons_fold', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? text.toLowerCase() : text,
  );
  const returning = ALL_COLUMNS.map((c) => (c === 'detail' ? 'CAST(detail AS TEXT) AS detail' : c));
  const match =
    "work_item_id = ? AND lesson_type = ? AND stage = ? AND source = 'auto' AND created_at >= ?";
  const insert = db.prepare(`INSERT INTO lessons (${INSERT_COLUMNS})
    SELECT ?, ?, ?, ?, ?, 'new', 'auto', ?, 1, ?, ?, ?
    WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${match})
    RETURNING ${returning.join(', ')}`);
  const bump = db.prepare(`UPDATE lessons SET occurrences = occurrences + 1, last_seen_at = ?
    WHERE id = (SELECT id FROM lessons WHERE ${match} ORDER BY created_at DESC, id DESC LIMIT 1)`);
  const aggregate = db.prepare(
    `${AGGREGATE_SELECT(`((created_at - 0) / ${DAY_MS}) * ${DAY_MS} + 0`, (c) => c, '?')} LIMIT ?`,
  );
  const counts = db.prepare(SNAPSHOT_COUNTS);
  const recent = db.prepare('SELECT COUNT(*) AS n FROM lessons WHERE 1 = 1 AND created_at >= ?');
  const last = db.prepare('SELECT MAX(created_at) AS at FROM lessons WHERE 1 = 1');
  // Statements that depend on the filter's shape, prepared once per shape.
  const prepared = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let s = prepared.get(sql);
    if (!s) {
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    return s;
  };
  const ms = (d: Date) => d.getTime();
  const toRow = (row: Row): Row => {
    for (const column of TIMESTAMPS) {
      if (typeof row[column] === 'number') row[column] = new Date(row[column] as number);
    }
    return row;
  };
  return {
    async record(input, now = new Date()) {
      const since = now.getTime() - DEDUP_WINDOW_MS;
      const key = [input.workItemId, input.lessonType, input.stage, since];
      const t = now.getTime();
      const values = [...recordValues(input), t, t, t];
      for (let attempt = 0; attempt < 5; attempt++) {
        const inserted = insert.get(...values, ...key) as Row | undefined;
        if (inserted) return toRow(inserted);
        if (bump.run(t, ...key).changes === 1) return null;
      }
      throw new Error('dedup did not settle');
    },
    async page(filter, columns, limit, afterId) {
      const w = where(filter, counter('?'), ms);
      let sql = `SELECT ${columns.join(', ')} FROM lessons WHERE ${w.sql}`;
      const params = [...w.params];
      if (afterId !== undefined) {
        const at = '(SELECT created_at FROM lessons WHERE id = ?)';
        sql += ` AND (created_at < ${at} OR (created_at = ${at} AND id < ?))`;
        params.push(afterId, afterId, afterId);
      }
      sql += ' ORDER BY created_at DESC, id DESC LIMIT ? OFFSET 0';
      return (statement(sql).all(...params, limit) as Row[]).map(toRow);
    },
    async count(filter) {
      const w = where(filter, counter('?'), ms);
      const row = statement(`SELECT COUNT(*) AS n FROM lessons WHERE ${w.sql}`).get(...w.params);
      return Number((row as { n: number }).n);
    },
    async aggregate(since, limit) {
      return (aggregate.all(since.getTime(), limit) as Row[]).map((row) => {
        for (const c of ['bucket_start', 'first_seen_at', 'last_seen_at']) {
          row[c] = new Date(Number(row[c]));
        }
        return row;
      });
    },
    async snapshot(now = new Date()) {
      const rows = counts.all() as CountRow[];
      const n = (recent.get(now.getTime() - DAY_MS) as { n: number }).n;
      const at = (last.get() as { at: number | null }).at;
      return foldSnapshot(rows, n, at === null ? null : new Date(at));
    },
    async idAt(filter, depth) {
      const w = where(filter, counter('?'), ms);
      const row = statement(
        `SELECT id FROM lessons WHERE ${w.sql} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?`,
      ).get(...w.params, depth - 1) as { id: number } | undefined;
      return row?.id;
    },
    async close() {
      db.close();
    },
  };
}

// ---- PostgreSQL --------------------------------------------------------------------------

// timestamp(3) without time zone holds UTC (as Prisma writes it): read it as UTC.
pg.types.setTypeParser(1114, (text) => new Date(`${text.replace(' ', 'T')}Z`));
pg.types.setTypeParser(20, (text) => Number(text));

export function openPostgresStore(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c synchronous_commit=on',
  });
  pool.on('error', () => {});
  const utc = (d: Date) => d.toISOString();
  const ts = (p: string) => `CAST(CAST(${p} AS timestamptz) AT TIME ZONE 'UTC' AS timestamp(3))`;
  /** The dedup key ($1 type, $2 work item, $3 stage) within the window from `since`. */
  const match = (since: string) => `work_item_id = $2 AND lesson_type = $1 AND stage = $3
    AND source = 'auto' AND created_at >= ${ts(since)}`;
  // As the service records: under the key's lock, insert unless a duplicate exists, and
  // only when nothing was inserted bump the duplicate.
  const insertSql = `INSERT INTO lessons (${INSERT_COLUMNS})
    SELECT $1, $2, $3, $4, $5, 'new', 'auto', CAST($6 AS jsonb), 1, ${ts('$7')}, ${ts('$7')}, ${ts('$7')}
    WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${match('$8')})
    RETURNING ${ALL_COLUMNS.join(', ')}`;
  const bumpSql = `UPDATE lessons SET occurrences = occurrences + 1, last_seen_at = ${ts('$4')}
    WHERE id = (SELECT id FROM lessons WHERE ${match('$5')} ORDER BY created_at DESC, id DESC LIMIT 1)`;
  const aggregateSql = `${AGGREGATE_SELECT("date_trunc('day', created_at)", (c) => `${c} COLLATE "C"`, ts('$1'))} LIMIT $2`;
  const names = new Map<string, string>();
  /** A named (server-side prepared) statement per distinct SQL text. */
  const named = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = `bench_${names.size}`;
      names.set(text, name);
    }
    return name;
  };
  const query = async (text: string, values: unknown[]) =>
    (await pool.query({ name: named(text), text, values })).rows as Row[];

  return {
    async record(input, now = new Date()) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const key = JSON.stringify([input.workItemId, input.lessonType, input.stage]);
        await client.query({
          name: named('lock'),
          text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))',
          values: [key],
        });
        const since = utc(new Date(now.getTime() - DEDUP_WINDOW_MS));
        const values = [...recordValues(input), utc(now), since];
        const { rows } = await client.query({ name: named(insertSql), text: insertSql, values });
        if (rows.length === 0) {
          const bumpValues = [input.lessonType, input.workItemId, input.stage, utc(now), since];
          await client.query({ name: named(bumpSql), text: bumpSql, values: bumpValues });
        }
        await client.query('COMMIT');
        return (rows[0] as Row | undefined) ?? null;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async page(filter, columns, limit, afterId) {
      const next = counter('$');
      // A since parameter takes created_at's type (timestamp): the ISO text's Z is ignored,
      // so it reads as UTC, as the column holds it.
      const w = where(filter, next, utc);
      let sql = `SELECT ${columns.join(', ')} FROM lessons WHERE ${w.sql}`;
      const params = [...w.params];
      if (afterId !== undefined) {
        const id = next();
        const at = `(SELECT created_at FROM lessons WHERE id = ${id})`;
        sql += ` AND (created_at < ${at} OR (created_at = ${at} AND id < ${id}))`;
        params.push(afterId);
      }
      sql += ` ORDER BY created_at DESC, id DESC LIMIT ${next()} OFFSET 0`;
      return query(sql, [...params, limit]);
    },
    async count(filter) {
      const w = where(filter, counter('$'), utc);
      const [row] = await query(`SELECT COUNT(*) AS n FROM lessons WHERE ${w.sql}`, w.params);
      return Number(row?.n ?? 0);
    },
    async aggregate(since, limit) {
      return query(aggregateSql, [utc(since), limit]);
    },
    async snapshot(now = new Date()) {
      const counts = (await query(SNAPSHOT_COUNTS, [])) as CountRow[];
      const [recent] = await query(
        `SELECT COUNT(*) AS n FROM lessons WHERE 1 = 1 AND created_at >= ${ts('$1')}`,
        [utc(new Date(now.getTime() - DAY_MS))],
      );
      const [last] = await query('SELECT MAX(created_at) AS at FROM lessons WHERE 1 = 1', []);
      return foldSnapshot(counts, Number(recent?.n ?? 0), (last?.at as Date | null) ?? null);
    },
    async idAt(filter, depth) {
      const next = counter('$');
      const w = where(filter, next, utc);
      const [row] = await query(
        `SELECT id FROM lessons WHERE ${w.sql} ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ${next()}`,
        [...w.params, depth - 1],
      );
      return row ? Number(row.id) : undefined;
    },
    async close() {
      await pool.end();
    },
  };
}

/** The store of a DATABASE_URL (`file:` or `postgresql://`). */
export function openStore(url: string): Store {
  return url.startsWith('file:') ? openSqliteStore(url.slice(5)) : openPostgresStore(url);
}

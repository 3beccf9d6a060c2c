// store: the service's SQL, run with the raw driver (better-sqlite3 or pg), no Prisma.
//
// Promise: each operation sends the statements the service sends for it (as of
// src/journal/{record,read,aggregate,snapshot}.ts), at the same durability (SQLite:
// one exclusive connection, WAL, synchronous=FULL; PostgreSQL: a pool of 10 with
// synchronous_commit=on), and returns plain rows. Used by the raw baseline (in-process) and
// by the reference server (behind graphql-yoga). Only the filters the bench uses
// (lessonType, status, repo, since) are supported.
//
// The aggregates (`groupBy`, and `aggregate`, S3's) and the pattern reads (`patternGroups`,
// `patternDays`) are the plain GROUP BY over `lessons`: what those reads cost before the
// rollup tables (lesson_days, patterns, pattern_days), which the service now reads instead.
// They answer what the service answers (the same groups, numbers and order), so S6 checks
// the service's figures against them.
//
// `statement` runs one of the journal's own statements as the service's backend binds it
// (src/db/sqlite/open.ts, src/db/postgres/driver.ts): journal.ts makes the journal's
// backend port of it, so S7's raw run is the journal's own functions on this connection.
import Database from 'better-sqlite3';
import pg from 'pg';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
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

/** The dimensions the bench groups by, as columns. */
export type GroupColumn = 'lesson_type' | 'stage' | 'repo';

export interface GroupQuery {
  dims: readonly GroupColumn[];
  bucket: 'day' | null;
  since: Date;
  limit: number;
}

export interface Store {
  readonly provider: 'sqlite' | 'postgresql';
  /**
   * One statement of the journal's, with the backend's placeholders (SQLite `?`,
   * PostgreSQL `$1..$n`), its values bound as the service binds them (a Date as epoch ms on
   * SQLite, as ISO text, UTC, on PostgreSQL; on SQLite a boolean as 0/1, undefined as
   * null); its rows (counts and sums as numbers; PostgreSQL timestamps as Dates, UTC).
   */
  statement(text: string, values: readonly unknown[]): Promise<Row[]>;
  /** The new lesson, or null when it was folded into an earlier one (dedup). */
  record(input: RecordInput, now?: Date): Promise<Row | null>;
  /** Newest first, `limit` rows, after the row `afterId` when given (keyset). */
  page(filter: Filter, columns: readonly string[], limit: number, afterId?: number): Promise<Row[]>;
  count(filter: Filter): Promise<number>;
  /** 30-day style [lesson_type, stage] by day groups, as lessonAggregates(..., bucket: DAY). */
  aggregate(since: Date, limit: number): Promise<Row[]>;
  /**
   * The GROUP BY of lessonAggregates over the table (columns d0.., bucket_start when
   * bucketed, lessons, occurrences, work_items, first_seen_at, last_seen_at; timestamps as
   * Date), in the service's order.
   */
  groupBy(query: GroupQuery): Promise<Row[]>;
  /**
   * patterns(orderBy: OCCURRENCES) from the table: per pattern_id, lessons, occurrences,
   * work_items, repos, last_seen_at, largest occurrences first (id breaking ties), of the
   * lessons of one stage when given.
   */
  patternGroups(stage: string | null, limit: number): Promise<Row[]>;
  /** One pattern's lessons per UTC day from `from` (bucket_start, lessons, occurrences). */
  patternDays(patternId: number, from: Date): Promise<Row[]>;
  /** The pattern with the most occurrences (the first of patterns(orderBy: OCCURRENCES)). */
  topPattern(): Promise<number | undefined>;
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
  'lesson_type, work_item_id, stage, repo, root_cause, fingerprint, status, source, detail, occurrences, last_seen_at, created_at, updated_at, pattern_id';
/** As the journal inserts: the pattern of its fingerprint, when there is one already. */
const PATTERN_OF = (fingerprint: string) =>
  `(SELECT COALESCE(merged_into, id) FROM patterns WHERE fingerprint = ${fingerprint})`;

/**
 * A record's values in INSERT_COLUMNS' order, up to detail. The fingerprint is computed
 * per record, as the journal does (src/journal/index.ts), so that the patterns trigger does
 * the same work for the baselines as for the service.
 */
const FINGERPRINT = 5;
function recordValues(input: RecordInput): unknown[] {
  const detail = input.detail === undefined ? null : JSON.stringify(input.detail);
  const rootCause = input.rootCause ?? null;
  return [
    input.lessonType,
    input.workItemId,
    input.stage,
    input.repo ?? null,
    rootCause,
    defaultFingerprint({ lessonType: input.lessonType, stage: input.stage, rootCause }),
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

/** lessonAggregates' GROUP BY over the table (src/journal/aggregate.ts' tableSql). */
const GROUP_SELECT = (
  dims: readonly GroupColumn[],
  bucket: string | null,
  dim: (c: string) => string,
  since: string,
) => {
  const keys = dims.map((c, i) => `${dim(c)} AS d${i}`);
  const groups = dims.map((_, i) => `d${i}`);
  const order = dims.map((_, i) => `d${i} ASC NULLS LAST`);
  if (bucket) {
    keys.push(`${bucket} AS bucket_start`);
    groups.push('bucket_start');
    order.push('bucket_start ASC');
  }
  return `
  SELECT ${keys.join(', ')},
    COUNT(*) AS lessons, SUM(occurrences) AS occurrences,
    COUNT(DISTINCT work_item_id) AS work_items, MIN(created_at) AS first_seen_at,
    MAX(last_seen_at) AS last_seen_at
  FROM lessons WHERE created_at >= ${since}
  GROUP BY ${groups.join(', ')}
  HAVING COUNT(*) > 0
  ORDER BY occurrences DESC, lessons DESC, ${order.join(', ')}`;
};
const S3_GROUP = ['lesson_type', 'stage'] as const;
const groupKey = (q: GroupQuery) => `${q.dims.join(',')}/${q.bucket ?? ''}`;

/** patterns(orderBy: OCCURRENCES) over the table, of one stage when `stage` is set. */
const PATTERN_GROUPS = (stage: string | null) => `
  SELECT pattern_id AS id, COUNT(*) AS lessons, SUM(occurrences) AS occurrences,
    COUNT(DISTINCT work_item_id) AS work_items, COUNT(DISTINCT repo) AS repos,
    MAX(last_seen_at) AS last_seen_at
  FROM lessons WHERE pattern_id IS NOT NULL${stage === null ? '' : ` AND stage = ${stage}`}
  GROUP BY pattern_id
  ORDER BY occurrences DESC, pattern_id DESC`;
const TOP_PATTERN =
  'SELECT id FROM patterns WHERE merged_into IS NULL ORDER BY occurrences DESC, id DESC LIMIT 1';

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
    SELECT ?, ?, ?, ?, ?, ?, 'new', 'auto', ?, 1, ?, ?, ?, ${PATTERN_OF('?')}
    WHERE NOT EXISTS (SELECT 1 FROM lessons WHERE ${match})
    RETURNING ${returning.join(', ')}`);
  const bump = db.prepare(`UPDATE lessons SET occurrences = occurrences + 1, last_seen_at = ?
    WHERE id = (SELECT id FROM lessons WHERE ${match} ORDER BY created_at DESC, id DESC LIMIT 1)`);
  const dayOf = (column: string) => `((${column} - 0) / ${DAY_MS}) * ${DAY_MS} + 0`;
  const groupStatements = new Map<string, Database.Statement>();
  const groupStatement = (q: GroupQuery) => {
    const key = groupKey(q);
    let s = groupStatements.get(key);
    if (!s) {
      const bucket = q.bucket ? dayOf('created_at') : null;
      s = db.prepare(`${GROUP_SELECT(q.dims, bucket, (c) => c, '?')} LIMIT ?`);
      groupStatements.set(key, s);
    }
    return s;
  };
  const patternGroups = db.prepare(`${PATTERN_GROUPS(null)} LIMIT ?`);
  const patternGroupsOfStage = db.prepare(`${PATTERN_GROUPS('?')} LIMIT ?`);
  const patternDays = db.prepare(`SELECT ${dayOf('created_at')} AS bucket_start,
      COUNT(*) AS lessons, SUM(occurrences) AS occurrences
    FROM lessons WHERE pattern_id = ? AND created_at >= ? GROUP BY 1 ORDER BY 1`);
  const topPattern = db.prepare(TOP_PATTERN);
  const dated = (rows: Row[], columns: string[]) =>
    rows.map((row) => {
      for (const c of columns) if (c in row) row[c] = new Date(Number(row[c]));
      return row;
    });
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
  const bind = (values: readonly unknown[]) =>
    values.map((value) => {
      if (value instanceof Date) return value.getTime();
      if (typeof value === 'boolean') return value ? 1 : 0;
      return value === undefined ? null : value;
    });
  return {
    provider: 'sqlite',
    async statement(text, values) {
      return statement(text).all(...bind(values)) as Row[];
    },
    async record(input, now = new Date()) {
      const since = now.getTime() - DEDUP_WINDOW_MS;
      const key = [input.workItemId, input.lessonType, input.stage, since];
      const t = now.getTime();
      const record = recordValues(input);
      // The fingerprint again, for the pattern's lookup.
      const values = [...record, t, t, t, record[FINGERPRINT]];
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
      return this.groupBy({ dims: S3_GROUP, bucket: 'day', since, limit });
    },
    async groupBy(q) {
      const rows = groupStatement(q).all(q.since.getTime(), q.limit) as Row[];
      return dated(rows, ['bucket_start', 'first_seen_at', 'last_seen_at']);
    },
    async patternGroups(stage, limit) {
      const rows = (
        stage === null ? patternGroups.all(limit) : patternGroupsOfStage.all(stage, limit)
      ) as Row[];
      return dated(rows, ['last_seen_at']);
    },
    async patternDays(patternId, from) {
      return dated(patternDays.all(patternId, from.getTime()) as Row[], ['bucket_start']);
    },
    async topPattern() {
      const row = topPattern.get() as { id: number } | undefined;
      return row?.id;
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
const NUMERIC = 1700;

export function openPostgresStore(url: string, poolSize = 10): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: '-c synchronous_commit=on',
  });
  pool.on('error', () => {});
  const utc = (d: Date) => d.toISOString();
  const ts = (p: string) => `CAST(CAST(${p} AS timestamptz) AT TIME ZONE 'UTC' AS timestamp(3))`;
  // As the service records: one statement, whose function takes the key's lock and bumps
  // a duplicate, and which inserts only when there was none.
  const recordSql = `INSERT INTO lessons (${INSERT_COLUMNS})
    SELECT $1, $2, $3, $4, $5, $6, 'new', 'auto', CAST($7 AS jsonb), 1, ${ts('$8')}, ${ts('$8')}, ${ts('$8')}, ${PATTERN_OF('$6')}
    WHERE lessons_bump_duplicate($10, $2, $1, $3, ${ts('$9')}, ${ts('$8')}) IS NULL
    RETURNING ${ALL_COLUMNS.join(', ')}`;
  const groupSql = (q: GroupQuery) =>
    `${GROUP_SELECT(q.dims, q.bucket ? "date_trunc('day', created_at)" : null, (c) => `${c} COLLATE "C"`, ts('$1'))} LIMIT $2`;
  const patternDaysSql = `SELECT date_trunc('day', created_at) AS bucket_start,
      COUNT(*) AS lessons, SUM(occurrences) AS occurrences
    FROM lessons WHERE pattern_id = $1 AND created_at >= ${ts('$2')} GROUP BY 1 ORDER BY 1`;
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
  // As the service's driver reads the journal's statements: numeric sums as numbers too.
  const types = {
    getTypeParser: ((oid: number, format?: string) =>
      oid === NUMERIC && format !== 'binary'
        ? Number
        : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
  };

  return {
    provider: 'postgresql',
    async statement(text, values) {
      const bound = values.map((value) => (value instanceof Date ? value.toISOString() : value));
      return (await pool.query({ name: named(text), text, values: bound, types })).rows as Row[];
    },
    async record(input, now = new Date()) {
      const key = JSON.stringify([input.workItemId, input.lessonType, input.stage]);
      const since = utc(new Date(now.getTime() - DEDUP_WINDOW_MS));
      const [row] = await query(recordSql, [...recordValues(input), utc(now), since, key]);
      return row ?? null;
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
      return this.groupBy({ dims: S3_GROUP, bucket: 'day', since, limit });
    },
    async groupBy(q) {
      return query(groupSql(q), [utc(q.since), q.limit]);
    },
    async patternGroups(stage, limit) {
      return stage === null
        ? query(`${PATTERN_GROUPS(null)} LIMIT $1`, [limit])
        : query(`${PATTERN_GROUPS('$1')} LIMIT $2`, [stage, limit]);
    },
    async patternDays(patternId, from) {
      return query(patternDaysSql, [patternId, utc(from)]);
    },
    async topPattern() {
      const [row] = await query(TOP_PATTERN, []);
      return row ? Number(row.id) : undefined;
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

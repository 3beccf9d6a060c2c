// The rollups (patterns and lesson_days) against brute force: after a random sequence of
// records across days (new lessons, dedup bumps) and updates (root causes that re-group,
// suggestions), every lessonAggregates form the cells answer, and those they leave to the
// table, equal a GROUP BY computed here from the rows; and every pattern's counters equal
// its lessons'. On every backend. Also: lessons recorded by the previous version's
// migrations are grouped on upgrade, with nothing left ungrouped.
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { expect, test } from 'vitest';
import { MIGRATIONS } from '../src/db/database.ts';
import { openPostgres } from '../src/db/postgres/open.ts';
import { openSqlite } from '../src/db/sqlite/open.ts';
import { Prisma } from '../src/generated/prisma/client.ts';
import { defaultFingerprint } from '../src/journal/fingerprint.ts';
import { type Backend, describeEachBackend, postgresUrl } from './backends.ts';
import { makeService, prismaOf, RECORD, type Service, T0, tempDir } from './helpers.ts';
import { createTestDatabase } from './postgres/databases.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;

type Row = Awaited<ReturnType<Awaited<ReturnType<typeof prismaOf>>['lesson']['findMany']>>[number];
type Dim = 'lessonType' | 'stage' | 'repo';
const ENUM: Record<Dim, string> = { lessonType: 'LESSON_TYPE', stage: 'STAGE', repo: 'REPO' };

interface Query {
  dims: Dim[];
  bucket: 'DAY' | 'WEEK' | null;
  since: number | null;
  until: number | null;
  lessonType?: string[];
  workItems: boolean;
}

function bucketOf(at: number, bucket: 'DAY' | 'WEEK'): number {
  if (bucket === 'DAY') return Math.floor(at / DAY) * DAY;
  const monday = 4 * DAY;
  return Math.floor((at - monday) / (7 * DAY)) * 7 * DAY + monday;
}

/** Code-point order, nulls last: the contract's order of group values. */
function byValue(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** lessonAggregates computed from the rows, in the contract's order. */
function bruteForce(rows: Row[], q: Query) {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const at = row.createdAt.getTime();
    if (q.since !== null && at < q.since) continue;
    if (q.until !== null && at >= q.until) continue;
    if (q.lessonType && !q.lessonType.includes(row.lessonType)) continue;
    const key = JSON.stringify([
      ...q.dims.map((d) => row[d]),
      q.bucket ? bucketOf(at, q.bucket) : null,
    ]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([key, list]) => {
      const values = JSON.parse(key) as (string | number | null)[];
      const group: Record<string, unknown> = {};
      q.dims.forEach((d, i) => {
        group[d] = values[i];
      });
      if (q.bucket) group.bucketStart = new Date(values.at(-1) as number).toISOString();
      group.lessons = list.length;
      group.occurrences = list.reduce((n, l) => n + l.occurrences, 0);
      if (q.workItems) {
        group.workItems = new Set(list.map((l) => l.workItemId).filter((w) => w !== null)).size;
      }
      group.firstSeenAt = new Date(
        Math.min(...list.map((l) => l.createdAt.getTime())),
      ).toISOString();
      group.lastSeenAt = new Date(
        Math.max(...list.map((l) => l.lastSeenAt.getTime())),
      ).toISOString();
      return group;
    })
    .sort(
      (a, b) =>
        (b.occurrences as number) - (a.occurrences as number) ||
        (b.lessons as number) - (a.lessons as number) ||
        q.dims.reduce((c, d) => c || byValue(a[d] as string | null, b[d] as string | null), 0) ||
        String(a.bucketStart ?? '').localeCompare(String(b.bucketStart ?? '')),
    );
}

async function aggregate(s: Service, q: Query) {
  const fields = [
    ...q.dims,
    ...(q.bucket ? ['bucketStart'] : []),
    'lessons occurrences',
    ...(q.workItems ? ['workItems'] : []),
    'firstSeenAt lastSeenAt',
  ].join(' ');
  const filter: Record<string, unknown> = {};
  if (q.since !== null) filter.since = new Date(q.since).toISOString();
  if (q.until !== null) filter.until = new Date(q.until).toISOString();
  if (q.lessonType) filter.lessonType = q.lessonType;
  const r = await s.gql<{ lessonAggregates: unknown[] }>(
    `query ($filter: LessonFilter) { lessonAggregates(groupBy: [${q.dims.map((d) => ENUM[d]).join(', ')}]${
      q.bucket ? `, bucket: ${q.bucket}` : ''
    }, filter: $filter, limit: 1000) { ${fields} } }`,
    { filter },
  );
  expect(r.errors).toBeUndefined();
  return r.data?.lessonAggregates;
}

/** Every pattern's counters equal its lessons' (nothing ungrouped). */
async function expectPatternsExact(s: Service, rows: Row[]) {
  const prisma = await prismaOf(s);
  expect(rows.filter((r) => r.patternId === null)).toEqual([]);
  const stored = await prisma.pattern.findMany({ where: { mergedInto: null, lessons: { gt: 0 } } });
  const expected = new Map<number, unknown>();
  for (const id of new Set(rows.map((r) => r.patternId as number))) {
    const list = rows.filter((r) => r.patternId === id);
    const suggested = list
      .filter((l) => l.suggestion !== null)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id);
    expected.set(id, {
      lessons: list.length,
      occurrences: list.reduce((n, l) => n + l.occurrences, 0),
      workItems: new Set(list.map((l) => l.workItemId).filter((w) => w !== null)).size,
      repos: new Set(list.map((l) => l.repo).filter((r) => r !== null)).size,
      firstSeenAt: Math.min(...list.map((l) => l.createdAt.getTime())),
      lastSeenAt: Math.max(...list.map((l) => l.lastSeenAt.getTime())),
      suggestion: suggested[0]?.suggestion ?? null,
    });
  }
  const actual = new Map(
    stored.map((p) => [
      p.id,
      {
        lessons: p.lessons,
        occurrences: p.occurrences,
        workItems: p.workItems,
        repos: p.repos,
        firstSeenAt: p.firstSeenAt.getTime(),
        lastSeenAt: p.lastSeenAt.getTime(),
        suggestion: p.suggestion,
      },
    ]),
  );
  expect(actual).toEqual(expected);
}

const recordOp = fc.record({
  kind: fc.constant('record' as const),
  lessonType: fc.constantFrom('gate_failure', 'merge_hold'),
  stage: fc.constantFrom(null, 'qa', 'e2e', ''),
  repo: fc.constantFrom(null, 'api', 'web'),
  workItemId: fc.constantFrom(null, 'W-1', 'W-2', 'W-3'),
  rootCause: fc.constantFrom(null, 'timeout 30s', 'timeout 45s', 'dns'),
  suggestion: fc.constantFrom(null, 'retry', 'cache'),
  source: fc.constantFrom('auto', 'auto', 'manual'),
  // Backwards too: a clock set back (or another replica's, behind) dates a lesson before
  // the ones recorded before it.
  advance: fc.constantFrom(0, 10_000, HOUR / 2, 7 * HOUR, DAY + HOUR, 3 * DAY, -2 * HOUR, -DAY),
  // A lagged report: it happened this long before it arrives (occurredAt), or now.
  lag: fc.constantFrom(null, null, 0, HOUR, 2 * DAY + HOUR),
});
const updateOp = fc.record({
  kind: fc.constant('update' as const),
  pick: fc.nat(),
  rootCause: fc.option(fc.constantFrom('timeout 50s', 'dns', 'oom'), { nil: undefined }),
  suggestion: fc.option(fc.constantFrom(null, 'pin'), { nil: undefined }),
});

describeEachBackend('rollups equal brute force', (backend: Backend) => {
  test('after random records, bumps and updates: every aggregate form and every pattern', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: recordOp, weight: 4 }, { arbitrary: updateOp, weight: 1 }), {
          minLength: 5,
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: DAY - 1 }),
        fc.integer({ min: 0, max: 6 * DAY }),
        async (ops, sinceOffset, untilOffset) => {
          const s = await makeService({ backend });
          let recorded = 0;
          for (const op of ops) {
            if (op.kind === 'record') {
              s.clock.advance(op.advance / 1000);
              const { kind: _k, advance: _a, lag, ...fields } = op;
              const input =
                lag === null
                  ? fields
                  : { ...fields, occurredAt: new Date(s.clock.ms - lag).toISOString() };
              const r = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, { input });
              expect(r.errors).toBeUndefined();
              if (r.data?.recordLesson) recorded += 1;
            } else if (recorded > 0) {
              const input: Record<string, unknown> = {};
              if (op.rootCause !== undefined) input.rootCause = op.rootCause;
              if (op.suggestion !== undefined) input.suggestion = op.suggestion;
              if (Object.keys(input).length === 0) continue;
              const r = await s.gql(
                'mutation ($id: Int!, $input: UpdateLessonInput!) { updateLesson(id: $id, input: $input) }',
                { id: (op.pick % recorded) + 1, input },
              );
              expect(r.errors).toBeUndefined();
            }
          }
          const rows = await (await prismaOf(s)).lesson.findMany({ orderBy: { id: 'asc' } });
          await expectPatternsExact(s, rows);
          const since = Date.parse(T0) - DAY + sinceOffset;
          const until = Date.parse(T0) + untilOffset;
          const queries: Query[] = [
            { dims: ['lessonType', 'stage'], bucket: null, since, until: null, workItems: true },
            {
              dims: ['lessonType', 'stage'],
              bucket: null,
              since: null,
              until: null,
              workItems: true,
            },
            { dims: ['lessonType', 'stage'], bucket: 'DAY', since, until, workItems: true },
            {
              dims: ['lessonType', 'stage', 'repo'],
              bucket: null,
              since,
              until: null,
              workItems: true,
            },
            {
              dims: ['stage', 'lessonType', 'repo'],
              bucket: 'DAY',
              since,
              until: null,
              workItems: true,
            },
            { dims: ['lessonType'], bucket: 'WEEK', since, until, workItems: false },
            { dims: ['repo'], bucket: null, since, until: null, workItems: false },
            { dims: [], bucket: 'DAY', since, until, workItems: false, lessonType: ['merge_hold'] },
            // Forms the cells leave to the table: a window ending in the past, a coarser key.
            { dims: ['lessonType', 'stage'], bucket: null, since, until, workItems: true },
            { dims: ['lessonType'], bucket: null, since, until: null, workItems: true },
          ];
          for (const q of queries) expect(await aggregate(s, q)).toEqual(bruteForce(rows, q));
          await s.db.close();
        },
      ),
      { numRuns: backend === 'sqlite' ? 15 : 8 },
    );
  }, 600_000);
});

/** A manual gate_failure at qa, recorded with the clock at `iso`. */
async function recordAt(s: Service, iso: string, fields: Record<string, string>) {
  s.clock.set(iso);
  const input = { lessonType: 'gate_failure', stage: 'qa', source: 'manual', ...fields };
  expect((await s.gql(RECORD, { input })).errors).toBeUndefined();
}

describeEachBackend('rollups, one case at a time', (backend: Backend) => {
  test('a work item in two repos on a partial first day counts once per day', async () => {
    const s = await makeService({ backend });
    const rec = (iso: string, repo: string) => recordAt(s, iso, { workItemId: 'W-1', repo });
    await rec('2026-03-02T11:00:00.000Z', 'api');
    await rec('2026-03-02T12:00:00.000Z', 'web');
    await rec('2026-03-03T09:00:00.000Z', 'api');
    await rec('2026-03-03T08:00:00.000Z', 'web'); // dated before the one recorded just before
    const rows = await (await prismaOf(s)).lesson.findMany({ orderBy: { id: 'asc' } });
    for (const q of [
      {
        dims: ['lessonType', 'stage'],
        bucket: 'DAY',
        since: Date.parse('2026-03-02T10:30:00.000Z'),
        until: null,
        workItems: true,
      },
      {
        dims: ['lessonType', 'stage'],
        bucket: null,
        since: Date.parse('2026-03-02T10:30:00.000Z'),
        until: null,
        workItems: true,
      },
      { dims: ['lessonType', 'stage'], bucket: 'DAY', since: null, until: null, workItems: true },
    ] as Query[]) {
      const got = await aggregate(s, q);
      expect(got).toEqual(bruteForce(rows, q));
      expect((got as { workItems: number }[]).every((g) => g.workItems === 1)).toBe(true);
    }
  });

  test('a window ending after now leaves out a lesson dated after its end (a clock set back)', async () => {
    const s = await makeService({ backend });
    const rec = (iso: string, workItemId: string) => recordAt(s, iso, { workItemId });
    await rec('2026-03-02T11:00:00.000Z', 'W-1');
    await rec('2026-03-06T11:00:00.000Z', 'W-2');
    // The clock goes back three days: "now" is before the second lesson.
    await rec('2026-03-03T11:00:00.000Z', 'W-3');
    const q: Query = {
      dims: ['lessonType', 'stage'],
      bucket: null,
      since: Date.parse('2026-03-02T00:00:00.000Z'),
      until: Date.parse('2026-03-05T00:00:00.000Z'),
      workItems: true,
    };
    const rows = await (await prismaOf(s)).lesson.findMany({ orderBy: { id: 'asc' } });
    const got = await aggregate(s, q);
    expect(got).toEqual(bruteForce(rows, q));
    expect(got).toEqual([
      expect.objectContaining({
        lessonType: 'gate_failure',
        stage: 'qa',
        lessons: 2,
        workItems: 2,
      }),
    ]);
  });
});

describeEachBackend('upgrade', (backend: Backend) => {
  test('lessons recorded before patterns get fingerprints and patterns on open, counters exact', async () => {
    // The migrations of the previous version: every one before patterns (names begin with
    // their time, so they sort in the order they apply).
    const { migrationsDir, schemaPath } = MIGRATIONS[backend];
    const old = mkdtempSync(join(tmpdir(), 'lessons-old-migrations-'));
    const patterns = readdirSync(migrationsDir).find((e) => e.endsWith('_patterns_and_rollups'));
    for (const entry of readdirSync(migrationsDir)) {
      if (/^\d/.test(entry) && entry >= (patterns as string)) continue;
      cpSync(join(migrationsDir, entry), join(old, entry), { recursive: true });
    }
    let databaseUrl: string;
    if (backend === 'sqlite') {
      const path = join(tempDir(), 'old.db');
      databaseUrl = `file:${path}`;
      const db = await openSqlite({
        path,
        synchronous: 'NORMAL',
        busyTimeoutMs: 1000,
        schemaPath,
        migrationsDir: old,
      });
      await seedOld(db);
      await db.close();
    } else {
      const database = await createTestDatabase(postgresUrl());
      databaseUrl = database.url;
      const db = await openPostgres({
        url: database.url,
        schemaPath,
        migrationsDir: old,
        connectTimeoutMs: 5000,
        statementTimeoutMs: 10_000,
        lockTimeoutMs: 5000,
        poolSize: 2,
      });
      await seedOld(db);
      await db.close();
    }
    const s = await makeService({ backend, databaseUrl });
    // The upgrade's migrations first, outside any operation's 2 s bound (a busy machine can
    // take longer than that to apply them); the grouping then starts with the first
    // operation, in the background.
    await s.db.get();
    // Operations do not wait for the grouping. On PostgreSQL, provably: with the grouping
    // lock held elsewhere, the grouping can't assign a lesson, and a record is answered.
    const holder =
      backend === 'postgresql' ? new pg.Client({ connectionString: databaseUrl }) : undefined;
    if (holder) {
      await holder.connect();
      await holder.query("SELECT pg_advisory_lock(hashtextextended('lessons:grouping', 0))");
    }
    const first = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, {
      input: {
        lessonType: 'gate_failure',
        stage: 'qa',
        workItemId: 'W-3',
        rootCause: 'timeout after 1ms',
      },
    });
    expect(first.data?.recordLesson?.id).toBe(6);
    if (holder) {
      const held = await (await prismaOf(s)).lesson.count({ where: { patternId: null } });
      expect(held).toBe(5);
      await holder.end(); // the lock goes with the session
    }
    const listPatterns = async () => {
      const listed = await s.gql<{
        patterns: { edges: { node: { title: string; lessons: number; workItems: number } }[] };
      }>('{ patterns(orderBy: LESSONS) { edges { node { title lessons workItems } } } }');
      return listed.data?.patterns.edges.map((e) => e.node) ?? [];
    };
    // Ties in LESSONS go by id, which the upgrade gives in no particular order.
    await expect
      .poll(async () => (await listPatterns()).map((n) => n.lessons), { timeout: 20_000 })
      .toEqual([4, 1, 1]);
    expect((await listPatterns()).sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'dns', lessons: 1, workItems: 1 },
      { title: 'merge_hold at merge', lessons: 1, workItems: 0 },
      { title: 'timeout after 30000ms', lessons: 4, workItems: 3 },
    ]);
    const rows = await (await prismaOf(s)).lesson.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.fingerprint)).toEqual(
      rows.map((r) =>
        defaultFingerprint({ lessonType: r.lessonType, stage: r.stage, rootCause: r.rootCause }),
      ),
    );
    await expectPatternsExact(s, rows);
    // The cells the migration built, and later records on top of them, stay exact.
    await s.gql(RECORD, {
      input: {
        lessonType: 'gate_failure',
        stage: 'qa',
        workItemId: 'W-4',
        rootCause: 'timeout after 2ms',
      },
    });
    const after = await (await prismaOf(s)).lesson.findMany({ orderBy: { id: 'asc' } });
    for (const q of [
      { dims: ['lessonType', 'stage'], bucket: 'DAY', since: null, until: null, workItems: true },
      {
        dims: ['lessonType', 'stage', 'repo'],
        bucket: null,
        since: Date.parse(T0) - 2 * DAY + 5,
        until: null,
        workItems: true,
      },
    ] as Query[]) {
      expect(await aggregate(s, q)).toEqual(bruteForce(after, q));
    }
    await expectPatternsExact(s, after);
  });
});

/** Lessons as the previous version stored them (no fingerprint, no pattern). */
async function seedOld(db: { write: (sql: Prisma.Sql, signal: AbortSignal) => Promise<unknown> }) {
  const at = (ms: number) => new Date(Date.parse(T0) - ms);
  const rows: [string, string | null, string | null, string | null, string | null, Date][] = [
    ['gate_failure', 'qa', 'W-1', 'api', 'timeout after 30000ms', at(2 * DAY)],
    ['gate_failure', 'qa', 'W-2', 'web', 'Timeout after 45000ms', at(DAY)],
    ['gate_failure', 'qa', 'W-1', 'api', 'timeout  after 5ms', at(HOUR)],
    ['gate_failure', 'qa', 'W-2', null, 'dns', at(HOUR)],
    ['merge_hold', 'merge', null, null, null, at(10)],
  ];
  for (const [type, stage, workItem, repo, cause, created] of rows) {
    await db.write(
      Prisma.sql`INSERT INTO lessons (lesson_type, stage, work_item_id, repo, root_cause, status, source,
          occurrences, last_seen_at, created_at, updated_at)
        VALUES (${type}, ${stage}, ${workItem}, ${repo}, ${cause}, 'new', 'auto', 2, ${created}, ${created}, ${created})
        RETURNING id`,
      new AbortController().signal,
    );
  }
}

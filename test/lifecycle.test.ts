// The lifecycle on every backend: one history event per change (right actor, kind, from and
// to; none for a change that changes nothing or a dedup bump), versions that make a stale
// update lose (also when two operators race), patterns closed with a fix in the past, late
// occurrences that never regress, a recurrence that regresses exactly once (also 50 at
// once, from two replicas on PostgreSQL), bulk updates refused over the cap with the count,
// dry runs that change nothing, and a bulk update that fails halfway changing nothing.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { type Backend, describeEachBackend } from './backends.ts';
import {
  behindTheService,
  makeService,
  prismaOf,
  RECORD,
  type Service,
  T0,
  tempDir,
} from './helpers.ts';

const EVENT = 'at kind actor reason version changes { field from to }';
const LESSON = `query ($id: Int!) { lesson(id: $id) { id status version closedAt createdAt recordedAt history { ${EVENT} } } }`;
const PATTERN = `query ($id: Int!) { pattern(id: $id) {
  id status fixedAt fixRef regressedAt regressionCount lateOccurrences version lessons occurrences
  history { ${EVENT} } } }`;
const UPDATE =
  'mutation ($id: Int!, $input: UpdateLessonInput!) { updateLesson(id: $id, input: $input) }';
const UPDATE_PATTERN =
  'mutation ($id: Int!, $input: UpdatePatternInput!) { updatePattern(id: $id, input: $input) }';
const BULK = `mutation ($ids: [Int!], $filter: LessonFilter, $input: UpdateLessonInput!, $reason: String, $dryRun: Boolean) {
  updateLessons(ids: $ids, filter: $filter, input: $input, reason: $reason, dryRun: $dryRun) { matched updated } }`;

const ADMIN = { authorization: 'Bearer admin-token-alice' };
const WRITER = { authorization: 'Bearer writer-token-1' };

/** A service whose admin token is named alice and whose writer token has no name. */
async function withTokens(backend: Backend, options: Parameters<typeof makeService>[0] = {}) {
  const file = join(tempDir(), 'tokens.json');
  writeFileSync(
    file,
    JSON.stringify([
      { role: 'admin', token: 'admin-token-alice', name: 'alice' },
      { role: 'writer', token: 'writer-token-1' },
    ]),
  );
  chmodSync(file, 0o600);
  return makeService({ backend, tokensFile: file, ...options });
}

const at = (offsetSeconds: number) => new Date(Date.parse(T0) + offsetSeconds * 1000).toISOString();

// Admin's header on every call (ignored by a service without tokens, where all are admin).
async function record(s: Service, input: Record<string, unknown>, headers = ADMIN) {
  const r = await s.gql<{ recordLesson: { id: number } | null }>(RECORD, { input }, headers);
  expect(r.errors).toBeUndefined();
  return r.data?.recordLesson?.id ?? null;
}

interface EventJson {
  at: string;
  kind: string;
  actor: string;
  reason: string | null;
  version: number;
  changes: { field: string; from: string | null; to: string | null }[];
}

async function lesson(s: Service, id: number) {
  const r = await s.gql<{
    lesson: {
      status: string;
      version: number;
      closedAt: string | null;
      createdAt: string;
      recordedAt: string;
      history: EventJson[];
    };
  }>(LESSON, { id }, ADMIN);
  expect(r.errors).toBeUndefined();
  return r.data?.lesson;
}

async function pattern(s: Service, id: number) {
  const r = await s.gql<{
    pattern: {
      status: string;
      fixedAt: string | null;
      fixRef: string | null;
      regressedAt: string | null;
      regressionCount: number;
      lateOccurrences: number;
      version: number;
      lessons: number;
      occurrences: number;
      history: EventJson[];
    };
  }>(PATTERN, { id }, ADMIN);
  expect(r.errors).toBeUndefined();
  return r.data?.pattern;
}

async function patternOf(s: Service, lessonId: number): Promise<number> {
  const r = await s.gql<{ lesson: { pattern: { id: number } } }>(
    `{ lesson(id: ${lessonId}) { pattern { id } } }`,
    {},
    ADMIN,
  );
  return r.data?.lesson.pattern.id as number;
}

async function updatePattern(s: Service, id: number, input: Record<string, unknown>) {
  return s.gql<{ updatePattern: boolean }>(UPDATE_PATTERN, { id, input }, ADMIN);
}

/** How many history rows the database holds (the test's own client); a lesson's recorded
 * event is its own row, not one of them. */
async function eventCount(s: Service): Promise<number> {
  return (await prismaOf(s)).historyEvent.count();
}

const GATE = { lessonType: 'gate_failure', stage: 'e2e', rootCause: 'timeout in checkout.spec.ts' };

describeEachBackend('lifecycle', (backend: Backend) => {
  test('every change leaves exactly one event with its actor, kind, from and to; no-ops and bumps none', async () => {
    const s = await withTokens(backend);
    const id = (await record(s, { ...GATE, workItemId: 'W-1' }, WRITER)) as number;
    expect(await lesson(s, id)).toEqual({
      id,
      status: 'new',
      version: 1,
      closedAt: null,
      createdAt: T0,
      recordedAt: T0,
      history: [
        { at: T0, kind: 'recorded', actor: 'writer', reason: null, version: 1, changes: [] },
      ],
    });
    // A dedup bump is a counter: no event, no version.
    s.clock.advance(10);
    expect(await record(s, { ...GATE, workItemId: 'W-1' }, WRITER)).toBeNull();
    expect((await lesson(s, id))?.version).toBe(1);

    s.clock.advance(50); // T0 + 60
    const triage = { status: 'in_progress', attribution: 'platform', reason: 'looking into it' };
    expect((await s.gql(UPDATE, { id, input: triage }, ADMIN)).data).toEqual({
      updateLesson: true,
    });
    // The same values again: true (it is as asked), and nothing written.
    s.clock.advance(60);
    expect((await s.gql(UPDATE, { id, input: triage }, ADMIN)).data).toEqual({
      updateLesson: true,
    });
    s.clock.advance(60); // T0 + 180
    await s.gql(UPDATE, { id, input: { status: 'closed', reason: 'fixed by #12' } }, ADMIN);
    expect((await lesson(s, id))?.closedAt).toBe(at(180));
    s.clock.advance(60); // T0 + 240
    await s.gql(UPDATE, { id, input: { status: 'new', attribution: null } }, ADMIN);

    const after = await lesson(s, id);
    expect(after?.version).toBe(4);
    expect(after?.closedAt).toBeNull();
    expect(after?.history).toEqual([
      { at: T0, kind: 'recorded', actor: 'writer', reason: null, version: 1, changes: [] },
      {
        at: at(60),
        kind: 'updated',
        actor: 'alice',
        reason: 'looking into it',
        version: 2,
        changes: [
          { field: 'status', from: 'new', to: 'in_progress' },
          { field: 'attribution', from: null, to: 'platform' },
        ],
      },
      {
        at: at(180),
        kind: 'closed',
        actor: 'alice',
        reason: 'fixed by #12',
        version: 3,
        changes: [{ field: 'status', from: 'in_progress', to: 'closed' }],
      },
      {
        at: at(240),
        kind: 'reopened',
        actor: 'alice',
        reason: null,
        version: 4,
        changes: [
          { field: 'status', from: 'closed', to: 'new' },
          { field: 'attribution', from: 'platform', to: null },
        ],
      },
    ]);
    // The recorded event is the lesson row itself (recorded_at, recorded_by): three rows.
    expect(await eventCount(s)).toBe(3);
  });

  test('without tokens the actor is anonymous', async () => {
    const s = await makeService({ backend });
    const id = (await record(s, GATE)) as number;
    await s.gql(UPDATE, { id, input: { status: 'linked' } });
    expect((await lesson(s, id))?.history.map((e) => [e.kind, e.actor])).toEqual([
      ['recorded', 'anonymous'],
      ['updated', 'anonymous'],
    ]);
  });

  test('a stale expectedVersion changes nothing, answers false and is counted; of two racing operators exactly one wins', async () => {
    const s = await withTokens(backend);
    const id = (await record(s, GATE)) as number;
    const stale = await s.gql(
      UPDATE,
      { id, input: { status: 'linked', expectedVersion: 7 } },
      ADMIN,
    );
    expect(stale.data).toEqual({ updateLesson: false });
    expect(await s.metric('lessons_rejected_total', { reason: 'version_conflict' })).toBe(1);
    expect((await lesson(s, id))?.version).toBe(1);

    for (let round = 0; round < 5; round++) {
      const version = (await lesson(s, id))?.version as number;
      const racers = ['a', 'b', 'c', 'd'].map((k) =>
        s.gql<{ updateLesson: boolean }>(
          UPDATE,
          {
            id,
            input: {
              relatedTask: `T-${round}-${k}`,
              expectedVersion: version,
              reason: `round ${round}`,
            },
          },
          ADMIN,
        ),
      );
      const answers = (await Promise.all(racers)).map((r) => r.data?.updateLesson);
      expect(answers.filter((a) => a === true)).toHaveLength(1);
      const now = await lesson(s, id);
      expect(now?.version).toBe(version + 1);
      expect(now?.history.filter((e) => e.reason === `round ${round}`)).toHaveLength(1);
    }
    expect(await s.metric('lessons_rejected_total', { reason: 'version_conflict' })).toBe(
      1 + 5 * 3,
    );

    // The same for a pattern.
    const p = await patternOf(s, id);
    const racers = ['closed', 'muted', 'closed'].map((status) =>
      updatePattern(s, p, { status, expectedVersion: 1 }),
    );
    const answers = (await Promise.all(racers)).map((r) => r.data?.updatePattern);
    expect(answers.filter((a) => a === true)).toHaveLength(1);
    expect((await pattern(s, p))?.version).toBe(2);
  });

  test('closing with a fix in the past closes the open lessons, each with its event; reopen and mute', async () => {
    const s = await withTokens(backend);
    const a = (await record(s, { ...GATE, workItemId: 'W-1' })) as number;
    const b = (await record(s, { ...GATE, workItemId: 'W-2', status: 'in_progress' })) as number;
    const c = (await record(s, { ...GATE, workItemId: 'W-3', status: 'linked' })) as number;
    const p = await patternOf(s, a);
    s.clock.advance(3600);

    const future = await updatePattern(s, p, { status: 'closed', fixedAt: at(3601) });
    expect(future.data).toBeNull();
    expect(future.errors?.[0]?.message).toMatch(
      /fixedAt 2026-03-02T11:00:01.000Z is in the future/,
    );
    expect(future.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const regressed = await updatePattern(s, p, { status: 'regressed' });
    expect(regressed.errors?.[0]?.message).toMatch(/regressed is set by the journal/);
    const unclosedFix = await updatePattern(s, p, { fixRef: 'abc123' });
    expect(unclosedFix.errors?.[0]?.message).toMatch(/this one is open/);
    expect((await pattern(s, p))?.version).toBe(1);

    const closed = await updatePattern(s, p, {
      status: 'closed',
      fixedAt: at(600),
      fixRef: 'PR #42',
      reason: 'retry budget raised',
    });
    expect(closed.data).toEqual({ updatePattern: true });
    const after = await pattern(s, p);
    expect(after).toMatchObject({
      status: 'closed',
      fixedAt: at(600),
      fixRef: 'PR #42',
      version: 2,
    });
    expect(after?.history).toEqual([
      {
        at: at(3600),
        kind: 'closed',
        actor: 'alice',
        reason: 'retry budget raised',
        version: 2,
        changes: [
          { field: 'status', from: 'open', to: 'closed' },
          { field: 'fixedAt', from: null, to: at(600) },
          { field: 'fixRef', from: null, to: 'PR #42' },
        ],
      },
    ]);
    for (const [id, from] of [
      [a, 'new'],
      [b, 'in_progress'],
    ] as const) {
      const l = await lesson(s, id);
      expect(l?.status).toBe('closed');
      expect(l?.history.at(-1)).toEqual({
        at: at(3600),
        kind: 'closed',
        actor: 'alice',
        reason: 'retry budget raised',
        version: 2,
        changes: [{ field: 'status', from, to: 'closed' }],
      });
    }
    expect((await lesson(s, c))?.history).toHaveLength(1); // linked is not open: left alone

    // Closing again with the same fix changes nothing.
    expect((await updatePattern(s, p, { status: 'closed', fixRef: 'PR #42' })).data).toEqual({
      updatePattern: true,
    });
    expect((await pattern(s, p))?.version).toBe(2);

    s.clock.advance(60);
    await updatePattern(s, p, { status: 'open', reason: 'not fixed after all' });
    expect(await pattern(s, p)).toMatchObject({
      status: 'open',
      fixedAt: null,
      fixRef: null,
      version: 3,
    });
    expect((await pattern(s, p))?.history.at(-1)).toMatchObject({
      kind: 'reopened',
      changes: [
        { field: 'status', from: 'closed', to: 'open' },
        { field: 'fixedAt', from: at(600), to: null },
        { field: 'fixRef', from: 'PR #42', to: null },
      ],
    });
    await updatePattern(s, p, { status: 'muted' });
    expect((await pattern(s, p))?.history.at(-1)).toMatchObject({
      kind: 'updated',
      changes: [{ field: 'status', from: 'open', to: 'muted' }],
    });
    // A muted pattern never regresses.
    await record(s, { ...GATE, workItemId: 'W-9' });
    expect(await pattern(s, p)).toMatchObject({ status: 'muted', regressionCount: 0 });
  });

  test('closed with fixedAt in the past: a late occurrence is counted and never regresses, a later one regresses once', async () => {
    const s = await withTokens(backend);
    const first = (await record(s, { ...GATE, workItemId: 'W-1' })) as number;
    const p = await patternOf(s, first);
    s.clock.advance(7200); // T0 + 2 h
    const fixedAt = at(3600); // the fix shipped an hour ago
    await updatePattern(s, p, { status: 'closed', fixedAt, fixRef: 'abc123' });

    // Dated within the grace (300 s) after the fix: late, whenever it arrives.
    const late = await record(s, { ...GATE, workItemId: 'W-2', occurredAt: at(3600 + 299) });
    expect(await lesson(s, late as number)).toMatchObject({
      createdAt: at(3899),
      recordedAt: at(7200),
      status: 'new',
    });
    // And one from before the fix, bumping a lesson (dedup reads event time too).
    expect(await record(s, { ...GATE, workItemId: 'W-2', occurredAt: at(3700) })).toBeNull();
    expect(await pattern(s, p)).toMatchObject({
      status: 'closed',
      lateOccurrences: 2,
      regressionCount: 0,
      regressedAt: null,
      occurrences: 3,
    });

    const back = await record(s, { ...GATE, workItemId: 'W-3', occurredAt: at(3600 + 300) });
    expect(await record(s, { ...GATE, workItemId: 'W-4', occurredAt: at(5000) })).not.toBeNull();
    const regressed = await pattern(s, p);
    expect(regressed).toMatchObject({
      status: 'regressed',
      regressedAt: at(3900),
      regressionCount: 1,
      lateOccurrences: 2,
      fixedAt,
      version: 3,
    });
    expect(regressed?.history.at(-1)).toEqual({
      at: at(7200),
      kind: 'regressed',
      actor: 'system',
      reason: `an occurrence at ${at(3900)}, 300 s or more after the fix`,
      version: 3,
      changes: [
        { field: 'status', from: 'closed', to: 'regressed' },
        { field: 'regressionCount', from: '0', to: '1' },
      ],
    });
    // A regressed pattern's new lessons are new as usual.
    expect((await lesson(s, back as number))?.status).toBe('new');

    // Closed again: a dedup bump dated after the new fix regresses it once more.
    s.clock.advance(60);
    await updatePattern(s, p, { status: 'closed' });
    const fixed = (await pattern(s, p))?.fixedAt as string;
    expect(fixed).toBe(at(7260));
    s.clock.advance(600);
    expect(await record(s, { ...GATE, workItemId: 'W-4', occurredAt: at(7260 + 301) })).toBeNull();
    expect(await pattern(s, p)).toMatchObject({ status: 'regressed', regressionCount: 2 });
  });

  test('occurredAt far ahead of the clock is taken as now and counted; a little ahead is kept', async () => {
    const s = await makeService({ backend });
    const far = (await record(s, { ...GATE, occurredAt: at(301) })) as number;
    expect(await lesson(s, far)).toMatchObject({ createdAt: T0, recordedAt: T0 });
    expect(await s.metric('lessons_input_clamped_total', { field: 'occurredAt' })).toBe(1);
    const near = (await record(s, { ...GATE, occurredAt: at(120), source: 'manual' })) as number;
    expect(await lesson(s, near)).toMatchObject({ createdAt: at(120), recordedAt: T0 });
    expect(await s.metric('lessons_input_clamped_total', { field: 'occurredAt' })).toBe(1);
  });

  test('50 concurrent recurrences of a closed pattern regress it exactly once', async () => {
    const s = await makeService({ backend });
    const first = (await record(s, { ...GATE, workItemId: 'W-0' })) as number;
    const p = await patternOf(s, first);
    await s.gql(UPDATE_PATTERN, { id: p, input: { status: 'closed' } });
    s.clock.advance(3600);
    // On PostgreSQL, from two replicas of the service on one database.
    const replicas =
      backend === 'postgresql'
        ? [s, await makeService({ backend, databaseUrl: s.databaseUrl, clock: s.clock })]
        : [s];
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        (replicas[i % replicas.length] as Service).gql<{ recordLesson: { id: number } | null }>(
          RECORD,
          { input: { ...GATE, workItemId: `W-${(i % 25) + 1}` } },
        ),
      ),
    );
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    const after = await pattern(s, p);
    expect(after).toMatchObject({
      status: 'regressed',
      regressionCount: 1,
      lessons: 26,
      occurrences: 51,
    });
    expect(after?.history.filter((e) => e.kind === 'regressed')).toHaveLength(1);
  });

  test('bulk updates: one of ids and filter, the cap refused with the count, dry runs change nothing', async () => {
    const s = await withTokens(backend, { settings: { bulkMax: 3 } });
    const ids: number[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await record(s, { ...GATE, workItemId: `W-${i}`, repo: 'shop' })) as number);
    await record(s, { ...GATE, workItemId: 'W-9', repo: 'billing' });
    const input = { attribution: 'platform', status: 'in_progress' };

    const both = await s.gql(BULK, { ids, filter: { repo: 'shop' }, input }, ADMIN);
    expect(both.errors?.[0]?.message).toBe('give exactly one of ids and filter');
    const neither = await s.gql(BULK, { input }, ADMIN);
    expect(neither.errors?.[0]?.message).toBe('give exactly one of ids and filter');
    const events = await eventCount(s);

    const over = await s.gql(BULK, { filter: { repo: 'shop' }, input }, ADMIN);
    expect(over.errors?.[0]?.message).toBe(
      '4 lessons match; one bulk update may change at most 3 (LESSONS_BULK_MAX): narrow the filter, or update them in parts',
    );
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'too_many',
    });
    const overDry = await s.gql(BULK, { filter: { repo: 'shop' }, input, dryRun: true }, ADMIN);
    expect(overDry.errors?.[0]?.message).toMatch(/^4 lessons match/);

    await s.gql(
      UPDATE,
      { id: ids[0], input: { attribution: 'platform', status: 'in_progress' } },
      ADMIN,
    );
    const dry = await s.gql(BULK, { ids: ids.slice(0, 3), input, dryRun: true }, ADMIN);
    expect(dry.data).toEqual({ updateLessons: { matched: 3, updated: 2 } });
    expect(await eventCount(s)).toBe(events + 1); // only the single update above

    const done = await s.gql(BULK, { ids: ids.slice(0, 3), input, reason: 'triage sweep' }, ADMIN);
    expect(done.data).toEqual({ updateLessons: { matched: 3, updated: 2 } });
    expect(await eventCount(s)).toBe(events + 3);
    for (const id of ids.slice(1, 3)) {
      expect((await lesson(s, id))?.history.at(-1)).toMatchObject({
        kind: 'updated',
        actor: 'alice',
        reason: 'triage sweep',
        version: 2,
        changes: [
          { field: 'status', from: 'new', to: 'in_progress' },
          { field: 'attribution', from: null, to: 'platform' },
        ],
      });
    }
    const byFilter = await s.gql(
      BULK,
      { filter: { repo: 'billing' }, input: { status: 'linked' } },
      ADMIN,
    );
    expect(byFilter.data).toEqual({ updateLessons: { matched: 1, updated: 1 } });
  });

  test('a bulk update that fails halfway changes nothing and writes no event', async () => {
    const s = await withTokens(backend);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await record(s, { ...GATE, workItemId: `W-${i}` })) as number);
    const victim = ids[2] as number;
    if (backend === 'sqlite') {
      await behindTheService(
        s,
        `CREATE TRIGGER fail_one BEFORE UPDATE ON lessons WHEN NEW.id = ${victim} BEGIN SELECT RAISE(ABORT, 'injected'); END`,
      );
    } else {
      await behindTheService(
        s,
        `CREATE FUNCTION fail_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$`,
        `CREATE TRIGGER fail_one BEFORE UPDATE ON lessons FOR EACH ROW WHEN (NEW.id = ${victim}) EXECUTE FUNCTION fail_one()`,
      );
    }
    const events = await eventCount(s);
    const r = await s.gql(BULK, { ids, input: { status: 'linked' } }, ADMIN);
    expect(r.data).toEqual({ updateLessons: { matched: 0, updated: 0 } });
    expect(await s.metric('lessons_faults_total', { operation: 'bulk_update' })).toBe(1);
    expect(await eventCount(s)).toBe(events);
    for (const id of ids) expect((await lesson(s, id))?.status).toBe('new');
  });

  test('mergePatterns writes a merged event on both sides', async () => {
    const s = await withTokens(backend);
    const a = (await record(s, { ...GATE, workItemId: 'W-1', rootCause: 'flaky login' })) as number;
    const b = (await record(s, {
      ...GATE,
      workItemId: 'W-2',
      rootCause: 'login is flaky',
    })) as number;
    const [pa, pb] = [await patternOf(s, a), await patternOf(s, b)];
    const merged = await s.gql(
      'mutation ($into: Int!, $from: [Int!]!, $reason: String) { mergePatterns(into: $into, from: $from, reason: $reason) }',
      { into: pa, from: [pb], reason: 'same problem' },
      ADMIN,
    );
    expect(merged.errors).toBeUndefined();
    expect(merged.data).toEqual({ mergePatterns: true });
    const expectEvent = (field: string, to: string) => ({
      at: T0,
      kind: 'merged',
      actor: 'alice',
      reason: 'same problem',
      version: 2,
      changes: [{ field, from: null, to }],
    });
    expect((await pattern(s, pa))?.history).toEqual([expectEvent('mergedFrom', String(pb))]);
    const prisma = await prismaOf(s);
    const fromEvents = await prisma.historyEvent.findMany({
      where: { entity: 'pattern', entityId: pb },
    });
    expect(fromEvents.map((e) => [e.kind, JSON.parse(e.changes)])).toEqual([
      ['merged', [{ field: 'mergedInto', from: null, to: String(pa) }]],
    ]);
  });

  test('aggregates filter on pattern status and give time to close: median and p90 as percentile_cont', async () => {
    const s = await makeService({ backend });
    // Stage a: lessons closed after 60, 120, 180, 600 s; stage b: one after 30 s, one open.
    const durations: Record<string, number[]> = { a: [60, 120, 180, 600], b: [30] };
    const opened: number[] = [];
    for (const [stage, list] of Object.entries(durations)) {
      for (const d of list) {
        s.clock.set(T0);
        const id = (await record(s, {
          lessonType: 'merge_hold',
          stage,
          source: 'manual',
        })) as number;
        s.clock.advance(d);
        await s.gql(UPDATE, { id, input: { status: 'closed' } });
      }
    }
    s.clock.set(T0);
    opened.push(
      (await record(s, {
        lessonType: 'merge_hold',
        stage: 'b',
        source: 'manual',
        rootCause: 'other',
      })) as number,
    );
    const r = await s.gql<{
      lessonAggregates: { stage: string; lessons: number; timeToClose: unknown }[];
    }>(
      `{ lessonAggregates(groupBy: [STAGE]) { stage lessons timeToClose { closed medianSeconds p90Seconds } } }`,
    );
    expect(r.errors).toBeUndefined();
    // percentile_cont by hand: a sorted [60,120,180,600]: median at rank 1.5 = 150, p90 at
    // rank 2.7 = 180 + 0.7 * 420 = 474; b: one value.
    expect(r.data?.lessonAggregates).toEqual([
      { stage: 'a', lessons: 4, timeToClose: { closed: 4, medianSeconds: 150, p90Seconds: 474 } },
      { stage: 'b', lessons: 2, timeToClose: { closed: 1, medianSeconds: 30, p90Seconds: 30 } },
    ]);
    const p = await patternOf(s, opened[0] as number);
    await s.gql(UPDATE_PATTERN, { id: p, input: { status: 'muted' } });
    const muted = await s.gql<{ lessonAggregates: { stage: string; lessons: number }[] }>(
      `{ lessonAggregates(groupBy: [STAGE], filter: { patternStatus: ["muted"] }) { stage lessons } }`,
    );
    expect(muted.data?.lessonAggregates).toEqual([{ stage: 'b', lessons: 1 }]);
  });
});

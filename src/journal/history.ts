// history: the lifecycle's append-only record of every change of a lesson or a pattern.
//
// Promise: an event is written by the statement or transaction that makes the change it
// describes (never after, never apart), and never updated or deleted. A change that sets
// every field to the value it had writes nothing; a dedup bump is a counter, not a change.
// Each event carries the entity's version after the change, so a lesson's or a pattern's
// events are numbered 1, 2, 3... in the order they happened.
//
// A lesson's first event, `recorded` (version 1, no changes), is the lesson row itself:
// its recorded_at and recorded_by, written by its insert and never changed. So the record,
// on the orchestrator's hot path, writes no second row (a history row per record cost
// PostgreSQL a fifth of its record throughput at 10 clients: the note of issue 14); every
// later event is a row of `history`. Lessons recorded before the lifecycle have no
// recorded_by: their recorded event names `anonymous`.
//
// Kinds: recorded (a lesson's arrival), updated, closed, reopened, regressed, merged.
// Events of one entity are ordered by version (unique per entity: each change adds one).
// Actors: the token's name (else its role), `system` for what the journal does by itself
// (a regression), `anonymous` where no token is configured.
import type { Backend, Row } from '../db/port.ts';
import { Prisma } from '../generated/prisma/client.ts';

export type Entity = 'lesson' | 'pattern';

export const EventKind = {
  RECORDED: 'recorded',
  UPDATED: 'updated',
  CLOSED: 'closed',
  REOPENED: 'reopened',
  REGRESSED: 'regressed',
  MERGED: 'merged',
} as const;

/** The actor of the changes the journal makes by itself. */
export const SYSTEM = 'system';

/** One field's change, its values as strings (null for none). */
export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface HistoryEvent {
  at: Date;
  kind: string;
  actor: string;
  reason: string | null;
  changes: FieldChange[];
  /** The entity's version after the change. */
  version: number;
}

/** Who made a change and why (the caller's actor and reason). */
export interface Author {
  actor: string;
  reason: string | null;
}

const COLUMNS = Prisma.raw('entity, entity_id, version, kind, actor, reason, changes, at');

/** The insert of one event, its values given. */
export function eventSql(
  entity: Entity,
  id: number,
  version: number,
  kind: string,
  author: Author,
  changes: readonly FieldChange[],
  at: Date,
): Prisma.Sql {
  return Prisma.sql`INSERT INTO history (${COLUMNS}) VALUES (${entity}, ${id}, ${version},
    ${kind}, ${author.actor}, ${author.reason}, ${JSON.stringify(changes)}, ${at})`;
}

/**
 * The insert of one event per row of `source` (a FROM clause or a subquery alias whose
 * rows have `id`, `version` and, as SQL, `kind` and `changes`): set-based, so that a
 * change of thousands of lessons is one statement, not thousands.
 */
export function eventsFromSql(
  entity: Entity,
  columns: { id: Prisma.Sql; version: Prisma.Sql; kind: Prisma.Sql; changes: Prisma.Sql },
  author: Author,
  at: Date,
  from: Prisma.Sql,
): Prisma.Sql {
  return Prisma.sql`INSERT INTO history (${COLUMNS})
    SELECT ${entity}, ${columns.id}, ${columns.version}, ${columns.kind}, ${author.actor},
      ${author.reason}, ${columns.changes}, ${at}
    FROM ${from}`;
}

const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(Number(value)));

function eventFromRow(row: Row): HistoryEvent {
  return {
    at: toDate(row.at),
    kind: String(row.kind),
    actor: String(row.actor),
    reason: (row.reason as string | null) ?? null,
    changes: JSON.parse(String(row.changes)) as FieldChange[],
    version: Number(row.version),
  };
}

/** The events of some lessons or patterns, oldest first, by id (one statement). */
export async function readHistory(
  db: Backend,
  entity: Entity,
  ids: readonly number[],
  signal: AbortSignal,
): Promise<Map<number, HistoryEvent[]>> {
  const found = new Map<number, HistoryEvent[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return found;
  const list = Prisma.join([...new Set(ids)]);
  const stored = Prisma.sql`SELECT entity_id, version, kind, actor, reason, changes, at
    FROM history WHERE entity = ${entity} AND entity_id IN (${list})`;
  const recorded = Prisma.sql`SELECT id AS entity_id, 1 AS version, ${Prisma.raw(`'${EventKind.RECORDED}'`)} AS kind,
      COALESCE(recorded_by, 'anonymous') AS actor, NULL AS reason, '[]' AS changes,
      COALESCE(recorded_at, created_at) AS at
    FROM lessons WHERE id IN (${list})`;
  const rows = await db.read(
    entity === 'lesson'
      ? Prisma.sql`${stored} UNION ALL ${recorded} ORDER BY entity_id, version`
      : Prisma.sql`${stored} ORDER BY entity_id, version`,
    { signal },
  );
  for (const row of rows) found.get(Number(row.entity_id))?.push(eventFromRow(row));
  return found;
}

/** A value as history writes it: text as it is, a time in ISO 8601, a number in decimal. */
export function historyValue(value: string | number | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

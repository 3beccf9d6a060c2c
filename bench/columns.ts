// columns: the `lessons` table's columns, for the baselines' statements (store.ts) and the
// PostgreSQL copy of a seeded journal (seed-postgres.ts).

/** Every column of `lessons`, in table order. */
export const ALL_COLUMNS = [
  'id',
  'lesson_type',
  'work_item_id',
  'task_id',
  'stage',
  'agent',
  'repo',
  'root_cause',
  'suggestion',
  'status',
  'related_task',
  'attribution',
  'target_repo',
  'target_domain',
  'source',
  'detail',
  'occurrences',
  'last_seen_at',
  'created_at',
  'updated_at',
];

export const TIMESTAMP_COLUMNS = ['last_seen_at', 'created_at', 'updated_at'];

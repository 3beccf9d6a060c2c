// columns: the `lessons` table's columns, from the service's field registry, for the
// baselines' statements (store.ts) and the PostgreSQL copy of a seeded journal
// (seed-postgres.ts). The baselines keep their own SQL, not their own list.
import { COLUMNS, columnOf, FIELD_NAMES, FIELDS } from '../src/journal/fields.ts';

/** Every column of `lessons`, in table order. */
export const ALL_COLUMNS: string[] = [...COLUMNS];

const ofKind = (kind: string) =>
  FIELD_NAMES.filter((name) => FIELDS[name].kind === kind).map(columnOf);

export const TIMESTAMP_COLUMNS = ofKind('timestamp');
/** Integer columns other than the id. */
export const INT_COLUMNS = ofKind('int').filter((c) => c !== 'id');

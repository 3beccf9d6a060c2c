// SQLite's failures as the port's reasons: better-sqlite3's result codes (and the same
// codes as Prisma's SQLite adapter wraps them while migrating), file-system errno names,
// and a few messages that carry no code.
import Database from 'better-sqlite3';
import { adapterKind, type ErrorLike, errorCodes, errorText, faultClassifier } from '../faults.ts';
import type { FaultReason } from '../port.ts';

const CODES: [prefix: string, reason: FaultReason][] = [
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_CANTOPEN', 'db_unavailable'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_NOTADB', 'corrupt'],
  ['SQLITE_IOERR', 'io_error'],
  ['ENOSPC', 'disk_full'],
  ['EACCES', 'db_unavailable'],
  ['EPERM', 'db_unavailable'],
  ['ENOENT', 'db_unavailable'],
  ['ENOTDIR', 'db_unavailable'],
  ['EROFS', 'db_unavailable'],
  ['EISDIR', 'db_unavailable'],
];

const MESSAGES: [pattern: RegExp, reason: FaultReason][] = [
  [/no such table/i, 'table_missing'],
  [/no such column|has no column named/i, 'schema_mismatch'],
  [/readonly|read-only/i, 'read_only'],
  [/database or disk is full|disk is full/i, 'disk_full'],
  [/unable to open database/i, 'db_unavailable'],
];

export function sqliteReason(errors: ErrorLike[]): FaultReason {
  for (const code of errorCodes(errors)) {
    const hit = CODES.find(([prefix]) => code.startsWith(prefix));
    if (hit) return hit[1];
  }
  const kind = adapterKind(errors);
  if (kind) return kind;
  const text = errorText(errors);
  const message = MESSAGES.find(([pattern]) => pattern.test(text));
  if (message) return message[1];
  // Any other error from SQLite itself is the database's; anything else is ours.
  return errorCodes(errors).some((c) => c.startsWith('SQLITE_')) ||
    errors.some((e) => e instanceof Database.SqliteError || typeof e.kind === 'string')
    ? 'database'
    : 'internal';
}

export const sqliteFault = faultClassifier(sqliteReason);

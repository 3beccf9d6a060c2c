// PostgreSQL's failures as the port's reasons: SQLSTATEs (exact, or by class), the
// network's errno names, node-postgres' messages that carry no code, and Prisma's adapter
// kinds while migrating.
import { adapterKind, type ErrorLike, errorCodes, errorText, faultClassifier } from '../faults.ts';
import type { FaultReason } from '../port.ts';

/** SQLSTATEs, exact or by class when the key is two characters. */
const SQLSTATES: Record<string, FaultReason> = {
  '25006': 'read_only', // read_only_sql_transaction
  '53100': 'disk_full',
  '57014': 'timeout', // query_canceled: statement_timeout
  '55P03': 'busy', // lock_not_available: lock_timeout
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '42P01': 'table_missing',
  '42703': 'schema_mismatch',
  '3D000': 'db_unavailable',
  '28000': 'db_unavailable',
  '28P01': 'db_unavailable',
  '53300': 'db_unreachable', // too_many_connections
  '57P01': 'db_unreachable', // admin_shutdown
  '57P02': 'db_unreachable',
  '57P03': 'db_unreachable', // cannot_connect_now
  // protocol_violation: the server refused a message and goes on (the connection stays
  // usable). pg sends a statement's parameter count as 16 bits, so one with more than
  // 65,535 values arrives with the wrong count and is refused here, not by the network.
  '08P01': 'database',
  '08': 'db_unreachable', // connection_exception
};

const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** A Unix socket the process may not use, or that is not there. */
const FILE_SYSTEM = new Set(['EACCES', 'EPERM', 'ENOENT']);

const MESSAGES: [pattern: RegExp, reason: FaultReason][] = [
  [
    /can't reach database server|connection terminated|timeout exceeded when trying to connect|connection refused/i,
    'db_unreachable',
  ],
  [/query read timeout|statement timeout/i, 'timeout'],
];

export function postgresReason(errors: ErrorLike[]): FaultReason {
  for (const code of errorCodes(errors)) {
    if (NETWORK.has(code)) return 'db_unreachable';
    if (FILE_SYSTEM.has(code)) return 'db_unavailable';
    const hit = SQLSTATES[code] ?? (code.length === 5 ? SQLSTATES[code.slice(0, 2)] : undefined);
    if (hit) return hit;
  }
  const kind = adapterKind(errors);
  if (kind) return kind;
  const text = errorText(errors);
  const message = MESSAGES.find(([pattern]) => pattern.test(text));
  if (message) return message[1];
  // Any other error from the server (pg's DatabaseError has a severity and a SQLSTATE).
  return errors.some(
    (e) =>
      typeof e.kind === 'string' ||
      /^P\d{4}$/.test(String(e.code)) ||
      (typeof e.severity === 'string' && typeof e.code === 'string'),
  )
    ? 'database'
    : 'internal';
}

export const postgresFault = faultClassifier(postgresReason);

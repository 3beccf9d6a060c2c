// A journal fault, named for the warning log and the fault counter: a short, stable reason
// (a metric label, so a bounded set) derived from whatever the database layer threw.

export class OperationTimeout extends Error {
  constructor(readonly ms: number) {
    super(`the operation took longer than ${ms} ms`);
    this.name = 'OperationTimeout';
  }
}

export type FaultReason =
  | 'timeout'
  | 'db_in_use'
  | 'db_unavailable'
  | 'table_missing'
  | 'schema_mismatch'
  | 'read_only'
  | 'disk_full'
  | 'busy'
  | 'corrupt'
  | 'io_error'
  | 'db_unreachable'
  | 'database'
  | 'internal';

const SQLITE_CODES: [prefix: string, reason: FaultReason][] = [
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_CANTOPEN', 'db_unavailable'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_NOTADB', 'corrupt'],
  ['SQLITE_IOERR', 'io_error'],
];

const ADAPTER_KINDS: Record<string, FaultReason> = {
  TableDoesNotExist: 'table_missing',
  ColumnNotFound: 'schema_mismatch',
  SocketTimeout: 'busy',
  DatabaseNotReachable: 'db_unreachable',
  ConnectionClosed: 'db_unreachable',
  TooManyConnections: 'db_unreachable',
  DatabaseDoesNotExist: 'db_unavailable',
  DatabaseAccessDenied: 'db_unavailable',
  AuthenticationFailed: 'db_unavailable',
};

const FS_CODES = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOTDIR', 'EROFS', 'EISDIR', 'ENOSPC']);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** PostgreSQL SQLSTATEs (exact, or by class when the key is two characters). */
const POSTGRES_CODES: Record<string, FaultReason> = {
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
  '08': 'db_unreachable', // connection_exception
};

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  severity?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** The error and everything it wraps (Prisma wraps the driver adapter's error). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 8) {
    const next = queue.shift();
    if (next === null || typeof next !== 'object') continue;
    const e = next as ErrorLike;
    out.push(e);
    queue.push(e.cause, e.meta?.driverAdapterError);
  }
  return out;
}

export function faultReason(error: unknown): FaultReason {
  const errors = chain(error);
  for (const e of errors) {
    if (e instanceof OperationTimeout) return 'timeout';
    if (e.name === 'DatabaseOwnedElsewhere') return 'db_in_use';
    const codes = [e.originalCode, e.code].filter((c): c is string => typeof c === 'string');
    for (const code of codes) {
      const hit = SQLITE_CODES.find(([prefix]) => code.startsWith(prefix));
      if (hit) return hit[1];
      if (FS_CODES.has(code)) return code === 'ENOSPC' ? 'disk_full' : 'db_unavailable';
      if (NETWORK_CODES.has(code)) return 'db_unreachable';
      const postgres =
        POSTGRES_CODES[code] ?? (code.length === 5 ? POSTGRES_CODES[code.slice(0, 2)] : undefined);
      if (postgres) return postgres;
    }
    if (typeof e.kind === 'string' && ADAPTER_KINDS[e.kind])
      return ADAPTER_KINDS[e.kind] as FaultReason;
  }
  const message = errors.map((e) => String(e.message ?? '')).join(' ');
  if (/no such table/i.test(message)) return 'table_missing';
  if (/readonly|read-only/i.test(message)) return 'read_only';
  if (/database or disk is full|disk is full/i.test(message)) return 'disk_full';
  if (/unable to open database/i.test(message)) return 'db_unavailable';
  if (
    /can't reach database server|connection terminated|timeout exceeded when trying to connect|connection refused/i.test(
      message,
    )
  ) {
    return 'db_unreachable';
  }
  if (/query read timeout|statement timeout/i.test(message)) return 'timeout';
  // Any other error from the database: a Prisma code, an adapter kind, or pg's DatabaseError.
  if (
    errors.some(
      (e) =>
        typeof e.kind === 'string' ||
        /^P\d{4}$/.test(String(e.code)) ||
        (typeof e.severity === 'string' && typeof e.code === 'string'),
    )
  ) {
    return 'database';
  }
  return 'internal';
}

/** A one-line description of a fault for the warning log (no stack trace). */
export function faultMessage(error: unknown): string {
  const first = chain(error).find((e) => typeof e.message === 'string');
  return (
    String(first?.message ?? error)
      .split('\n')[0]
      ?.slice(0, 500) ?? ''
  );
}

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

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
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
    }
    if (typeof e.kind === 'string' && ADAPTER_KINDS[e.kind])
      return ADAPTER_KINDS[e.kind] as FaultReason;
  }
  const message = errors.map((e) => String(e.message ?? '')).join(' ');
  if (/no such table/i.test(message)) return 'table_missing';
  if (/readonly|read-only/i.test(message)) return 'read_only';
  if (/database or disk is full|disk is full/i.test(message)) return 'disk_full';
  if (/unable to open database/i.test(message)) return 'db_unavailable';
  if (errors.some((e) => typeof e.kind === 'string' || /^P\d{4}$/.test(String(e.code)))) {
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

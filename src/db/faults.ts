// What the backends share in classifying their failures: walking an error and what it
// wraps (Prisma's adapters wrap the driver's error during migrations), and turning the
// reason a backend found into the port's DatabaseFault.
import { OperationTimeout } from '../deadline.ts';
import { DatabaseFault, type FaultReason } from './port.ts';

export type ErrorLike = {
  name?: unknown;
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  severity?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** The error and everything it wraps, outermost first. */
export function errorChain(error: unknown): ErrorLike[] {
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

/** Every string code along the chain (driver codes, adapter codes, errno names). */
export function errorCodes(errors: ErrorLike[]): string[] {
  return errors.flatMap((e) =>
    [e.originalCode, e.code].filter((c): c is string => typeof c === 'string'),
  );
}

/** The messages along the chain, joined (for the last-resort patterns). */
export function errorText(errors: ErrorLike[]): string {
  return errors.map((e) => String(e.message ?? '')).join(' ');
}

/** Prisma's driver-adapter error kinds (seen while migrating through an adapter). */
export const ADAPTER_KINDS: Record<string, FaultReason> = {
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

export function adapterKind(errors: ErrorLike[]): FaultReason | undefined {
  for (const e of errors) {
    if (typeof e.kind === 'string' && ADAPTER_KINDS[e.kind]) return ADAPTER_KINDS[e.kind];
  }
  return undefined;
}

/** A one-line description of a failure for the warning log (no stack trace). */
export function firstLine(error: unknown): string {
  const first = errorChain(error).find((e) => typeof e.message === 'string');
  return (
    String(first?.message ?? error)
      .split('\n')[0]
      ?.slice(0, 500) ?? ''
  );
}

/**
 * A classifier as the port promises it: a DatabaseFault (or an abort's own reason, which
 * the guard reports as the deadline) whatever was thrown.
 */
export function faultClassifier(
  reasonOf: (errors: ErrorLike[]) => FaultReason,
): (error: unknown) => Error {
  return (error) => {
    if (error instanceof DatabaseFault || error instanceof OperationTimeout) return error;
    return new DatabaseFault(reasonOf(errorChain(error)), firstLine(error), { cause: error });
  };
}

// The one mechanism behind the journal's two invariants; every operation runs through it.
//
// - Kill-switch: with the journal off, the operation returns its "off" default at once and
//   its body, the only code that touches the database, never runs.
// - Never-raise: with it on, any fault in the body (or a body slower than the configured
//   bound) becomes one structured warning (operation, reason, message; no stack trace at
//   warning level), one count in lessons_faults_total{operation,reason}, and the
//   operation's "fault" default. Nothing is thrown to the caller.
// The bound is one deadline (../deadline.ts): its signal goes down to the backend, which
// skips what has not started by then, and the caller is answered when it passes.
import type { Logger } from 'pino';
import { firstLine } from '../db/faults.ts';
import { DatabaseFault, type FaultReason } from '../db/port.ts';
import { deadline, OperationTimeout, untilAborted } from '../deadline.ts';
import type { JournalMetrics } from '../metrics.ts';
import type { JournalSettings, SettingsSource } from '../settings.ts';

export type Operation =
  | 'record'
  | 'get'
  | 'list'
  | 'update'
  | 'snapshot'
  | 'aggregate'
  | 'connection'
  | 'patterns'
  | 'merge';

export interface SafeDefaults<T> {
  /** What the operation returns with the journal off. */
  off: T;
  /** What it returns on a fault with the journal on. */
  fault: T;
}

export type Guard = <T>(
  operation: Operation,
  defaults: SafeDefaults<T>,
  body: (settings: JournalSettings, signal: AbortSignal) => Promise<T>,
) => Promise<T>;

/** A fault's label: the backend's classification, the deadline, or a fault of ours. */
export function faultReason(error: unknown): FaultReason {
  if (error instanceof DatabaseFault) return error.reason;
  if (error instanceof OperationTimeout) return 'timeout';
  return 'internal';
}

export function createGuard(deps: {
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
}): Guard {
  const { log, metrics } = deps;
  return async (operation, defaults, body) => {
    const settings = deps.settings.current();
    if (!settings.enabled) {
      metrics.noop.inc({ operation });
      return defaults.off;
    }
    const bound = deadline(settings.operationTimeoutMs);
    try {
      return await untilAborted(body(settings, bound.signal), bound.signal);
    } catch (error) {
      const reason = faultReason(error);
      log.warn(
        { operation, reason, error: firstLine(error) },
        'journal fault: answered with the safe default',
      );
      log.debug({ operation, err: error }, 'journal fault detail');
      metrics.faults.inc({ operation, reason });
      return defaults.fault;
    } finally {
      bound.clear();
    }
  };
}

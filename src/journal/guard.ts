// The one mechanism behind the journal's two invariants; every operation runs through it.
//
// - Kill-switch: with the journal off, the operation returns its "off" default at once and
//   its body, the only code that touches the database, never runs.
// - Never-raise: with it on, any fault in the body (or a body slower than the configured
//   bound) becomes one count in lessons_faults_total{operation,reason} and the operation's
//   "fault" default. Nothing is thrown to the caller.
// - Warnings that help and don't flood: per (operation, reason), the first fault of a
//   window (FAULT_LOG_WINDOW_MS) is one structured warning (operation, reason, error: never
//   empty; no stack trace at warning level); the others of that window are only counted,
//   and one summary says how many when the window ends ("...and N more like it in the
//   last Xs"). A database down at 45 records a second is two lines a minute, not 2,700.
// - Bounded writes: with the journal on, a write (record, update, merge, ...) over its actor's
//   rate limit (write-limit.ts) is not run: one count in
//   lessons_rejected_total{operation,reason="rate_limited"} and the "fault" default.
// - Why: a caller who asks is told what the operation decided (`Call.tell`): the body tells
//   what it did (recorded, deduped, rejected), the guard tells "off", "rate_limited" or the
//   fault's reason, so an answer that is a safe default never looks like a real one. Once
//   the guard has answered, a body that finishes late tells nobody: the told outcome always
//   matches the answer.
// The bound is one deadline (../deadline.ts): its signal goes down to the backend, which
// skips what has not started by then, and the caller is answered when it passes.
import type { Logger } from 'pino';
import { errorChain, firstLine } from '../db/faults.ts';
import { DatabaseFault, type FaultReason } from '../db/port.ts';
import { OperationTimeout, withDeadline } from '../deadline.ts';
import type { JournalMetrics } from '../metrics.ts';
import type { JournalSettings, SettingsSource } from '../settings.ts';
import { createWriteLimit } from './write-limit.ts';

export type Operation =
  | 'record'
  | 'get'
  | 'list'
  | 'update'
  | 'snapshot'
  | 'aggregate'
  | 'connection'
  | 'patterns'
  | 'merge'
  | 'bulk_update'
  | 'update_pattern'
  | 'history'
  | 'rice_inputs'
  | 'escapes'
  | 'efficacy'
  | 'advisories'
  | 'advice_feedback'
  | 'advice';

export interface SafeDefaults<T> {
  /** What the operation returns with the journal off. */
  off: T;
  /** What it returns on a fault with the journal on. */
  fault: T;
}

/** What an operation decided, for a caller who wants to know why it answered as it did. */
export type Outcome =
  | { outcome: 'recorded' | 'deduped'; id: number }
  | { outcome: 'rejected'; reason: string; message?: string }
  | { outcome: 'off' }
  | { outcome: 'fault'; reason: FaultReason };

export type Tell = (outcome: Outcome) => void;

/** Who calls (for the write rate limit), and where to tell them what was decided. */
export interface Call {
  /** The caller's name (a token's); absent: one anonymous actor. */
  actor?: string;
  /** Who the history names for the caller's changes (a token's name, else its role). */
  author?: string;
  tell?: Tell;
  /** The largest answer the caller takes, in bytes: lists of larger rows are refused. */
  maxBytes?: number;
}

export type Guard = <T>(
  operation: Operation,
  defaults: SafeDefaults<T>,
  body: (settings: JournalSettings, signal: AbortSignal, tell: Tell) => Promise<T>,
  call?: Call,
) => Promise<T>;

/** The operations that write, held to the write rate limit. */
const WRITES: ReadonlySet<Operation> = new Set([
  'record',
  'update',
  'merge',
  'bulk_update',
  'update_pattern',
  'advice_feedback',
]);

/** How long one window of fault warnings lasts, per (operation, reason). */
export const FAULT_LOG_WINDOW_MS = 60_000;

/** A fault's label: the backend's classification, the deadline, or a fault of ours. */
export function faultReason(error: unknown): FaultReason {
  if (error instanceof DatabaseFault) return error.reason;
  if (error instanceof OperationTimeout) return 'timeout';
  return 'internal';
}

/** The warning's one line: the error's first line, else its reason, names and codes. */
function faultText(error: unknown, reason: FaultReason): string {
  const line = firstLine(error).trim();
  if (line) return line;
  const names = errorChain(error).map((e) =>
    [e.name, e.code].filter((part) => typeof part === 'string' && part !== '').join(' '),
  );
  const carried = names.filter(Boolean).join(' < ');
  return `${reason}: ${carried || typeof error}, without a message`;
}

interface Window {
  operation: Operation;
  reason: FaultReason;
  started: number;
  suppressed: number;
  /** The latest suppressed fault's text. */
  error: string;
  timer?: NodeJS.Timeout;
}

/**
 * Logs a fault as the header says. Windows run on the real clock (performance.now), not
 * the journal's (tests move that one), and their timers never keep the process alive.
 */
function faultLogger(log: Logger, windowMs: number) {
  const windows = new Map<string, Window>();
  const seconds = `${Number((windowMs / 1000).toFixed(1))}s`;
  const summarise = (key: string) => {
    const window = windows.get(key);
    if (!window) return;
    windows.delete(key);
    clearTimeout(window.timer);
    if (window.suppressed === 0) return;
    const { operation, reason, suppressed, error } = window;
    log.warn(
      { operation, reason, suppressed, windowSeconds: windowMs / 1000, error },
      `journal fault: ...and ${suppressed} more like it in the last ${seconds}`,
    );
  };
  return (operation: Operation, reason: FaultReason, error: unknown) => {
    const key = `${operation}:${reason}`;
    const now = performance.now();
    const open = windows.get(key);
    if (open && now - open.started < windowMs) {
      open.suppressed += 1;
      open.error = faultText(error, reason);
      open.timer ??= setTimeout(() => summarise(key), open.started + windowMs - now).unref();
      return;
    }
    summarise(key);
    windows.set(key, { operation, reason, started: now, suppressed: 0, error: '' });
    log.warn(
      { operation, reason, error: faultText(error, reason) },
      'journal fault: answered with the safe default',
    );
    log.debug({ operation, err: error }, 'journal fault detail');
  };
}

export function createGuard(deps: {
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
  /** The window of fault warnings (default FAULT_LOG_WINDOW_MS; tests shorten it). */
  faultLogWindowMs?: number | undefined;
}): Guard {
  const { metrics } = deps;
  const logFault = faultLogger(deps.log, deps.faultLogWindowMs ?? FAULT_LOG_WINDOW_MS);
  const admitted = createWriteLimit();
  return async (operation, defaults, body, call) => {
    let answered = false;
    const told: Tell = (outcome) => {
      if (!answered) call?.tell?.(outcome);
    };
    const settings = deps.settings.current();
    if (!settings.enabled) {
      metrics.noop.inc({ operation });
      told({ outcome: 'off' });
      return defaults.off;
    }
    if (WRITES.has(operation) && !admitted(call?.actor ?? 'anonymous', settings)) {
      metrics.rejected.inc({ operation, reason: 'rate_limited' });
      told({ outcome: 'rejected', reason: 'rate_limited' });
      return defaults.fault;
    }
    try {
      return await withDeadline(settings.operationTimeoutMs, (signal) =>
        body(settings, signal, told),
      );
    } catch (error) {
      const reason = faultReason(error);
      logFault(operation, reason, error);
      metrics.faults.inc({ operation, reason });
      told({ outcome: 'fault', reason });
      return defaults.fault;
    } finally {
      answered = true;
    }
  };
}

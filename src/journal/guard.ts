// The one mechanism behind the journal's two invariants; every operation runs through it.
//
// - Kill-switch: with the journal off (or its switch unreadable), the operation returns its
//   "off" default at once and its body, the only code that touches the database, never
//   runs.
// - Never-raise: with it on, any fault in the body (or a body slower than the configured
//   bound) becomes one structured warning (operation, reason, message; no stack trace at
//   warning level), one count in lessons_faults_total{operation,reason}, and the
//   operation's "fault" default. Nothing is thrown to the caller.
import type { Logger } from 'pino';
import type { JournalMetrics } from '../metrics.ts';
import type { JournalSettings, SettingsSource } from '../settings.ts';
import { faultMessage, faultReason, OperationTimeout } from './faults.ts';

export type Operation =
  | 'record'
  | 'get'
  | 'list'
  | 'update'
  | 'snapshot'
  | 'aggregate'
  | 'connection';

export interface SafeDefaults<T> {
  /** What the operation returns with the journal off. */
  off: T;
  /** What it returns on a fault with the journal on. */
  fault: T;
}

export type Guard = <T>(
  operation: Operation,
  defaults: SafeDefaults<T>,
  body: (settings: JournalSettings, expiresAt: number) => Promise<T>,
) => Promise<T>;

export function createGuard(deps: {
  settings: SettingsSource;
  log: Logger;
  metrics: JournalMetrics;
}): Guard {
  const { log, metrics } = deps;
  let switchFaultLogged = false;

  const currentSettings = (): JournalSettings | undefined => {
    try {
      const settings = deps.settings.current();
      switchFaultLogged = false;
      return settings;
    } catch (error) {
      if (!switchFaultLogged) {
        log.warn({ reason: faultMessage(error) }, 'kill-switch unreadable: the journal is off');
        switchFaultLogged = true;
      }
      return undefined;
    }
  };

  return async (operation, defaults, body) => {
    const settings = currentSettings();
    if (!settings?.enabled) {
      metrics.noop.inc({ operation });
      return defaults.off;
    }
    // When the caller gets its default if the body has not answered (epoch ms).
    const expiresAt = Date.now() + settings.operationTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OperationTimeout(settings.operationTimeoutMs)),
        settings.operationTimeoutMs,
      );
    });
    try {
      return await Promise.race([body(settings, expiresAt), deadline]);
    } catch (error) {
      const reason = faultReason(error);
      log.warn(
        { operation, reason, error: faultMessage(error) },
        'journal fault: answered with the safe default',
      );
      log.debug({ operation, err: error }, 'journal fault detail');
      metrics.faults.inc({ operation, reason });
      return defaults.fault;
    } finally {
      clearTimeout(timer);
    }
  };
}

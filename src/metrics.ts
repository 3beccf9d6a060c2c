// Counters the journal keeps for /metrics (Prometheus text, prom-client). One registry per
// app instance, so tests can run several apps side by side.
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export interface JournalMetrics {
  registry: Registry;
  /** Lessons inserted. */
  recorded: Counter<'source'>;
  /** Auto records folded into an earlier lesson (its occurrences went up). */
  deduped: Counter;
  /** Calls answered without touching the database: the kill-switch was off. */
  noop: Counter<'operation'>;
  /** Calls refused as input, by reason (blank lesson type, empty update). */
  rejected: Counter<'operation' | 'reason'>;
  /** Journal faults turned into a safe default, by operation and reason. */
  faults: Counter<'operation' | 'reason'>;
  /** Oversized input kept in shortened form, by field. */
  truncated: Counter<'field'>;
  /** Input out of range taken as the nearest value that is not (a future occurredAt: now). */
  clamped: Counter<'field'>;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): JournalMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    recorded: counter('lessons_recorded_total', 'Lessons inserted, by source.', ['source']),
    deduped: counter(
      'lessons_deduped_total',
      'Auto records folded into an earlier lesson within the dedup window.',
      [],
    ),
    noop: counter(
      'lessons_noop_total',
      'Journal calls answered without database access because the journal is off.',
      ['operation'],
    ),
    rejected: counter('lessons_rejected_total', 'Journal calls refused as input.', [
      'operation',
      'reason',
    ]),
    faults: counter(
      'lessons_faults_total',
      'Journal faults answered with the safe default, by operation and reason.',
      ['operation', 'reason'],
    ),
    truncated: counter(
      'lessons_input_truncated_total',
      'Oversized input fields kept in shortened form.',
      ['field'],
    ),
    clamped: counter(
      'lessons_input_clamped_total',
      'Input values out of range taken as the nearest one in range (occurredAt more than 5 minutes ahead: now).',
      ['field'],
    ),
  };
}

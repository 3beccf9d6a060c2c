// memory: a process's peak resident set size, per measured run (Linux /proc).
import { readFileSync, writeFileSync } from 'node:fs';

/** Peak resident set since the last reset (Linux), in MiB; the reset makes it per case. */
export function peakRssMb(pid: number | 'self'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Resets the peak RSS (VmHWM) to the current RSS: `5 > /proc/<pid>/clear_refs`. */
export function resetPeakRss(pid: number | 'self'): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux or not allowed: the peak is then the process's lifetime peak.
  }
}

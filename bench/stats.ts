// stats: what a list of latencies (milliseconds) says, with exact percentiles (no histogram
// bucketing, so sub-millisecond differences survive).

export interface Summary {
  /** completed requests (or operations) per second */
  rps: number;
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** The value at quantile q of an ascending list (nearest rank). */
export function quantile(sorted: Float64Array | number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function summarise(latencies: number[], seconds: number): Summary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: seconds > 0 ? latencies.length / seconds : 0,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    max: sorted.length > 0 ? (sorted[sorted.length - 1] as number) : Number.NaN,
    count: latencies.length,
  };
}

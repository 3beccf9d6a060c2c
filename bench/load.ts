// load: drives a server over loopback HTTP with autocannon, and measures it.
//
// Promise: a warm-up run, then a measured run of `durationS` at `clients` connections
// (closed loop) or at a fixed overall rate (autocannon's `overallRate`). Latencies are
// collected from every 2xx response as autocannon times them (high resolution, float ms),
// not from autocannon's own histogram, which buckets to whole milliseconds and, in
// fixed-rate mode, adds synthetic samples with a wrong expected interval. A response whose
// body carries GraphQL `errors`, a non-2xx status, a socket error or a timeout is counted
// in `failures` and left out of the latencies.
//
// Note on fixed rate: autocannon limits each connection to rate/connections requests per
// second and sends them back to back at the start of each second, so a fixed-rate run is
// bursts of up to `clients` concurrent requests totalling the rate each second; harsher
// on the tail than evenly spaced arrivals.
import autocannon from 'autocannon';
import type { GraphQLBody } from './scenarios.ts';
import { type Summary, summarise } from './stats.ts';

export interface LoadOptions {
  /** http://127.0.0.1:port */
  base: string;
  clients: number;
  durationS: number;
  warmupS: number;
  /** a generator called once per request */
  body: () => GraphQLBody;
  /** requests per second across all clients (fixed-rate mode) */
  overallRate?: number;
  /** called between the warm-up and the measured run (to start measurement windows) */
  beforeMeasure?: () => Promise<void> | void;
}

export interface LoadResult extends Summary {
  failures: number;
}

const HEADERS = { 'content-type': 'application/json' };

async function once(
  options: LoadOptions,
  durationS: number,
): Promise<{ latencies: number[]; failures: number; seconds: number }> {
  const latencies: number[] = [];
  let failures = 0;
  let ok = true;
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.base,
        connections: options.clients,
        pipelining: 1,
        duration: durationS,
        timeout: 30,
        // autocannon ends a run at its next sample tick: tick often, so runs last what they say.
        sampleInt: 100,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            headers: HEADERS,
            setupRequest: (request) => ({ ...request, body: JSON.stringify(options.body()) }),
            onResponse: (status, body) => {
              // The response event for this request comes right after (same tick).
              ok = status >= 200 && status < 300 && !body.includes('"errors"');
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (ok) latencies.push(ms);
    else failures++;
  });
  const result = await done;
  failures += result.errors + result.timeouts;
  return { latencies, failures, seconds: result.duration };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupS > 0) await once(options, options.warmupS);
  await options.beforeMeasure?.();
  const { latencies, failures, seconds } = await once(options, options.durationS);
  return { ...summarise(latencies, seconds), failures };
}

// The write rate limit: how many writes (records, updates, merges) one caller may make,
// so that a runaway client can't grow the journal without bound. Off by default.
//
// Promise: with LESSONS_WRITE_RATE_PER_S = r > 0, each actor (a token's name; every caller
// of an open server is one actor) has a bucket of LESSONS_WRITE_BURST writes, refilled at
// r a second; a write finding it empty is not admitted (the guard answers it with the safe
// default and the counted reason `rate_limited`). Nothing here touches the database or
// throws. A change of either setting starts every bucket afresh, full.
// The buckets are the `limiter` package's token buckets (monotonic clock, fractional refill).
import { TokenBucket } from 'limiter';
import type { JournalSettings } from '../settings.ts';

export type WriteLimit = (actor: string, settings: JournalSettings) => boolean;

export function createWriteLimit(): WriteLimit {
  let buckets = new Map<string, TokenBucket>();
  let shape = '';
  return (actor, { writeRatePerS, writeBurst }) => {
    if (writeRatePerS === 0) return true;
    const now = `${writeRatePerS}/${writeBurst}`;
    if (now !== shape) {
      shape = now;
      buckets = new Map();
    }
    let bucket = buckets.get(actor);
    if (!bucket) {
      bucket = new TokenBucket({
        bucketSize: writeBurst,
        tokensPerInterval: writeRatePerS,
        interval: 'second',
      });
      // A new bucket starts full: an actor's first burst is admitted.
      bucket.content = writeBurst;
      buckets.set(actor, bucket);
    }
    return bucket.tryRemoveTokens(1);
  };
}

// The default fingerprint: which root causes group together and which stay apart (the
// table is the grouping rules' specification), the exact normalised text, what the hash is
// made of, its shape and its stability.
import { describe, expect, it } from 'vitest';
import {
  defaultFingerprint,
  GROUPING_VERSION,
  groupingComponents,
  isDefaultFingerprint,
  normaliseRootCause,
} from '../src/journal/fingerprint.ts';

const LESSON = { lessonType: 'gate_failure', stage: 'qa' };

function fingerprintOf(rootCause: string | null): string {
  return defaultFingerprint({ ...LESSON, rootCause });
}

type Verdict = 'together' | 'apart';

/** Pairs of root causes of the same lessonType and stage, and whether they must group. */
const PAIRS: ReadonlyArray<readonly [Verdict, string, string]> = [
  // The contract's two examples.
  [
    'together',
    'timeout after 30000ms in run 7f3a9c21, checkout.spec.ts:42',
    'Timeout after 31250ms in run 0b1d2e3f, checkout.spec.ts:57',
  ],
  [
    'apart',
    'timeout after 30000ms in run 7f3a9c21, checkout.spec.ts:42',
    'Timeout after 31250ms in run 0b1d2e3f, login.spec.ts:57',
  ],

  // UUIDs, in either case.
  [
    'together',
    'task 123e4567-e89b-12d3-a456-426614174000 lost its lease',
    'task 9F1C2D3E-4B5A-6978-8A9B-0C1D2E3F4A5B lost its lease',
  ],
  // Hex ids of 7+ characters (short and full commit shas) and 0x-prefixed values.
  [
    'together',
    'commit 7f3a9c2 is not on main',
    'commit 0b1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d is not on main',
  ],
  ['together', 'segfault at address 0x7ffd5e8c', 'segfault at address 0x0'],
  // Numbers: integers, decimals, negatives, numbers after a dash or a hash.
  ['together', 'retried 3 times, 2 left', 'retried 12 times, 0 left'],
  ['together', 'work item W-123 has no owner', 'work item W-98765 has no owner'],
  ['together', 'coverage fell to 71.5% (min 80)', 'coverage fell to 64.25% (min 90)'],
  ['together', 'exit code -1 on attempt#2', 'exit code 137 on attempt#11'],
  // Line numbers: with or without a column.
  ['together', 'TypeError at src/cart.ts:10:5', 'TypeError at src/cart.ts:214'],
  // Durations: glued or spaced units, decimals, compounds, the micro sign.
  ['together', 'step exceeded 2.5s (limit 250 ms)', 'step exceeded 12s (limit 1500 ms)'],
  ['together', 'job ran for 1h2m3s', 'job ran for 45m'],
  ['together', 'p99 latency 800µs', 'p99 latency 12ns'],
  // ISO dates, date-times (both forms, any zone) and times of day.
  [
    'together',
    'lease expired at 2026-11-30T12:00:00Z',
    'lease expired at 2026-11-30 12:00:00.123+01:00',
  ],
  ['together', 'snapshot of 2026-11-30 is missing', 'snapshot of 2025-01-02 is missing'],
  ['together', 'cron fired at 23:59:59', 'cron fired at 00:00:01.5'],
  // URLs: http and https, paths, queries, fragments, ports.
  [
    'together',
    'GET https://api.example.com/v2/orders?id=42&page=3 returned an error',
    'GET http://localhost:8080/health returned an error',
  ],
  [
    'together',
    'webhook https://hooks.example.com/a/b/c?token=abc#frag timed out',
    'webhook https://other.example.org/ timed out',
  ],
  // E-mail addresses.
  [
    'together',
    'no account for alice@example.com',
    'no account for Bob.Smith+ci@corp.example.co.uk',
  ],
  // IPv4 and IPv6 addresses (and one for the other), with or without a port.
  ['together', 'connection refused by 10.0.0.12:5432', 'connection refused by 192.168.1.254:6543'],
  [
    'together',
    'connection refused by [::1]:5432',
    'connection refused by [2001:db8::8a2e:370:7334]:5433',
  ],
  ['together', 'no route to 10.0.0.12', 'no route to fe80::1ff:fe23:4567:890a'],
  // Quoted strings: single, double, back-quoted; an apostrophe is not a quote.
  ['together', "cannot find module 'left-pad'", "cannot find module 'is-odd'"],
  ['together', 'unknown option "--fast"', 'unknown option "--frozen-lockfile"'],
  ['together', 'command `npm ci` exited', 'command `pnpm install --frozen-lockfile` exited'],
  ['together', "can't open 'a.txt'", "can't open 'b.txt'"],
  // Case, whitespace (newlines, tabs, runs, ends) and Unicode compatibility forms.
  ['together', 'Flaky Test In CHECKOUT', 'flaky test in checkout'],
  ['together', 'lint failed:\n\tunused import', '  lint   failed: unused import  '],
  ['together', 'ｔｉｍｅｏｕｔ after ３０ｍｓ', 'timeout after 5ms'],
  // Status codes are numbers, so they group: Sentry's behaviour. A lesson whose cause is the
  // code itself tells them apart in its words ("service unavailable"), or passes its own
  // fingerprint.
  ['together', 'upstream answered HTTP 500', 'upstream answered HTTP 503'],

  // Different words, file names and error classes are different failures.
  ['apart', 'checkout.spec.ts failed', 'login.spec.ts failed'],
  ['apart', 'TypeError at src/cart.ts:10', 'TypeError at src/cart.js:10'],
  ['apart', 'socket hang up: ECONNRESET', 'socket hang up: ETIMEDOUT'],
  ['apart', 'TypeError: x is undefined', 'RangeError: x is undefined'],
  ['apart', 'migration lock held', 'migration lock lost'],
  ['apart', 'run 42 failed', 'run 42 passed'],
  ['apart', "can't connect to the registry", 'cannot connect to the registry'],
  ['apart', 'timeout after 30000ms', 'timeout'],
  // Digits glued to letters are part of a word: suites, encodings, protocols, versions.
  ['apart', 'e2e suite failed', 'e3e suite failed'],
  ['apart', 'utf8 decode error', 'utf16 decode error'],
  ['apart', 'http2 stream reset', 'http3 stream reset'],
  ['apart', 'requires node v20.19.1', 'requires node v22.1.0'],
  // Words made only of a-f letters are words, not hex ids.
  ['apart', 'checksum deadbeef rejected', 'checksum defaced rejected'],
  // A hex id needs a digit and a letter: a run of digits is a number, which is another kind.
  ['apart', 'commit a1b2c3d is not on main', 'commit 1234567 is not on main'],
];

describe('grouping table', () => {
  it('has at least 30 pairs, both verdicts', () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(PAIRS.map(([verdict]) => verdict))).toEqual(new Set(['together', 'apart']));
  });

  it.each(PAIRS)('%s: %j / %j', (verdict, a, b) => {
    if (verdict === 'together') expect(fingerprintOf(a)).toBe(fingerprintOf(b));
    else expect(fingerprintOf(a)).not.toBe(fingerprintOf(b));
  });
});

describe('normaliseRootCause', () => {
  it.each([
    [
      'Timeout after 30000ms in run 7f3a9c21, checkout.spec.ts:42',
      'timeout after <duration> in run <hex>, checkout.spec.ts:<num>',
    ],
    [
      'Lease of 123E4567-E89B-12D3-A456-426614174000 expired at 2026-11-30T12:00:00Z, not 2026-11-30 12:00:00.123+01:00',
      'lease of <uuid> expired at <datetime>, not <datetime>',
    ],
    ['Snapshot 2026-11-30 taken at 09:15:02', 'snapshot <date> taken at <time>'],
    [
      'GET https://api.example.com/v2/orders?id=42. Mail ops@example.com (see http://x.io/a)',
      'get <url>. mail <email> (see <url>)',
    ],
    [
      'from 10.0.0.1:5432 and [::1]:8080 and ::ffff:192.0.2.1',
      'from <ip>:<num> and [<ip>]:<num> and <ip>',
    ],
    [
      'can\'t read \'a.txt\' from "b \\"c\\"" or `d` in users\' data',
      "can't read <str> from <str> or <str> in users' data",
    ],
    [
      'segfault at 0x7FFD, sha a1b2c3d, word deadbeef',
      'segfault at <hex>, sha <hex>, word deadbeef',
    ],
    [
      'W-123 attempt#3 run_42 -5 1-5 3.14 1.5e-7 HTTP 503 at src/a.ts:10:5',
      'w-<num> attempt#<num> run_<num> <num> <num>-<num> <num> <num> http <num> at src/a.ts:<num>',
    ],
    [
      'e2e s3 utf8 h2 v1.2.3 python3.11 std::io::Error',
      'e2e s3 utf8 h2 v1.2.3 python3.11 std::io::error',
    ],
    [
      '1m30s, 2 min, 3 seconds, 1.5s, 250 ms, 100µs; 5 us, 3 s',
      '<duration>, <duration>, <duration>, <duration>, <duration>, <duration>; <num> us, <num> s',
    ],
    ['  Many\t\tWHITE\r\n\nspace  ', 'many white space'],
    ['ＦＵＬＬ ｗｉｄｔｈ １２３', 'full width <num>'],
  ])('%j -> %j', (input, expected) => {
    expect(normaliseRootCause(input)).toBe(expected);
  });

  it.each([null, undefined, '', '   ', '\n\t \r\n'])('%j is no root cause', (input) => {
    expect(normaliseRootCause(input)).toBeNull();
  });
});

describe('defaultFingerprint', () => {
  const rootCause = 'timeout after 30000ms in run 7f3a9c21, checkout.spec.ts:42';

  it('is 32 lowercase hex characters', () => {
    expect(fingerprintOf(rootCause)).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprintOf(null)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is stable', () => {
    // Computed once and pinned, so that any change to the rules or the hash shows here as a
    // diff. Such a change regroups lessons: it must come with a bump of GROUPING_VERSION
    // (and a new value here).
    expect(GROUPING_VERSION).toBe(1);
    expect(fingerprintOf(rootCause)).toBe('1183b7a6e050dcd00ee2cf1cbcf6e525');
  });

  it('differs by lessonType and by stage (a null stage included)', () => {
    const base = fingerprintOf(rootCause);
    expect(defaultFingerprint({ ...LESSON, lessonType: 'merge_hold', rootCause })).not.toBe(base);
    expect(defaultFingerprint({ ...LESSON, stage: 'deploy', rootCause })).not.toBe(base);
    expect(defaultFingerprint({ ...LESSON, stage: null, rootCause })).not.toBe(base);
    expect(defaultFingerprint({ ...LESSON, stage: 'null', rootCause })).not.toBe(
      defaultFingerprint({ ...LESSON, stage: null, rootCause }),
    );
  });

  it('ignores the repo, work item, task and agent', () => {
    const lesson = {
      ...LESSON,
      rootCause,
      repo: 'api',
      workItemId: 'W-1',
      taskId: 't-1',
      agent: 'qa-bot',
    };
    const other = { ...lesson, repo: 'web', workItemId: 'W-2', taskId: 't-2', agent: 'dev-bot' };
    expect(defaultFingerprint(lesson)).toBe(defaultFingerprint(other));
    expect(defaultFingerprint(lesson)).toBe(fingerprintOf(rootCause));
  });

  it('treats a blank root cause as none', () => {
    expect(fingerprintOf('   ')).toBe(fingerprintOf(null));
    expect(fingerprintOf('')).toBe(fingerprintOf(null));
    expect(fingerprintOf(rootCause)).not.toBe(fingerprintOf(null));
  });
});

describe('groupingComponents', () => {
  it('lists every component, in hash order, each contributing', () => {
    expect(
      groupingComponents({ lessonType: 'gate_failure', stage: 'qa', rootCause: 'Retried 3 times' }),
    ).toEqual([
      { name: 'version', value: '1', contributes: true },
      { name: 'lessonType', value: 'gate_failure', contributes: true },
      { name: 'stage', value: 'qa', contributes: true },
      { name: 'rootCause', value: 'retried <num> times', contributes: true },
    ]);
  });

  it('marks a missing stage and a blank root cause as not contributing', () => {
    expect(
      groupingComponents({ lessonType: 'merge_hold', stage: null, rootCause: ' \n ' }),
    ).toEqual([
      { name: 'version', value: '1', contributes: true },
      { name: 'lessonType', value: 'merge_hold', contributes: true },
      { name: 'stage', value: null, contributes: false },
      { name: 'rootCause', value: null, contributes: false },
    ]);
  });
});

describe('isDefaultFingerprint', () => {
  const lesson = { ...LESSON, rootCause: 'timeout after 30000ms' };

  it('is true for the default, also of another occurrence of the same failure', () => {
    expect(isDefaultFingerprint(defaultFingerprint(lesson), lesson)).toBe(true);
    expect(
      isDefaultFingerprint(defaultFingerprint(lesson), {
        ...lesson,
        rootCause: 'Timeout after 5ms',
      }),
    ).toBe(true);
  });

  it("is false for a caller's own fingerprint or another lesson's default", () => {
    expect(isDefaultFingerprint('checkout-flake', lesson)).toBe(false);
    expect(isDefaultFingerprint(defaultFingerprint(lesson), { ...lesson, stage: 'merge' })).toBe(
      false,
    );
  });
});

// fingerprint: a lesson's default grouping key, and the account of why two lessons share one.
//
// The promise: two lessons get the same default fingerprint exactly when they have the same
// grouping version, lessonType, stage and normalised rootCause. The repo, work item, task and
// agent never take part, so one failure met in two repos, or by two agents, is one pattern.
// Normalising (after Sentry's event-message parameterisation) puts placeholders in place of
// what changes from one occurrence of a failure to the next (ids, numbers, durations, dates,
// URLs, addresses, quoted values), folds case and collapses whitespace; the words, file names
// and error codes that tell one failure from another are kept. A caller that passes its own
// fingerprint keeps it as given: this module only computes the default.
//
// Any change to what normalisation produces or what the hash covers regroups lessons, so it
// goes with a bump of GROUPING_VERSION: a fingerprint made by the old rules then never
// silently joins (or splits) a group made by the new ones.
import { createHash } from 'node:crypto';

export const GROUPING_VERSION = 1;

/** The fields the default fingerprint is made of. */
export interface GroupingFields {
  lessonType: string;
  stage: string | null;
  rootCause: string | null;
}

/** One input of the default fingerprint, as the user is shown it ("why did these group?"). */
export interface GroupingComponent {
  name: string;
  value: string | null;
  /** False for an absent part (a null stage, a blank rootCause): it is hashed as null. */
  contributes: boolean;
}

/** A letter or digit of any script: what an id or a number must not be glued to. */
const WORD = String.raw`[\p{L}\p{N}]`;
/**
 * Where a number may start: not glued to a letter or digit (so `e2e`, `utf8`, `s3` stay
 * words), nor to a dotted chain that is (so `v1.2.3` and `python3.11` stay whole).
 */
const NUMBER_START = String.raw`(?<!${WORD}|${WORD}\.)`;
const HEX_GROUP = '[0-9a-f]{1,4}';
const IPV4 = String.raw`(?:\d{1,3}\.){3}\d{1,3}`;
/** Units that are never an English word, so a space may stand between number and unit. */
const SPACED_UNITS = 'ms|μs|ns|seconds?|secs?|minutes?|mins?|hours?|hrs?';
/** Units that only count glued to the number (`3 s`, `2 m`, `5 us` are too often prose). */
const GLUED_UNITS = 'us|s|m|h';

/**
 * The rules, applied in order, each to the whole text: the most specific first, so that a
 * later, looser rule never sees the parts of a URL, e-mail, UUID, date or address (an IP is
 * numbers, a UUID is hex runs, a date is numbers). They are compiled once, at load: this
 * runs on every lesson recorded, so a record never pays for building a regex.
 */
const RULES: ReadonlyArray<readonly [pattern: RegExp, placeholder: string]> = [
  // Quoted values first: whatever is inside a quote is a value (a path, a name, a message),
  // even if it looks like anything below. A quote glued to a letter on its outer side is an
  // apostrophe (`can't`, `users' data`), not a quote. No quote spans a line, so an unmatched
  // one cannot swallow the rest of a stack trace.
  [
    rule(
      String.raw`(?<!${WORD})(?:'(?:[^'\\\r\n]|\\.)*'|"(?:[^"\\\r\n]|\\.)*"|\x60(?:[^\x60\\\r\n]|\\.)*\x60|‘[^’\r\n]*’|“[^”\r\n]*”)(?!${WORD})`,
    ),
    '<str>',
  ],
  // Any scheme (http, https, postgres, file, ...); sentence punctuation after it is not its.
  [
    rule(
      String.raw`(?<![\p{L}\p{N}+.\-])[a-z][a-z0-9+.\-]*://[^\s<>"'\x60]*[^\s<>"'\x60.,;:!?)\]}]`,
    ),
    '<url>',
  ],
  // The domain must end in a letter TLD, so `lodash@4.17.21` stays a package and a version.
  [
    rule(
      String.raw`(?<![\p{L}\p{N}._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}(?![\p{L}\p{N}\-])`,
    ),
    '<email>',
  ],
  [
    rule(`(?<!${WORD})[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?!${WORD})`),
    '<uuid>',
  ],
  // ISO 8601 date and time, `t` or a space between, optional seconds, fraction and zone.
  [
    rule(
      String.raw`(?<!${WORD})\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+\-]\d{2}(?::?\d{2})?)?(?!${WORD})`,
    ),
    '<datetime>',
  ],
  [rule(String.raw`(?<!${WORD})\d{4}-\d{2}-\d{2}(?!${WORD})`), '<date>'],
  // A time of day needs its seconds: `12:30` may as well be a line and a column.
  [
    rule(String.raw`(?<![\p{L}\p{N}:.])\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?z?(?![\p{L}\p{N}:])`),
    '<time>',
  ],
  // IPv6, full or compressed (`::1`, `fe80::1ff:fe23:4567:890a`, `::ffff:192.0.2.1`). It must
  // hold a digit, so that `Foo::Bar`-style paths made of hex letters are never addresses.
  [
    rule(
      String.raw`(?<![\p{L}\p{N}:.])(?=[0-9a-f:.]*\d)(?:(?:${HEX_GROUP}:){7}${HEX_GROUP}|(?:${HEX_GROUP}:){6}${IPV4}|(?:${HEX_GROUP}(?::${HEX_GROUP}){0,6})?::(?:(?:${HEX_GROUP}:){0,6}(?:${IPV4}|${HEX_GROUP}))?)(?![\p{L}\p{N}:]|\.\d)`,
    ),
    '<ip>',
  ],
  [rule(String.raw`(?<![\p{L}\p{N}.])${IPV4}(?!${WORD}|\.\d)`), '<ip>'],
  // A hex id: 0x-prefixed, or a run of 7+ hex characters holding both a digit and a letter.
  // Both are required so that words made of a-f (`deadbeef`, `defaced`, `faceted`) stay
  // words; a run of digits alone is a number (next rules).
  [
    rule(
      String.raw`(?<!${WORD})(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,})(?!${WORD})`,
    ),
    '<hex>',
  ],
  // Before numbers, so that `30000ms` is one duration and not a number glued to `ms`.
  // Compound durations (`1m30s`, `1h2m3s`) are one duration.
  [
    rule(
      String.raw`${NUMBER_START}(?:\d+(?:\.\d+)?(?: ?(?:${SPACED_UNITS})|${GLUED_UNITS}))+(?!${WORD})`,
    ),
    '<duration>',
  ],
  // A source position: `:42` and `:42:7` are both one line number, so a reporter that prints
  // the column groups with one that does not. Also covers ports (`host:5432`).
  [rule(String.raw`:\d+(?::\d+)?(?!${WORD})`), ':<num>'],
  // Any other number (integer, decimal, negative, exponent) not glued to a letter: `run 42`,
  // `attempt#3`, `W-123`, `HTTP 503`. A minus glued to a word is a dash (`w-<num>`), not a sign.
  [rule(String.raw`${NUMBER_START}-?\d+(?:\.\d+)*(?:e[+\-]?\d+)?(?!${WORD})`), '<num>'],
];

const WHITESPACE = /\s+/gu;

function rule(source: string): RegExp {
  return new RegExp(source, 'gu');
}

/**
 * The rootCause as it is grouped: placeholders for the parts that vary between occurrences,
 * case folded, whitespace collapsed. Null for a missing or blank root cause.
 */
export function normaliseRootCause(text: string | null | undefined): string | null {
  if (text == null) return null;
  // NFKC first so that look-alike forms (full-width digits, the micro sign, ligatures) are
  // the same text; lowercase before the rules, which are written for lowercase only.
  let out = text.normalize('NFKC').toLowerCase();
  for (const [pattern, placeholder] of RULES) out = out.replace(pattern, placeholder);
  out = out.replace(WHITESPACE, ' ').trim();
  return out === '' ? null : out;
}

/** The default fingerprint: 32 lowercase hex characters (128 bits of a SHA-256). */
export function defaultFingerprint(lesson: GroupingFields): string {
  // A JSON array keeps the parts apart without a separator that a part could contain, and
  // keeps a null stage distinct from a stage named "null".
  const parts = [
    GROUPING_VERSION,
    lesson.lessonType,
    lesson.stage,
    normaliseRootCause(lesson.rootCause),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** What the default fingerprint is made of, in hash order: the answer to "why did these group?". */
export function groupingComponents(lesson: GroupingFields): GroupingComponent[] {
  const rootCause = normaliseRootCause(lesson.rootCause);
  return [
    { name: 'version', value: String(GROUPING_VERSION), contributes: true },
    { name: 'lessonType', value: lesson.lessonType, contributes: true },
    { name: 'stage', value: lesson.stage, contributes: lesson.stage !== null },
    { name: 'rootCause', value: rootCause, contributes: rootCause !== null },
  ];
}

/** Whether a stored fingerprint is the default one (not a caller's own) for these fields. */
export function isDefaultFingerprint(fingerprint: string, lesson: GroupingFields): boolean {
  return fingerprint === defaultFingerprint(lesson);
}

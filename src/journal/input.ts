// Input that is too big or odd never loses a lesson: it is kept in a form every backend
// stores the same way.
//
// - Text: NUL characters and unpaired UTF-16 surrogates become U+FFFD (PostgreSQL can
//   store neither; SQLite would mangle the surrogates), on every backend alike. Emoji and
//   right-to-left text are kept as they are. A text longer than the cap (in UTF-16 code
//   units, as JavaScript counts) is cut, without splitting a surrogate pair, and ends with
//   a visible marker saying how much was cut; the result is exactly as long as the cap.
// - detail: any JSON value, cleaned the same way (keys too; `__proto__` stays an ordinary
//   key). One larger than the byte cap, or nested deeper than MAX_DETAIL_DEPTH, is replaced
//   by a marker object that records why, its original size and a short preview.

import { TEXT_INPUTS } from './fields.ts';

const MAX_DETAIL_DEPTH = 64;
const PREVIEW_CHARS = 512;
const REPLACEMENT = '\uFFFD';

/** Text with NULs and unpaired surrogates replaced by U+FFFD. */
export function cleanText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', REPLACEMENT);
}

function truncationMarker(cutChars: number): string {
  return ` …[truncated ${cutChars} chars]`;
}

/**
 * `text` cleaned and, when longer than `max` code units, cut so that text plus marker is
 * at most `max` long (for any cap longer than the marker itself).
 */
export function capText(text: string, max: number): { text: string; truncated: boolean } {
  const clean = cleanText(text);
  if (clean.length <= max) return { text: clean, truncated: false };
  const total = (keep: number) => keep + truncationMarker(clean.length - keep).length;
  let keep = Math.max(0, max - truncationMarker(clean.length - max).length);
  while (keep > 0 && total(keep) > max) keep -= 1;
  const last = clean.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep -= 1; // don't split a pair
  return { text: clean.slice(0, keep) + truncationMarker(clean.length - keep), truncated: true };
}

export interface DetailMarker {
  _truncated: true;
  reason: 'too_large' | 'too_deep';
  originalBytes: number;
  preview: string;
}

class TooDeep extends Error {}

function cleanJson(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') {
    // JSON has no undefined, functions or non-finite numbers; store what JSON would.
    return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  }
  if (depth >= MAX_DETAIL_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // defineProperty, not assignment: a "__proto__" key must stay data, not a prototype.
    Object.defineProperty(out, cleanText(key), {
      value: cleanJson(item, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function markerFor(detail: unknown, reason: DetailMarker['reason']): string {
  let json = '';
  try {
    json = JSON.stringify(detail) ?? '';
  } catch {
    // Too deep even to serialise: size unknown.
  }
  const marker: DetailMarker = {
    _truncated: true,
    reason,
    originalBytes: json ? Buffer.byteLength(json, 'utf8') : -1,
    preview: cleanText(json.slice(0, PREVIEW_CHARS)),
  };
  return JSON.stringify(marker);
}

/**
 * The JSON text to store for `detail` (null for none), and whether it was replaced by a
 * marker. Never throws.
 */
export function capDetail(
  detail: unknown,
  maxBytes: number,
): { json: string | null; truncated: boolean } {
  if (detail === undefined || detail === null) return { json: null, truncated: false };
  let json: string;
  try {
    json = JSON.stringify(cleanJson(detail, 0));
  } catch {
    return { json: markerFor(detail, 'too_deep'), truncated: true };
  }
  if (Buffer.byteLength(json, 'utf8') <= maxBytes) return { json, truncated: false };
  return { json: markerFor(detail, 'too_large'), truncated: true };
}

export type TextField = (typeof TEXT_INPUTS)[number];

/** Caps every given text field of `input` and its `detail`; reports each field it cut. */
export function capFields<T extends Partial<Record<TextField, string | null>>>(
  input: T,
  limits: { maxTextLength: number },
  onTruncated: (field: string) => void,
): T {
  const out: Record<string, unknown> = { ...input };
  for (const field of TEXT_INPUTS) {
    const value = input[field];
    if (typeof value !== 'string') continue;
    const capped = capText(value, limits.maxTextLength);
    if (capped.truncated) onTruncated(field);
    out[field] = capped.text;
  }
  return out as T;
}

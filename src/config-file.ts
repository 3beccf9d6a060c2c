// The service's configuration files (LESSONS_TOKENS_FILE, LESSONS_SETTINGS_FILE), which may
// hold secrets.
//
// Promise: an error about one never contains any of its text. A syntax error names the
// line and column of the fault, computed here from the text: JSON.parse's own message
// quotes the text around the fault (a piece of a token), and its wording differs between
// Node versions, so it is never passed on. And a file that holds secrets is checked for
// being open to group or others.
import { statSync } from 'node:fs';

/**
 * `text` parsed as JSON. Throws a SyntaxError of its own whose message holds the position
 * and nothing of the text (and no `cause`, which would carry JSON.parse's message).
 */
export function parseConfigJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const offset = faultOffset(text);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    throw new SyntaxError(`not valid JSON at line ${line}, column ${column}`);
  }
}

/** A warning when `file`, which holds secrets, is open to group or others (mode & 0o077). */
export function exposedFileWarning(what: string, file: string): string | undefined {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  return (
    `${what} ${file} is readable or writable by group or others (mode 0${mode.toString(8).padStart(3, '0')}); ` +
    `restrict it with chmod 600 ${file}`
  );
}

const WHITESPACE = /[ \t\n\r]*/y;
/** A string up to its closing quote, or up to the character that breaks it: anything but a
 * quote, a backslash or a control character (below U+0020), or an escape. */
const STRING_BODY =
  /"(?:[\u0020\u0021\u0023-\u005b\u005d-\uffff]+|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;
const DIGITS = /[0-9]+/y;
const HEX4_PREFIX = /u[0-9a-fA-F]{0,3}/y;
const LITERALS: Record<string, string> = { t: 'true', f: 'false', n: 'null' };

/**
 * Where `text` stops being JSON (its length when it ends too early), for a text that
 * JSON.parse rejected. Written by hand because no dependency of the service reports a
 * JSON fault's position without its message (`json-parse-even-better-errors`, which npm
 * uses, parses V8's wording). Iterative, so deep nesting can't overflow the stack.
 */
function faultOffset(text: string): number {
  let at = 0;
  const take = (pattern: RegExp): boolean => {
    pattern.lastIndex = at;
    const match = pattern.exec(text);
    if (match) at += match[0].length;
    return Boolean(match?.[0]);
  };
  const string = (): boolean => {
    take(STRING_BODY);
    if (text[at] === '"') {
      at += 1;
      return true;
    }
    if (text[at] === '\\') {
      // A bad escape: the fault is the character after the backslash, or after `\u` the
      // first one that is not a hex digit.
      at += 1;
      if (text[at] === 'u') take(HEX4_PREFIX);
    }
    return false;
  };
  const literal = (word: string): boolean => {
    for (const char of word) {
      if (text[at] !== char) return false;
      at += 1;
    }
    return true;
  };
  const number = (): boolean => {
    if (text[at] === '-') at += 1;
    if (text[at] === '0') at += 1;
    else if (!take(DIGITS)) return false;
    if (text[at] === '.') {
      at += 1;
      if (!take(DIGITS)) return false;
    }
    if (text[at] === 'e' || text[at] === 'E') {
      at += 1;
      if (text[at] === '+' || text[at] === '-') at += 1;
      if (!take(DIGITS)) return false;
    }
    return true;
  };
  /** A string, literal or number; false at the first character that breaks it. */
  const scalar = (): boolean => {
    const first = text[at] ?? '';
    if (first === '"') return string();
    const word = LITERALS[first];
    return word ? literal(word) : number();
  };
  /** A key, its colon and the whitespace after it; false at the fault. */
  const key = (): boolean => {
    if (text[at] !== '"' || !string()) return false;
    take(WHITESPACE);
    if (text[at] !== ':') return false;
    at += 1;
    take(WHITESPACE);
    return true;
  };

  const closers: string[] = [];
  take(WHITESPACE);
  for (;;) {
    // A value starts at `at`.
    const open = text[at];
    if (open === '{' || open === '[') {
      at += 1;
      take(WHITESPACE);
      const closer = open === '{' ? '}' : ']';
      if (text[at] !== closer) {
        closers.push(closer);
        if (closer === '}' && !key()) return at;
        continue;
      }
      at += 1;
    } else if (!scalar()) {
      return at;
    }
    // A value ended: a comma and the next value, or the end of its container.
    for (;;) {
      take(WHITESPACE);
      const closer = closers.at(-1);
      if (closer === undefined) return at; // text after the document
      if (text[at] === closer) {
        closers.pop();
        at += 1;
        continue;
      }
      if (text[at] !== ',') return at;
      at += 1;
      take(WHITESPACE);
      if (closer === '}' && !key()) return at;
      break;
    }
  }
}

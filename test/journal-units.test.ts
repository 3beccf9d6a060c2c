// Unit tests of the pure parts: text and detail caps, fault reasons (the guard's and each
// backend's).
import fc from 'fast-check';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { errorChain } from '../src/db/faults.ts';
import { DatabaseFault } from '../src/db/port.ts';
import { postgresReason } from '../src/db/postgres/faults.ts';
import { sqliteFault, sqliteReason } from '../src/db/sqlite/faults.ts';
import { DatabaseOwnedElsewhere } from '../src/db/sqlite/open.ts';
import { OperationTimeout } from '../src/deadline.ts';
import { faultReason } from '../src/journal/guard.ts';
import { capDetail, capText, cleanText } from '../src/journal/input.ts';

describe('capText', () => {
  test('short text is kept as it is', () => {
    expect(capText('hello', 10)).toEqual({ text: 'hello', truncated: false });
    expect(capText('0123456789', 10)).toEqual({ text: '0123456789', truncated: false });
  });

  test('long text ends with the marker and is exactly as long as the cap', () => {
    expect(capText('a'.repeat(100), 40)).toEqual({
      text: `${'a'.repeat(18)} …[truncated 82 chars]`,
      truncated: true,
    });
  });

  test('property: never longer than the cap (caps above the marker), always well-formed, a prefix kept', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.integer({ min: 30, max: 200 }),
        (text, max) => {
          const { text: out, truncated } = capText(text, max);
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out.isWellFormed()).toBe(true);
          expect(truncated).toBe(cleanText(text).length > max);
          if (truncated) {
            const kept = out.replace(/ …\[truncated \d+ chars\]$/, '');
            expect(cleanText(text).startsWith(kept)).toBe(true);
          } else {
            expect(out).toBe(cleanText(text));
          }
        },
      ),
    );
  });
});

describe('cleanText', () => {
  test('NUL and unpaired surrogates become U+FFFD; pairs, RTL and emoji stay', () => {
    expect(cleanText('a\u0000b\udc00c\ud83d')).toBe('a\uFFFDb\uFFFDc\uFFFD');
    expect(cleanText('שלום 👩‍💻 مرحبا')).toBe('שלום 👩‍💻 مرحبا');
  });
});

describe('capDetail', () => {
  test('none stays none; small JSON is kept', () => {
    expect(capDetail(undefined, 100)).toEqual({ json: null, truncated: false });
    expect(capDetail(null, 100)).toEqual({ json: null, truncated: false });
    expect(capDetail([1, 'two', { three: 3 }], 100)).toEqual({
      json: '[1,"two",{"three":3}]',
      truncated: false,
    });
  });

  test('the byte cap counts UTF-8 bytes', () => {
    const detail = { s: 'é'.repeat(10) }; // 8 + 20 bytes of JSON
    expect(capDetail(detail, 28).truncated).toBe(false);
    const over = JSON.parse(capDetail(detail, 27).json as string);
    expect(over).toMatchObject({ _truncated: true, reason: 'too_large', originalBytes: 28 });
  });
});

describe('fault reasons', () => {
  test.each([
    [new OperationTimeout(5), 'timeout'],
    [new DatabaseFault('disk_full', 'x'), 'disk_full'],
    [new TypeError('undefined is not a function'), 'internal'],
    ['a string', 'internal'],
  ])('the guard: %o -> %s', (error, reason) => {
    expect(faultReason(error)).toBe(reason);
  });

  test.each([
    [Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' }), 'db_unavailable'],
    [Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'disk_full'],
    [{ message: 'wrapped', cause: { kind: 'sqlite', originalCode: 'SQLITE_FULL' } }, 'disk_full'],
    [
      {
        message: 'wrapped',
        meta: { driverAdapterError: { cause: { kind: 'TableDoesNotExist' } } },
      },
      'table_missing',
    ],
    [{ message: 'x', cause: { originalCode: 'SQLITE_READONLY_DBMOVED' } }, 'read_only'],
    [Object.assign(new Error('no such table: lessons'), { code: 'SQLITE_ERROR' }), 'table_missing'],
    [new TypeError('undefined is not a function'), 'internal'],
  ])('SQLite: %o -> %s', (error, reason) => {
    expect(sqliteReason(errorChain(error))).toBe(reason);
  });

  test('SQLite: a file owned by another process is db_in_use, kept as the error it is', () => {
    const owned = new DatabaseOwnedElsewhere('/tmp/x.db');
    expect(sqliteFault(owned)).toBe(owned);
    expect(faultReason(sqliteFault(owned))).toBe('db_in_use');
  });

  test.each([
    [{ message: 'x', cause: { kind: 'DatabaseNotReachable' } }, 'db_unreachable'],
    [{ message: 'x', code: 'P2010' }, 'database'],
    [
      { message: 'x', cause: { kind: 'postgres', code: '25006', originalCode: '25006' } },
      'read_only',
    ],
    [{ message: 'x', cause: { kind: 'postgres', originalCode: '53100' } }, 'disk_full'],
    [{ message: 'x', cause: { kind: 'postgres', originalCode: '57014' } }, 'timeout'],
    [{ message: 'x', cause: { kind: 'postgres', originalCode: '55P03' } }, 'busy'],
    [{ message: 'x', cause: { kind: 'postgres', originalCode: '08006' } }, 'db_unreachable'],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'db_unreachable',
    ],
    [new Error("Can't reach database server at `127.0.0.1:1`"), 'db_unreachable'],
    [new Error('timeout exceeded when trying to connect'), 'db_unreachable'],
    // pg's own errors (the PostgreSQL backend runs on the raw driver).
    [
      Object.assign(new pg.DatabaseError('x', 0, 'error'), { code: '57014', severity: 'ERROR' }),
      'timeout',
    ],
    [
      Object.assign(new pg.DatabaseError('x', 0, 'error'), { code: '23505', severity: 'ERROR' }),
      'database',
    ],
    [new Error('Query read timeout'), 'timeout'],
    [new Error('Connection terminated unexpectedly'), 'db_unreachable'],
    [new TypeError('undefined is not a function'), 'internal'],
  ])('PostgreSQL: %o -> %s', (error, reason) => {
    expect(postgresReason(errorChain(error))).toBe(reason);
  });
});

// The SQLite group commit: writes that arrive together share one transaction and one
// fsync, each in a savepoint of its own; a caller is answered after the commit.
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import { createGroupCommit } from '../src/db/group-commit.ts';
import { Prisma } from '../src/generated/prisma/client.ts';

function database() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, at INTEGER)');
  return db;
}

describe('group commit', () => {
  test('concurrent writes share one transaction and see each other in order', async () => {
    const db = database();
    const gc = createGroupCommit(db);
    let transactions = 0;
    const original = db.transaction.bind(db);
    db.transaction = ((fn: (...args: unknown[]) => unknown) => {
      const wrapped = original(fn);
      return Object.assign((...args: unknown[]) => {
        if (!db.inTransaction) transactions += 1;
        return wrapped(...args);
      }, wrapped);
    }) as typeof db.transaction;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gc.write((tx) => {
          tx.run(Prisma.sql`INSERT INTO t (v, at) VALUES (${`v${i}`}, ${new Date(1000 + i)})`);
          return tx.all<{ n: number }>(Prisma.sql`SELECT COUNT(*) AS n FROM t`)[0]?.n;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(transactions).toBe(1);
    expect(db.prepare('SELECT at FROM t WHERE v = ?').get('v3')).toEqual({ at: 1003 });
  });

  test('a failing write rolls back alone; the others of its batch commit', async () => {
    const db = database();
    const gc = createGroupCommit(db);
    const insert = (v: string, alsoFail = false) =>
      gc.write((tx) => {
        tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${v})`);
        if (alsoFail) tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'a'})`); // UNIQUE violation
        return v;
      });
    const outcomes = await Promise.allSettled([insert('a'), insert('b', true), insert('c')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(
      /UNIQUE constraint failed/,
    );
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 'a' }, { v: 'c' }]);
  });

  test('writes a read-only database refuses all fail, and the next batch works', async () => {
    const db = database();
    const gc = createGroupCommit(db);
    db.pragma('query_only = 1');
    const outcomes = await Promise.allSettled(
      ['x', 'y'].map((v) => gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${v})`))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    db.pragma('query_only = 0');
    await gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'z'})`));
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 'z' }]);
  });
});

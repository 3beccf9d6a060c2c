// The SQLite group commit: writes that arrive together share one transaction and one
// fsync, each in a savepoint of its own; a caller is answered after the commit.
import Database from 'better-sqlite3';
import { describe, expect, test } from 'vitest';
import type { Sql } from '../src/db/port.ts';
import { createGroupCommit } from '../src/db/sqlite/group-commit.ts';
import { Prisma } from '../src/generated/prisma/client.ts';

function groupCommitOn(db: Database.Database) {
  const bind = (sql: Sql) => sql.values.map((v) => (v instanceof Date ? v.getTime() : v));
  return createGroupCommit(db, (sql) => db.prepare(sql.sql), bind);
}

function database() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, at INTEGER)');
  return { db, gc: groupCommitOn(db) };
}

describe('group commit', () => {
  test('concurrent writes share one transaction and see each other in order', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, at INTEGER)');
    let transactions = 0;
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const statement = prepare(sql);
      if (sql !== 'BEGIN') return statement;
      // Counts each BEGIN run: one per transaction the group commit opens.
      return new Proxy(statement, {
        get: (target, key) =>
          key === 'run'
            ? () => {
                transactions += 1;
                return target.run();
              }
            : Reflect.get(target, key),
      });
    }) as typeof db.prepare;
    const gc = groupCommitOn(db);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gc.write(async (tx) => {
          await tx.run(
            Prisma.sql`INSERT INTO t (v, at) VALUES (${`v${i}`}, ${new Date(1000 + i)})`,
          );
          return (await tx.all(Prisma.sql`SELECT COUNT(*) AS n FROM t`))[0]?.n;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(transactions).toBe(1);
    expect(db.prepare('SELECT at FROM t WHERE v = ?').get('v3')).toEqual({ at: 1003 });
  });

  test('a failing write rolls back alone; the others of its batch commit', async () => {
    const { db, gc } = database();
    const insert = (v: string, alsoFail = false) =>
      gc.write(async (tx) => {
        await tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${v})`);
        if (alsoFail) await tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'a'})`); // UNIQUE violation
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
    const { db, gc } = database();
    db.pragma('query_only = 1');
    const outcomes = await Promise.allSettled(
      ['x', 'y'].map((v) => gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${v})`))),
    );
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    db.pragma('query_only = 0');
    await gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'z'})`));
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 'z' }]);
  });

  test('a write whose caller stopped waiting before its batch is not run', async () => {
    const { db, gc } = database();
    const gone = new AbortController();
    gone.abort(new Error('gone'));
    const outcomes = await Promise.allSettled([
      gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'late'})`), gone.signal),
      gc.write((tx) => tx.run(Prisma.sql`INSERT INTO t (v) VALUES (${'kept'})`)),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 'kept' }]);
  });
});

// DATABASE_URL -> which backend, and where.
import { resolve } from 'node:path';

export type DatabaseLocation =
  | { provider: 'sqlite'; path: string }
  | { provider: 'postgresql'; url: string };

/**
 * `file:<path>` is an SQLite file (a relative path is relative to the working directory);
 * `postgresql://` or `postgres://` is PostgreSQL. Throws on anything else: a wrong URL is a
 * configuration error to fix, not a runtime fault to absorb.
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/\?.*$/, '');
    if (path === '') throw new Error('DATABASE_URL "file:" names no file');
    if (path === ':memory:') {
      throw new Error('DATABASE_URL "file::memory:" would lose every lesson at exit; name a file');
    }
    return { provider: 'sqlite', path: resolve(path) };
  }
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))}`,
  );
}

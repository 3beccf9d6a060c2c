// The journal's SQLite file on disk, as the backend guards it.
//
// Promise: a file that fails its integrity check is reported before anything writes into
// it; a connection notices when the file it writes through (or its -wal or -shm) was
// deleted or replaced; and neither a write-ahead log left beside a missing file nor the
// log and shared memory of a lost file is ever replayed into another database.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { DatabaseFault } from '../port.ts';
import { sqliteFault } from './faults.ts';
import type { SqliteReader } from './reader.ts';

/**
 * A write-ahead log left beside a database file that is gone belongs to that deleted
 * database; replayed into a new file it would resurrect pages of another database, so it
 * is moved aside (kept, for forensics). Only found at an open: a file lost while the
 * journal runs leaves nothing behind (`watchFiles`).
 */
export function setAsideOrphanedWal(path: string): string | undefined {
  const wal = `${path}-wal`;
  if (existsSync(path) || !existsSync(wal)) return undefined;
  const aside = `${wal}.orphaned-${Date.now()}`;
  renameSync(wal, aside);
  return aside;
}

/**
 * Why the existing file at `path` is corrupt, or undefined when it is sound or new, by
 * `PRAGMA quick_check` on the reader thread. quick_check reads every page once: corruption
 * can be in any page, so nothing cheaper finds it. At 1,000,000 lessons (a 912 MB file) it
 * took 3 to 4 s here, and the open 2 to 5 s instead of 0.2 to 0.5 s (a busy 2-core
 * machine); on the reader thread, the event loop is not held meanwhile. `integrity_check`,
 * which also compares every index with its table, took 100 s.
 */
export async function corruption(
  path: string,
  reader: SqliteReader,
): Promise<DatabaseFault | undefined> {
  if (!existsSync(path)) return undefined;
  try {
    const found = (await reader.all('PRAGMA quick_check(3)', [])).map((row) =>
      String(Object.values(row)[0]),
    );
    if (found.length === 1 && found[0] === 'ok') return undefined;
    return new DatabaseFault(
      'corrupt',
      `the database file ${path} is corrupt: ${found.join('; ').replaceAll('\n', ' ')}`,
    );
  } catch (error) {
    // Damage the check could not even read past (the header, the schema) is corruption too.
    const fault = sqliteFault(error);
    if (fault instanceof DatabaseFault && fault.reason === 'corrupt') return fault;
    throw fault;
  }
}

/** The files a live connection writes through: the database, its log, its shared memory. */
const FILES = ['', '-wal', '-shm'] as const;

/** A file's identity (device and inode), or `missing`. */
export function fileIdentity(path: string): string {
  try {
    const { dev, ino } = statSync(path);
    return `${dev}:${ino}`;
  } catch {
    return 'missing';
  }
}

export interface FileWatch {
  /**
   * True once one of the files the connection opened was deleted or replaced (all three
   * looked at; once true, always true). The group commit asks before and after each batch.
   */
  lost(): boolean;
  /**
   * What the handle asks before each operation, cheaper: a loss `lost` saw, or the
   * database file itself gone or replaced (one stat, not three: this runs for every
   * operation). A log or shared memory replaced alone is seen by the next write's `lost`,
   * which fails that write, and the operation after it reopens.
   */
  seenLost(): boolean;
  /**
   * After the connection closed: SQLite does not checkpoint into a database file deleted or
   * replaced under it, and leaves that connection's log and shared memory behind, by name.
   * They belong to the lost file, and replayed into whatever is at the path now (a new
   * journal, a restored copy) would corrupt it; those still the connection's own are
   * removed.
   */
  removeLeftovers(): void;
}

/**
 * Identifies the files (device and inode) as a connection has them open. `database` is
 * the database file's identity taken earlier (`fileIdentity`), so that a file replaced while
 * the connection was opening counts as lost too.
 */
export function watchFiles(path: string, database: string): FileWatch {
  const now = () => FILES.map((suffix) => fileIdentity(`${path}${suffix}`));
  const opened = [database, ...now().slice(1)];
  let found = false;
  const lost = () => {
    found ||= now().some((id, i) => id !== opened[i]);
    return found;
  };
  return {
    lost,
    seenLost: () => found || fileIdentity(path) !== database,
    removeLeftovers() {
      if (!lost()) return;
      FILES.forEach((suffix, i) => {
        if (suffix !== '' && fileIdentity(`${path}${suffix}`) === opened[i])
          rmSync(`${path}${suffix}`, { force: true });
      });
    },
  };
}

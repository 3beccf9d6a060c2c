// What the journal gets from the database layer: a Prisma client on an open, migrated
// database, and the provider, for the few statements whose SQL differs between backends.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { WriteJob } from './group-commit.ts';

export type Provider = 'sqlite' | 'postgresql';

export interface OpenDatabase {
  provider: Provider;
  prisma: PrismaClient;
  close(): Promise<void>;
  /** SQLite: true once the file this connection writes to was deleted or replaced. */
  lost?(): boolean;
  /**
   * SQLite: runs a write in the group commit (db/group-commit.ts): answered once durable.
   * Absent where the database takes concurrent writes itself (PostgreSQL).
   */
  write?<T>(job: WriteJob<T>): Promise<T>;
  /**
   * PostgreSQL: runs statements as one transaction on the raw driver (db/postgres-write.ts),
   * returning each one's rows (columns under their SQL names, timestamps as Dates).
   */
  writeRaw?(statements: Prisma.Sql[]): Promise<Record<string, unknown>[][]>;
  /**
   * SQLite: runs a read that may take long on a reader thread (db/sqlite-reader.ts), so
   * it never stalls the event loop; rows come as the driver gives them; skipped if still
   * queued at `expiresAt` (epoch ms). Absent where the driver is asynchronous (PostgreSQL).
   */
  readOffThread?<R = Record<string, unknown>>(sql: Prisma.Sql, expiresAt?: number): Promise<R[]>;
}

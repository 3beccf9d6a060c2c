// A driver adapter that forwards every call to another one, with some methods replaced:
// the migrations need a few changed (a dispose that leaves a borrowed connection open, a
// script run whole), and a wrapper object does that without patching the adapter itself.
import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';

export function delegate(
  adapter: SqlDriverAdapter,
  overrides: Partial<SqlDriverAdapter>,
): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query) => adapter.queryRaw(query),
    executeRaw: (query) => adapter.executeRaw(query),
    executeScript: (script) => adapter.executeScript(script),
    startTransaction: (level) => adapter.startTransaction(level),
    getConnectionInfo: adapter.getConnectionInfo?.bind(adapter),
    dispose: () => adapter.dispose(),
    ...overrides,
  };
}

// The reader thread of the embedded SQLite journal (see reader.ts): a read-only
// connection of its own that runs the reads that can take long (aggregates, counts, text
// searches), so that better-sqlite3, which is synchronous, never holds the service's event
// loop for their duration. Plain JavaScript: it runs in a worker thread, where neither tsx
// nor vitest transforms TypeScript.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { readonly: true, timeout: workerData.busyTimeoutMs });
// Unicode case folding for the `text` filter (SQLite's own lower() folds ASCII only); the
// text searches run here, so only this connection needs it.
db.function('lessons_fold', { deterministic: true }, (text) =>
  typeof text === 'string' ? text.toLowerCase() : text,
);

const statements = new Map();
/** Set by the main thread for a read whose caller has stopped waiting (see reader.ts). */
const flags = workerData.flags;

parentPort.on('message', ({ id, slot, sql, values, close }) => {
  if (close) {
    // Asked to stop: between two queries, never in the middle of one (a thread terminated
    // inside better-sqlite3 aborts the whole process).
    db.close();
    parentPort.close();
    return;
  }
  if (Atomics.load(flags, slot) === 1) {
    // Its caller has been answered already: running it would only delay the next reads.
    parentPort.postMessage({ id, error: { message: 'abandoned', code: 'ABANDONED' } });
    return;
  }
  try {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= 64) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    parentPort.postMessage({ id, rows: statement.all(...values) });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  }
});

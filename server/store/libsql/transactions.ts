import type { Db } from './database.js';

/**
 * Write transactions, with group commit for the hot write paths.
 *
 * A commit costs more than the inserts before it (it appends the changed pages to the
 * WAL). `batchedWrite` lets the writes of concurrent requests share one transaction:
 * the first opens it, each runs inside its own savepoint (a failing one is rolled back
 * alone), and one COMMIT at the end of the event-loop turn makes them all durable. The
 * promise resolves only after that commit, so a request answers only what is stored.
 * Writes made through `inTransaction` while a batch is open join it as savepoints.
 *
 * @example
 * const status = await batchedWrite(db, () => insertMessage(db, body)); // after COMMIT
 * inTransaction(db, () => { db.prepare(…).run(); db.prepare(…).run(); });
 */
interface Batch {
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

const openBatches = new WeakMap<Db, Batch>();

/** Runs `work` atomically now; durable at return unless a batch is open (then at its commit). */
export function inTransaction<T>(db: Db, work: () => T): T {
  if (openBatches.has(db)) return inSavepoint(db, work);
  takeWriteLock(db);
  try {
    const result = work();
    db.prepare('COMMIT').run();
    return result;
  } catch (error) {
    db.prepare('ROLLBACK').run();
    throw error;
  }
}

/** Runs `work` atomically now, in the current event-loop turn's shared transaction; resolves after it commits. */
export function batchedWrite<T>(db: Db, work: () => T): Promise<T> {
  let batch = openBatches.get(db);
  if (!batch) {
    takeWriteLock(db);
    const opened: Batch = { waiters: [] };
    openBatches.set(db, opened);
    setImmediate(() => commit(db, opened));
    batch = opened;
  }
  let result: T;
  try {
    result = inSavepoint(db, work);
  } catch (error) {
    return Promise.reject(error);
  }
  const waiters = batch.waiters;
  return new Promise<T>((resolve, reject) => waiters.push({ resolve: () => resolve(result), reject }));
}

/** Commits the open batch now (before closing the database). */
export function flushWrites(db: Db): void {
  const batch = openBatches.get(db);
  if (batch) commit(db, batch);
}

function commit(db: Db, batch: Batch): void {
  if (openBatches.get(db) !== batch) return;
  openBatches.delete(db);
  try {
    db.prepare('COMMIT').run();
  } catch (error) {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    for (const waiter of batch.waiters) waiter.reject(error);
    return;
  }
  for (const waiter of batch.waiters) waiter.resolve();
}

/**
 * BEGIN IMMEDIATE: waits (busy_timeout, blocking this process) while another process
 * holds SQLite's one write lock. With several workers under load SQLite also answers
 * SQLITE_BUSY at once, without waiting (seen when another process had just committed);
 * a failed BEGIN leaves nothing open, so it is tried again a few times. A function of
 * its own so that a CPU profile shows the wait by name (bench/lock-wait.ts sums it).
 */
function takeWriteLock(db: Db): void {
  for (let attempt = 1; ; attempt++) {
    try {
      db.prepare('BEGIN IMMEDIATE').run();
      return;
    } catch (error) {
      if (attempt >= 5 || (error as { code?: unknown }).code !== 'SQLITE_BUSY' || db.inTransaction) throw error;
    }
  }
}

function inSavepoint<T>(db: Db, work: () => T): T {
  db.prepare('SAVEPOINT write').run();
  try {
    const result = work();
    db.prepare('RELEASE write').run();
    return result;
  } catch (error) {
    db.prepare('ROLLBACK TO write').run();
    db.prepare('RELEASE write').run();
    throw error;
  }
}

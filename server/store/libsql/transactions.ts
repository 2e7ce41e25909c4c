import type { Db } from './database.js';

/**
 * Write transactions, with group commit, and SQLite's one write lock taken without
 * blocking the process.
 *
 * SQLite lets one connection of all the processes on a file write at a time. A plain
 * `BEGIN IMMEDIATE` waits for that lock in SQLite's busy handler, which sleeps (1, 2, 5,
 * 10 … ms) with the whole event loop stopped: with several workers, each stood still for
 * a fifth of its time while the other committed in a fraction of a millisecond.
 *
 * So every write goes through a queue per connection. The writes asked for in one turn
 * of the event loop run together at its end: one `BEGIN IMMEDIATE` that does not wait
 * (busy_timeout 0), each write in its own savepoint (a failing one is rolled back alone),
 * and one COMMIT. When another process holds the lock, the queue tries again a moment
 * later while the event loop goes on serving; the writes that arrive meanwhile join the
 * batch. The lock is held only while the batch runs, never across other work. A promise
 * resolves after its COMMIT, so a request answers only what is stored.
 *
 * @example
 * const status = await inTransaction(db, () => insertMessage(db, body)); // after COMMIT
 * await inTransaction(db, () => { db.prepare(…).run(); db.prepare(…).run(); });
 */
interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Queue {
  pending: Pending[];
  scheduled: boolean;
  /** Tries since the lock was last taken, and when the first of them was made. */
  tries: number;
  waitingSince: number;
}

/** How long writes wait for another process's lock before they fail with SQLITE_BUSY. */
export const writeLockWaitMs = 5000;
/** The connection's busy_timeout for the statements outside this queue (openDatabase sets it). */
export const busyTimeoutMs = 5000;
/** Tries made at once (next turn of the event loop) before the queue waits a millisecond between them. */
const quickTries = 8;

const queues = new WeakMap<Db, Queue>();

/** Runs `work` atomically, in this turn's shared transaction; resolves with its result after the COMMIT. */
export function inTransaction<T>(db: Db, work: () => T): Promise<T> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { pending: [], scheduled: false, tries: 0, waitingSince: 0 };
    queues.set(db, queue);
  }
  const entered = queue;
  return new Promise<T>((resolve, reject) => {
    entered.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
    if (!entered.scheduled) schedule(db, entered, setImmediate);
  });
}

/** Commits what is queued now, waiting for the lock if it must (before closing the database). */
export function flushWrites(db: Db): void {
  const queue = queues.get(db);
  if (!queue || queue.pending.length === 0) return;
  db.prepare('BEGIN IMMEDIATE').run(); // the connection's busy_timeout: this is the last thing it does
  runBatch(db, queue);
}

function schedule(db: Db, queue: Queue, later: (run: () => void) => unknown): void {
  queue.scheduled = true;
  later(() => {
    queue.scheduled = false;
    if (queue.pending.length > 0) flushQueue(db, queue);
  });
}

function flushQueue(db: Db, queue: Queue): void {
  let error: unknown;
  try {
    error = takeWriteLock(db);
  } catch (failure) {
    // Not a busy lock (the database is closed, the disk failed): every queued write fails with it.
    queue.tries = 0;
    for (const waiter of queue.pending.splice(0)) waiter.reject(failure);
    return;
  }
  if (error === undefined) {
    queue.tries = 0;
    runBatch(db, queue);
    return;
  }
  if (queue.tries++ === 0) queue.waitingSince = Date.now();
  if (Date.now() - queue.waitingSince >= writeLockWaitMs) {
    queue.tries = 0;
    for (const waiter of queue.pending.splice(0)) waiter.reject(error);
    return;
  }
  schedule(db, queue, queue.tries < quickTries ? setImmediate : (next) => setTimeout(next, 1));
}

/**
 * BEGIN IMMEDIATE without waiting: undefined when the lock is taken, SQLite's BUSY error
 * when another process holds it (a failed BEGIN leaves nothing open). Functions of their
 * own, this, flushQueue and runBatch, so that a CPU profile shows them by name
 * (bench/lock-wait.ts sums them).
 */
function takeWriteLock(db: Db): unknown {
  db.exec('PRAGMA busy_timeout = 0');
  try {
    db.prepare('BEGIN IMMEDIATE').run();
    return undefined;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || db.inTransaction) throw error;
    return error;
  } finally {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  }
}

/** Under the lock: every queued write, then COMMIT, then their answers. */
function runBatch(db: Db, queue: Queue): void {
  const batch = queue.pending.splice(0);
  const outcomes = batch.length === 1 ? [alone(db, batch[0]!)] : batch.map((waiter) => inSavepoint(db, waiter.work));
  try {
    if (db.inTransaction) db.prepare('COMMIT').run();
  } catch (error) {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    for (const waiter of batch) waiter.reject(error);
    return;
  }
  batch.forEach((waiter, i) => {
    const outcome = outcomes[i]!;
    if ('error' in outcome) waiter.reject(outcome.error);
    else waiter.resolve(outcome.value);
  });
}

type Outcome = { value: unknown } | { error: unknown };

/** The one write of a batch: on failure the whole transaction is rolled back. */
function alone(db: Db, waiter: Pending): Outcome {
  try {
    return { value: waiter.work() };
  } catch (error) {
    if (db.inTransaction) db.prepare('ROLLBACK').run();
    return { error };
  }
}

function inSavepoint(db: Db, work: () => unknown): Outcome {
  db.prepare('SAVEPOINT write').run();
  try {
    const value = work();
    db.prepare('RELEASE write').run();
    return { value };
  } catch (error) {
    db.prepare('ROLLBACK TO write').run();
    db.prepare('RELEASE write').run();
    return { error };
  }
}

/**
 * What SQLite's one writer costs the workers, from their CPU profiles (BENCH_CPU_PROF):
 * the time spent in `takeWriteLock` (BEGIN IMMEDIATE, server/store/libsql/transactions.ts),
 * trying for the write lock (a try does not wait: when another worker holds the lock the
 * queue tries again later, and the event loop serves meanwhile), beside the time spent
 * running the queued writes and their commits, and the profile's busy time. V8's
 * profiler samples the thread's wall clock, so a blocked frame would show as its time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}

export interface LockWait {
  /** Milliseconds in BEGIN IMMEDIATE's tries for the lock. */
  lockMs: number;
  /** Milliseconds in write transactions (the tries for the lock included). */
  writeMs: number;
  /** Milliseconds the profiled threads were not idle. */
  busyMs: number;
}

const writeFrames = new Set(['flushQueue', 'flushWrites', 'runBatch']);

/** Sums the profiles in `folder` of the processes `pids` (their main threads). */
export function lockWaitOf(folder: string, pids: number[]): LockWait {
  const total: LockWait = { lockMs: 0, writeMs: 0, busyMs: 0 };
  for (const name of readdirSync(folder)) {
    const [, pid, thread] = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/.exec(name) ?? [];
    if (!pid || thread !== '0' || !pids.includes(Number(pid))) continue;
    const profile = JSON.parse(readFileSync(join(folder, name), 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    const parent = new Map<number, ProfileNode>();
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
    profile.samples.forEach((id, index) => {
      const ms = (profile.timeDeltas[index] ?? 0) / 1000;
      let node = byId.get(id);
      if (!node || node.callFrame.functionName === '(idle)') return;
      total.busyMs += ms;
      let locking = false;
      let writing = false;
      for (; node; node = parent.get(node.id)) {
        const frame = node.callFrame.functionName;
        if (frame === 'takeWriteLock') locking = true;
        if (writeFrames.has(frame)) writing = true;
      }
      if (locking) total.lockMs += ms;
      if (writing || locking) total.writeMs += ms;
    });
  }
  return total;
}

/** Small helpers shared by the benchmarks: medians, formatting, a target line. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const MiB = 1024 * 1024;

export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / 1e6).toFixed(0).padStart(6)} MB/s`;
}

/**
 * Prints one result line: the figure, the baseline, the ratio and whether it meets the
 * target (a line without a target is for reference only).
 */
export function printRatio(label: string, value: string, baseline: string, ratio: number, target?: number): boolean {
  const met = target === undefined || ratio >= target;
  const verdict = target === undefined ? 'reference, no target' : `target ≥ ${target}×  ${met ? 'met' : 'NOT MET'}`;
  console.log(`${label.padEnd(34)} ${value}   baseline ${baseline}   ratio ${ratio.toFixed(2)}×   ${verdict}`);
  return met;
}

/**
 * Baseline and subject take turns, so a busy moment on a shared machine hits both: first
 * untimed, `warmUp.rounds` times and for at least `warmUp.ms` (nothing is timed while V8
 * is still compiling it), then `rounds` measured pairs, in order. Compare a pair with
 * its own baseline: on this machine the speed drifts by up to 2× within a minute, and
 * only neighbouring rounds see the same one.
 */
export async function takeTurns<T>(
  rounds: number,
  warmUp: { rounds: number; ms?: number },
  baseline: () => Promise<T>,
  subject: () => Promise<T>,
): Promise<[baseline: T, subject: T][]> {
  const warmUntil = performance.now() + (warmUp.ms ?? 0);
  for (let i = 0; i < warmUp.rounds || performance.now() < warmUntil; i++) {
    await baseline();
    await subject();
  }
  const pairs: [T, T][] = [];
  for (let i = 0; i < rounds; i++) pairs.push([await baseline(), await subject()]);
  return pairs;
}

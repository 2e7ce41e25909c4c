/**
 * The one notion of time the BankID client and simulator use: milliseconds since the epoch.
 * The server shares it, and tests inject a manual clock instead of sleeping.
 *
 * @example
 * const clock = createManualClock(Date.UTC(2025, 0, 1));
 * clock.advance(30_000); // the order's 30 s pickup window has now passed
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface ManualClock extends Clock {
  /** Moves time forward; never backwards. */
  advance(milliseconds: number): void;
  set(epochMilliseconds: number): void;
}

export function createManualClock(startEpochMilliseconds = Date.UTC(2025, 0, 1)): ManualClock {
  let current = startEpochMilliseconds;
  return {
    now: () => current,
    advance(milliseconds) {
      if (!Number.isFinite(milliseconds) || milliseconds < 0) {
        throw new RangeError('advance() takes a non-negative number of milliseconds');
      }
      current += milliseconds;
    },
    set(epochMilliseconds) {
      if (epochMilliseconds < current) throw new RangeError('a manual clock never goes backwards');
      current = epochMilliseconds;
    },
  };
}

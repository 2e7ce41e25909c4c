import { describe, expect, it } from 'vitest';
import type { Result } from '../../bench/http-load.js';
import { ceiling } from '../../bench/workers.js';

const result = (rps: number, serverCpu: number, clientCpu: number): Result => ({ rps, p99: 1, generator: 'wrk', serverCpu, clientCpu });

describe('the workers bench: the most the measured costs allow', () => {
  it('scales each round’s ratio to every core in use, and takes the median round', () => {
    // One worker 9,500/s; all workers 14,500/s with the server at 1.52 cores and wrk at 0.41 of 2.
    const rounds: [Result, Result][] = [
      [result(9_500, 1.25, 0.24), result(14_500, 1.52, 0.41)],
      [result(10_000, 1.25, 0.24), result(14_000, 1.6, 0.4)],
      [result(9_000, 1.25, 0.24), result(15_000, 1.5, 0.5)],
    ];
    expect(ceiling(rounds, 2)).toBeCloseTo((14_500 / 9_500) * (2 / 1.93), 6);
  });

  it('is the measured ratio itself when the cores were already full', () => {
    expect(ceiling([[result(1_000, 1, 0.1), result(1_500, 1.8, 0.2)]], 2)).toBeCloseTo(1.5, 6);
  });

  it('is not a number without rounds or without /proc', () => {
    expect(ceiling([], 2)).toBeNaN();
    expect(ceiling([[result(1_000, NaN, 0.1), result(1_500, NaN, 0.2)]], 2)).toBeNaN();
  });
});

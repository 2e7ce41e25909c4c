/**
 * The upload progress on standard error: a bar redrawn in place on a terminal, plain
 * lines a few seconds apart elsewhere, and the total at the end.
 */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../cli/progress.js';

function recorder(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, columns: 100, write: (text: string) => written.push(text) }, written };
}

describe('upload progress', () => {
  it('redraws one bar in place on a terminal, at most ten times a second, and ends the line when done', () => {
    const { stream, written } = recorder(true);
    let now = 0;
    const progress = createProgress(stream, 'Uploading', 'en', () => now);
    progress.update(0, 10 * 1024 * 1024);
    now = 50;
    progress.update(1024 * 1024, 10 * 1024 * 1024); // too soon: not drawn
    now = 150;
    progress.update(5 * 1024 * 1024, 10 * 1024 * 1024);
    now = 2_000;
    progress.update(10 * 1024 * 1024, 10 * 1024 * 1024);
    progress.finish();
    expect(written.filter((text) => text.startsWith('\r'))).toHaveLength(4); // three updates drawn, then the final state
    expect(written[1]).toMatch(/^\r\[#{10,20}-{10,20}\] Uploading 5\.0 MiB \/ 10\.0 MiB \(50%\)\u001b\[K$/);
    expect(written.at(-2)).toContain('(100%)');
    expect(written.at(-1)).toBe(' 2.0 s\n');
    expect(written.join('')).not.toContain('\n\r');
  });

  it('writes a plain line every five seconds when standard error is not a terminal, and the total at the end', () => {
    const { stream, written } = recorder(false);
    let now = 0;
    const progress = createProgress(stream, 'Uploading', 'en', () => now);
    for (let second = 0; second <= 12; second++) {
      now = second * 1000;
      progress.update(second * 1024 * 1024, 12 * 1024 * 1024);
    }
    progress.finish();
    expect(written).toEqual([
      'Uploading 0 B / 12.0 MiB (0%)\n',
      'Uploading 5.0 MiB / 12.0 MiB (41%)\n',
      'Uploading 10.0 MiB / 12.0 MiB (83%)\n',
      'Uploading 12.0 MiB / 12.0 MiB (100%) 12.0 s\n',
    ]);
    expect(written.join('')).not.toMatch(/[\r\u001b]/);
  });
});

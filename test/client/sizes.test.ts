import { describe, expect, it } from 'vitest';
import { formatSize } from '../../client/sizes.js';

describe('formatSize: one way of writing a size, in every app', () => {
  it('writes binary units with the language’s decimal mark, up to one decimal', () => {
    expect(formatSize(0, 'en')).toBe('0 B');
    expect(formatSize(1023, 'sv')).toBe('1023 B');
    expect(formatSize(1536, 'sv')).toBe('1,5 KiB');
    expect(formatSize(70_000, 'en')).toBe('68.4 KiB');
    expect(formatSize(812 * 1024, 'en')).toBe('812 KiB');
    expect(formatSize(100 * 1024 ** 2, 'sv')).toBe('100 MiB');
    expect(formatSize(1.5 * 1024 ** 3, 'sv')).toBe('1,5 GiB');
    expect(formatSize(2 * 1024 ** 3, 'en')).toBe('2 GiB');
  });

  it('with fixed, always one decimal past the bytes, so progress keeps its width', () => {
    expect(formatSize(512, 'en', { fixed: true })).toBe('512 B');
    expect(formatSize(5 * 1024 ** 2, 'en', { fixed: true })).toBe('5.0 MiB');
    expect(formatSize(12.25 * 1024 ** 2, 'sv', { fixed: true })).toBe('12,3 MiB');
    expect(formatSize(3 * 1024 ** 3, 'en', { fixed: true })).toBe('3.0 GiB');
  });
});

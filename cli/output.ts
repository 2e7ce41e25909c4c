/**
 * Where the CLI writes: results (and links) to standard output, progress and notes to
 * standard error, and times as the user's clock shows them.
 *
 * @example
 * output.line('Message sent.');
 * output.json({ messageId });
 */
export interface Output {
  line(text: string): void;
  note(text: string): void;
  json(value: unknown): void;
}

export const processOutput: Output = {
  line: (text) => void process.stdout.write(`${text}\n`),
  note: (text) => void process.stderr.write(`${text}\n`),
  json: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
};

/** `2026-12-01 09:51:23 UTC`: the local time zone (TZ), to the second, with its name. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
}

/** Rows of cells as aligned columns, two spaces apart. */
export function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - [...cell].length))).join('  ').trimEnd());
}

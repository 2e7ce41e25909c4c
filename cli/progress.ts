/**
 * Upload progress on standard error. On a terminal: one bar redrawn in place (at most
 * ten times a second). Elsewhere (a log file, a CI job): a plain line every few seconds
 * and one at the end, so the log stays readable. Standard output stays clean for the
 * links and `--json`.
 *
 * @example
 * const progress = createProgress(process.stderr, texts.uploading, 'sv');
 * progress.update(sent, total);
 * progress.finish();
 */
import { formatSize } from '../client/index.js';
import type { Language } from './language.js';

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface Progress {
  update(sentBytes: number, totalBytes: number): void;
  finish(): void;
}

/** Below this many bytes an upload is quick: no progress is shown. */
export const progressThreshold = 1024 * 1024;

const redrawMs = 100;
const lineMs = 5_000;

/** Sizes as every app writes them (client/sizes.ts), with one decimal so the line keeps its width. */
const formatBytes = (bytes: number, language: Language) => formatSize(bytes, language, { fixed: true });

export function createProgress(stream: ProgressStream, label: string, language: Language, now: () => number = Date.now): Progress {
  const started = now();
  let last = -Infinity;
  let sent = 0;
  let total = 0;
  let drawn = false;
  const summary = () => `${label} ${formatBytes(sent, language)} / ${formatBytes(total, language)} (${total === 0 ? 100 : Math.floor((100 * sent) / total)}%)`;
  const draw = () => {
    if (stream.isTTY) {
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - summary().length - 4));
      const filled = total === 0 ? width : Math.round((width * sent) / total);
      stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${summary()}\u001b[K`);
    } else {
      stream.write(`${summary()}\n`);
    }
    drawn = true;
  };
  return {
    update(sentBytes, totalBytes) {
      sent = sentBytes;
      total = totalBytes;
      const at = now();
      if (at - last >= (stream.isTTY ? redrawMs : lineMs)) {
        last = at;
        draw();
      }
    },
    finish() {
      const seconds = ((now() - started) / 1000).toFixed(1);
      if (stream.isTTY) {
        if (drawn) draw();
        stream.write(` ${seconds} s\n`);
      } else {
        stream.write(`${summary()} ${seconds} s\n`);
      }
    },
  };
}

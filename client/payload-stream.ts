import { sealedSegmentBytes } from '../shared/stream.js';
import { ApiError } from './errors.js';
import type { RecipientApi } from './recipient-api.js';

/**
 * One payload's ciphertext as a stream that outlives a broken connection: when the body
 * stops (a network error, or the server's end before the payload's length), it asks
 * again with a `Range` from the last whole sealed segment it had handed on
 * (PROTOCOL.md §8, the server refuses any other start) and drops the few bytes of that
 * segment it had already passed, so the stream downstream sees every byte once, in
 * order, and the decryption goes on as if nothing happened. Only a cut connection or a
 * 5xx is retried, a few times with a growing pause that starts over after each byte
 * that gets through; a refusal (401: the release token expired, 404, 410) ends it.
 * Nothing of the payload is kept beyond the chunk being handed on. The first request is
 * made before the stream is returned, so a refusal throws from the call itself.
 *
 * @example
 * const ciphertext = await resumingPayload(api, { linkId, releaseToken, index, length }, { onInterrupted: () => showRetrying() });
 * await ciphertext.pipeThrough(createOpenStream(keys.payload(index))).pipeTo(file);
 */
export interface PayloadSource {
  linkId: string;
  releaseToken: string;
  index: number;
  /** The payload's ciphertext length, from the link. */
  length: number;
}

export interface ResumeOptions {
  /** Retries in a row without a byte getting through before giving up (default 6). */
  attempts?: number;
  /** The first pause before asking again, doubled each time (default 500 ms). */
  pauseMs?: number;
  /** Called when the connection broke and the stream asks again (with the byte it resumes from). */
  onInterrupted?: (resumeFrom: number) => void;
}

/** A failure worth asking again for: no answer, a cut body, or the server's 5xx. */
export function isInterruption(error: unknown): boolean {
  if (error instanceof ApiError) return error.status === 0 || error.status >= 500;
  return error instanceof TypeError;
}

export async function resumingPayload(api: RecipientApi, source: PayloadSource, options: ResumeOptions = {}): Promise<ReadableStream<Uint8Array>> {
  const attempts = options.attempts ?? 6;
  const pauseMs = options.pauseMs ?? 500;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let delivered = 0; // bytes handed downstream
  let skip = 0; // bytes of the resumed segment already handed on
  let failures = 0;
  let cancelled = false;

  async function connect(): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const start = delivered - (delivered % sealedSegmentBytes);
    skip = delivered - start;
    const body = await api.payload(source.linkId, source.index, source.releaseToken, { start });
    return body.getReader();
  }

  async function interrupted(error: unknown): Promise<void> {
    void reader?.cancel().catch(() => undefined);
    reader = undefined;
    if (!isInterruption(error) || failures >= attempts || cancelled) throw error;
    const resumeFrom = delivered - (delivered % sealedSegmentBytes);
    options.onInterrupted?.(resumeFrom);
    await new Promise((resolve) => setTimeout(resolve, pauseMs * 2 ** failures));
    failures++;
  }

  // The first request is made before the stream is handed out, so that a refusal throws here.
  for (;;) {
    try {
      reader = await connect();
      break;
    } catch (error) {
      await interrupted(error);
    }
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            reader ??= await connect();
            next = await reader.read();
            if (next.done && delivered < source.length) throw new TypeError('the payload ended before its length');
          } catch (error) {
            await interrupted(error);
            continue;
          }
          if (next.done) {
            reader = undefined;
            controller.close();
            return;
          }
          let chunk = next.value;
          if (skip > 0) {
            const dropped = Math.min(skip, chunk.length);
            chunk = chunk.subarray(dropped);
            skip -= dropped;
          }
          if (chunk.length === 0) continue;
          failures = 0;
          delivered += chunk.length;
          controller.enqueue(chunk);
          return;
        }
      },
      async cancel(reason) {
        cancelled = true;
        await reader?.cancel(reason);
        reader = undefined;
      },
    },
    { highWaterMark: 0 },
  );
}

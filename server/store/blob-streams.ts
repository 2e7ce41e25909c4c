import { StoreError } from './errors.js';

/**
 * Streams that every BlobStore back end shares: the exact-length body of a put, and the
 * body of a get with its errors turned into StoreErrors.
 */

/**
 * A body as a stream of exactly `length` bytes, for a store that must keep all of a
 * blob or none of it. It errors with `payload_too_long` as soon as the body goes past
 * `length` and with `length_mismatch` when it ends short, and it holds back the last
 * chunk until the body has ended: a receiver that keeps only complete uploads (an object
 * store's PUT with a Content-Length) never gets all `length` bytes of a wrong body.
 * Cancelling the stream, or its failure, ends the body's iterator (releasing its source).
 *
 * @example
 * const exact = exactLength(request.body, 65_552);
 * await fetch(url, { method: 'PUT', body: exact.stream, duplex: 'half' }).catch((error) => {
 *   throw exact.failure() ?? error;
 * });
 */
export function exactLength(
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  length: number,
): { stream: ReadableStream<Uint8Array>; failure(): unknown } {
  const iterator = Symbol.asyncIterator in body ? body[Symbol.asyncIterator]() : body[Symbol.iterator]();
  let seen = 0;
  let held: Uint8Array | undefined;
  /** Why the stream failed: a StoreError of ours, or the body's own error. */
  let failure: unknown;
  const release = async () => {
    await Promise.resolve(iterator.return?.()).catch(() => undefined);
  };
  const fail = async (controller: ReadableStreamDefaultController<Uint8Array>, error: StoreError) => {
    failure = error;
    controller.error(error);
    await release();
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let next: IteratorResult<Uint8Array>;
        try {
          next = await iterator.next();
        } catch (error) {
          // The body's own failure (a client that went away): passed on as it is.
          failure = error;
          controller.error(error);
          return;
        }
        if (next.done) {
          if (seen !== length) return fail(controller, new StoreError('length_mismatch', `the payload has ${seen} bytes, not the declared ${length}`));
          if (held) controller.enqueue(held);
          controller.close();
          return;
        }
        seen += next.value.length;
        if (seen > length) return fail(controller, new StoreError('payload_too_long', `the payload is longer than its declared ${length} bytes`));
        if (next.value.length === 0) continue;
        const previous = held;
        held = next.value;
        if (previous) {
          controller.enqueue(previous);
          return;
        }
      }
    },
    cancel: release,
  });
  return { stream, failure: () => failure };
}

/**
 * `body` as a new stream whose cancel reaches the source (closing its file or HTTP
 * connection) and whose errors are StoreErrors: `aborted` once `signal` has fired, else
 * what `failed` makes of the error.
 *
 * @example
 * return relay(response.body, options.signal, () => new StoreError('unavailable', 'the object store went away'));
 */
export function relay(body: ReadableStream<Uint8Array>, signal: AbortSignal | undefined, failed: (error: unknown) => StoreError): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(signal?.aborted ? new StoreError('aborted', 'the payload transfer was cancelled') : error instanceof StoreError ? error : failed(error));
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
    },
  });
}

/** A stream with no bytes (an empty range). */
export function emptyStream(): ReadableStream<Uint8Array> {
  return new ReadableStream({ start: (controller) => controller.close() });
}

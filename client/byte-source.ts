/**
 * Random access to an attachment's plaintext, so that a chunk can be sealed on its own
 * (a resumed upload seals only what the server lacks). A browser Blob or File and a
 * Node file handle both fit it; memory is only what a read asks for.
 *
 * @example
 * const source = blobSource(file);                         // a browser File
 * const handle = await open(path); const fromFile = { size: (await handle.stat()).size,
 *   read: async (offset, length) => { const b = new Uint8Array(length); await handle.read(b, 0, length, offset); return b; } };
 */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes from `offset` (the caller never reads past `size`). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A Blob or File (browsers, Node) as a ByteSource. */
export function blobSource(blob: Blob): ByteSource {
  return {
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** Bytes in memory as a ByteSource (the content document, tests). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
}

/**
 * A stream that can only be read from the start, as a ByteSource for reads that come in
 * order (each `offset` at or after the end of the last read): the bytes in between are
 * skipped, a read further back opens the stream again. Reads are taken one at a time.
 */
export function streamSource(size: number, open: () => ReadableStream<Uint8Array>): ByteSource {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let position = 0;
  let held: Uint8Array = new Uint8Array(0);
  let queue: Promise<unknown> = Promise.resolve();
  const take = async (offset: number, length: number): Promise<Uint8Array> => {
    if (!reader || offset < position) {
      await reader?.cancel().catch(() => undefined);
      reader = open().getReader();
      position = 0;
      held = new Uint8Array(0);
    }
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (held.length === 0) {
        const next = await reader.read();
        if (next.done) throw new RangeError('the attachment ended before its size');
        held = next.value;
      }
      const skip = Math.min(held.length, Math.max(0, offset - position));
      if (skip > 0) {
        held = held.subarray(skip);
        position += skip;
        continue;
      }
      const part = Math.min(held.length, length - filled);
      out.set(held.subarray(0, part), filled);
      held = held.subarray(part);
      filled += part;
      position += part;
    }
    return out;
  };
  return {
    size,
    read(offset, length) {
      const result = queue.then(() => take(offset, length));
      queue = result.catch(() => undefined);
      return result;
    },
  };
}

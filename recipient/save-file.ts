/**
 * Saves a decrypted attachment. Where the browser has the File System Access API
 * (`showSaveFilePicker`: Chromium on desktop) the plaintext streams to disk and is
 * committed only if the whole stream authenticated; elsewhere it is gathered in a Blob
 * (which browsers may keep on disk) and handed to the browser's download.
 *
 * The picker needs the click's user activation, so `chooseTarget` runs before any
 * network work and `write` after.
 *
 * @example
 * const target = await chooseTarget(window, attachment.name);   // first thing in the click handler
 * await target.write(await openAttachment(…));
 */
export interface SaveTarget {
  write(plaintext: ReadableStream<Uint8Array>): Promise<void>;
}

interface FileSystemWindow {
  showSaveFilePicker?(options: { suggestedName: string }): Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

/** A file name that is only a name: no folders, no control characters, not empty. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^[.\s]+/, '').trim();
  return cleaned.slice(0, 200) || 'bilaga';
}

export async function chooseTarget(window: Window, name: string): Promise<SaveTarget | undefined> {
  const fileSystem = window as Window & FileSystemWindow;
  const suggestedName = safeFileName(name);
  if (typeof fileSystem.showSaveFilePicker === 'function') {
    let handle;
    try {
      handle = await fileSystem.showSaveFilePicker({ suggestedName });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return undefined; // the person closed the picker
      return blobTarget(window, suggestedName);
    }
    return {
      async write(plaintext) {
        // pipeTo aborts the writable on error, and an aborted file is never written.
        await plaintext.pipeTo(await handle.createWritable());
      },
    };
  }
  return blobTarget(window, suggestedName);
}

function blobTarget(window: Window, name: string): SaveTarget {
  return {
    async write(plaintext) {
      const parts: Uint8Array<ArrayBuffer>[] = [];
      const reader = plaintext.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) parts.push(next.value as Uint8Array<ArrayBuffer>);
      const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
      const anchor = window.document.createElement('a');
      anchor.href = url;
      anchor.download = name;
      anchor.rel = 'noopener';
      window.document.body.append(anchor);
      anchor.click();
      anchor.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  };
}

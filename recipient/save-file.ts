import { downloadWorker, streamedDownload } from './streamed-download.js';

/**
 * Saves a decrypted attachment, streaming it to disk as it decrypts:
 * - where the browser has the File System Access API (`showSaveFilePicker`: Chromium on
 *   desktop), into the file the person picks, committed only if the whole stream
 *   authenticated (a failure aborts the writable);
 * - elsewhere through the page's download service worker (streamed-download.ts), a
 *   download the browser marks failed if decryption fails;
 * - only where neither exists (a private window without service workers), gathered in
 *   a Blob (which browsers may keep on disk) and handed to the download when whole.
 *
 * The picker needs the click's user activation, so `chooseTarget` runs before any
 * network work. `write` is given how to open the plaintext, and opens it when the target
 * is ready for it: the service worker's download only once the browser has begun it
 * (Firefox stops a page's fetches while a navigation is pending).
 *
 * @example
 * const target = await chooseTarget(window, attachment);   // first thing in the click handler
 * await target.write(() => openAttachment(…));
 */
export type OpenPlaintext = () => Promise<ReadableStream<Uint8Array>>;

export interface SaveTarget {
  write(open: OpenPlaintext): Promise<void>;
}

interface WritableFileHandle {
  createWritable(): Promise<WritableStream<Uint8Array>>;
}

interface FileSystemWindow {
  showSaveFilePicker?(options: { suggestedName: string }): Promise<WritableFileHandle>;
}

/** A file name that is only a name: no folders, no control characters, not empty. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, '_').replace(/^[.\s]+/, '').trim();
  return cleaned.slice(0, 200) || 'bilaga';
}

export async function chooseTarget(window: Window, file: { name: string; size: number }): Promise<SaveTarget | undefined> {
  const fileSystem = window as Window & FileSystemWindow;
  const suggestedName = safeFileName(file.name);
  if (typeof fileSystem.showSaveFilePicker === 'function') {
    let handle;
    try {
      handle = await fileSystem.showSaveFilePicker({ suggestedName });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return undefined; // the person closed the picker
      return otherTarget(window, suggestedName, file.size);
    }
    return {
      async write(open) {
        const plaintext = await open();
        // pipeTo aborts the writable on error, and an aborted writable commits nothing: the
        // file keeps what it had before (nothing, for a new one). Not removed: the person
        // may have picked a file of their own to replace.
        await plaintext.pipeTo(await handle.createWritable());
      },
    };
  }
  return otherTarget(window, suggestedName, file.size);
}

async function otherTarget(window: Window, name: string, size: number): Promise<SaveTarget> {
  const worker = await downloadWorker(window);
  return worker ? streamedDownload(window, worker, { name, size }) : blobTarget(window, name);
}

function blobTarget(window: Window, name: string): SaveTarget {
  return {
    async write(open) {
      const plaintext = await open();
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

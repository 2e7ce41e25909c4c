/**
 * What the page and its download service worker (download-worker.ts) say to each other.
 * The page announces a download with a MessagePort; the worker answers `ready`, then
 * serves `/download/<id>` as the file, asking the page for each chunk (`pull`), so no
 * more than a few chunks are ever in flight. The worker gets plaintext chunks only, never
 * a key, and forgets the download when it ends.
 *
 * @example
 * worker.postMessage({ type: 'download', id, name, size } satisfies ToWorker, [channel.port2]);
 */

/** Where the worker is served and what it controls. */
export const downloadWorkerUrl = '/download-worker.js';
export const downloadScope = '/download/';

/** To the worker, through `ServiceWorker.postMessage`. */
export type ToWorker =
  /** A download to serve at `downloadScope + id`; its port (transferred) carries the chunks. */
  | { type: 'download'; id: string; name: string; size: number }
  /** Sent every few seconds during a download: a message keeps a service worker running. */
  | { type: 'keepalive' };

/** To the page, on the download's port. */
export type FromWorker =
  | { type: 'ready' }
  /** The browser wants the next chunk. */
  | { type: 'pull' }
  /** The browser stopped reading (the person cancelled the download). */
  | { type: 'cancel' };

/** To the worker, on the download's port. */
export type ToDownload =
  | { type: 'chunk'; bytes: Uint8Array }
  /** Every byte was decrypted and authenticated. */
  | { type: 'end' }
  /** Decryption or the download failed: the browser must mark the file failed. */
  | { type: 'error' };

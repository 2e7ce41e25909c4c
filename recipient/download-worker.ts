import type { FromWorker, ToDownload, ToWorker } from './download-messages.js';

/**
 * The recipient page's download service worker, served at /download-worker.js with
 * scope /download/ (as Firefox Send and StreamSaver.js do it): the page decrypts, and
 * this worker hands the plaintext to the browser's download manager as the body of a
 * synthetic response (`Content-Disposition: attachment`, the decrypted length), so a
 * file of any size streams to disk. It pulls one chunk at a time over the download's
 * MessagePort and keeps at most `chunksAhead` of them, so the page never decrypts
 * faster than the disk takes it. It never sees a key; a download it was told of is
 * forgotten when the browser asks for it, or after a minute if it never does.
 *
 * If decryption fails the page says `error`, and the response body errors: the browser
 * marks the download failed and never gives the partial file the file's name. It never
 * ends a body early with `close()`, which would look complete.
 *
 * No imports but types: it is built as one classic script.
 */
interface DownloadPort {
  postMessage(message: FromWorker): void;
  onmessage: ((event: { data: ToDownload }) => void) | null;
  close(): void;
}

interface Announced {
  port: DownloadPort;
  name: string;
  size: number;
}

interface WorkerScope {
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: ToWorker; ports: readonly DownloadPort[] }) => void): void;
  addEventListener(type: 'fetch', listener: (event: { request: Request; respondWith(response: Response): void }) => void): void;
}

const scope = self as unknown as WorkerScope;
const announced = new Map<string, Announced>();
const chunksAhead = 4;
const forgetAfterMs = 60_000;

scope.addEventListener('install', () => void scope.skipWaiting());

scope.addEventListener('message', (event) => {
  const message = event.data;
  const port = event.ports[0];
  if (message.type !== 'download' || port === undefined || !/^[A-Za-z0-9_-]{16,64}$/.test(message.id)) return;
  announced.set(message.id, { port, name: message.name, size: message.size });
  setTimeout(() => {
    if (announced.delete(message.id)) port.close();
  }, forgetAfterMs);
  port.postMessage({ type: 'ready' });
});

scope.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== location.origin || !url.pathname.startsWith('/download/')) return;
  const id = url.pathname.slice('/download/'.length);
  const download = announced.get(id);
  // Not announced (or this worker was restarted): the server's own 204 leaves the page as it is.
  if (download === undefined || event.request.method !== 'GET') return;
  announced.delete(id);
  event.respondWith(
    new Response(bodyOf(download.port), {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': contentDisposition(download.name),
        'Content-Length': String(download.size),
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      },
    }),
  );
});

function bodyOf(port: DownloadPort): ReadableStream<Uint8Array> {
  let delivered: (() => void) | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        port.onmessage = ({ data }) => {
          if (data.type === 'chunk') controller.enqueue(data.bytes);
          else if (data.type === 'end') controller.close();
          else controller.error(new Error('the download failed'));
          if (data.type !== 'chunk') port.close();
          delivered?.();
          delivered = undefined;
        };
      },
      pull() {
        return new Promise<void>((resolve) => {
          delivered = resolve;
          port.postMessage({ type: 'pull' });
        });
      },
      cancel() {
        port.postMessage({ type: 'cancel' });
        port.close();
      },
    },
    new CountQueuingStrategy({ highWaterMark: chunksAhead }),
  );
}

/** `attachment` with an ASCII name for old parsers and the exact name in RFC 5987 form. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

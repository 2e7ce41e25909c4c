import { encodeBase64url } from '../shared/base64url.js';
import { downloadScope, downloadWorkerUrl, type FromWorker, type ToDownload, type ToWorker } from './download-messages.js';
import type { OpenPlaintext, SaveTarget } from './save-file.js';

/**
 * The page's side of the download service worker (download-worker.ts): a download that
 * streams to disk in every browser with service workers. `write` announces the file to
 * the worker with a MessageChannel, opens `/download/<id>` (the worker answers it as a
 * download; the page stays), opens the plaintext when the worker first asks for a chunk
 * (the download has begun: Firefox stops a page's fetches while a navigation is pending),
 * and hands over each decrypted chunk only when the worker asks for it. A failure (a
 * segment that does not authenticate, a refusal, a connection that stays broken) tells
 * the worker to fail the download, so the browser never names a partial file as the file.
 *
 * @example
 * const worker = await downloadWorker(window); // registered once, when the message has attachments
 * if (worker) await streamedDownload(window, worker, { name, size }).write(() => openAttachment(…));
 */

/** The download was cancelled in the browser (its download bar or list). */
export class DownloadCancelled extends Error {
  override readonly name = 'DownloadCancelled';
}

const keepaliveMs = 10_000;
const startTimeoutMs = 30_000;
/** A worker that has not started by then is not waited for (the Blob download instead). */
const registerTimeoutMs = 10_000;

let registering: Promise<ServiceWorker | undefined> | undefined;

/** Registers the worker (once per page) and waits until it runs; undefined where there are no service workers. */
export function downloadWorker(window: Window): Promise<ServiceWorker | undefined> {
  registering ??= (async () => {
    const container = window.navigator.serviceWorker as ServiceWorkerContainer | undefined;
    if (!container) return undefined;
    try {
      const registration = await container.register(downloadWorkerUrl, { scope: downloadScope });
      const late = new Promise<undefined>((resolve) => window.setTimeout(() => resolve(undefined), registerTimeoutMs));
      return await Promise.race([activated(registration), late]);
    } catch {
      return undefined; // private windows and some settings refuse service workers
    }
  })();
  const asked = registering;
  void asked.then((worker) => {
    if (worker === undefined && registering === asked) registering = undefined; // asked again at the next download
  });
  return asked;
}

function activated(registration: ServiceWorkerRegistration): Promise<ServiceWorker | undefined> {
  if (registration.active) return Promise.resolve(registration.active);
  const coming = registration.installing ?? registration.waiting;
  if (!coming) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    coming.addEventListener('statechange', () => {
      if (coming.state === 'activated') resolve(coming);
      if (coming.state === 'redundant') resolve(undefined);
    });
  });
}

export function streamedDownload(window: Window, worker: ServiceWorker, file: { name: string; size: number }): SaveTarget {
  return {
    async write(openPlaintext: OpenPlaintext) {
      const id = encodeBase64url(window.crypto.getRandomValues(new Uint8Array(16)));
      const channel = new MessageChannel();
      const port = channel.port1;
      const send = (message: ToDownload, transfer: Transferable[] = []) => port.postMessage(message, transfer);
      let reader: Promise<ReadableStreamDefaultReader<Uint8Array>> | undefined;
      const keepalive = window.setInterval(() => worker.postMessage({ type: 'keepalive' } satisfies ToWorker), keepaliveMs);
      let started = false;
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = window.setTimeout(() => reject(new Error('the download did not start')), startTimeoutMs);
          port.onmessage = ({ data }: MessageEvent<FromWorker>) => {
            if (data.type === 'ready') return open(window, downloadScope + id);
            if (data.type === 'cancel') {
              window.clearTimeout(timer);
              return reject(new DownloadCancelled('the download was cancelled'));
            }
            if (!started) window.clearTimeout(timer);
            started = true;
            reader ??= openPlaintext().then((plaintext) => plaintext.getReader());
            reader.then((opened) => opened.read()).then(
              (next) => {
                if (next.done) {
                  send({ type: 'end' });
                  return resolve();
                }
                const bytes = owned(next.value);
                send({ type: 'chunk', bytes }, [bytes.buffer]);
              },
              (error: unknown) => {
                send({ type: 'error' });
                reject(error);
              },
            );
          };
          worker.postMessage({ type: 'download', id, name: file.name, size: file.size } satisfies ToWorker, [channel.port2]);
        });
      } catch (error) {
        send({ type: 'error' });
        await reader?.then((opened) => opened.cancel()).catch(() => undefined);
        throw error;
      } finally {
        window.clearInterval(keepalive);
        port.close();
      }
    },
  };
}

/** A chunk whose buffer is its own, so it can be transferred (not copied) to the worker. */
function owned(chunk: Uint8Array): Uint8Array<ArrayBuffer> {
  if (chunk.buffer instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength) return chunk as Uint8Array<ArrayBuffer>;
  return chunk.slice() as Uint8Array<ArrayBuffer>;
}

/** Follows a link to the download in this tab; the answer is a file, so the page stays. */
function open(window: Window, path: string): void {
  const anchor = window.document.createElement('a');
  anchor.href = path;
  anchor.rel = 'noopener noreferrer';
  anchor.hidden = true;
  window.document.body.append(anchor);
  anchor.click();
  anchor.remove();
}

/**
 * Attachments from the compose frame to the uploader, as the very File objects the sender
 * picked. Extension messaging carries only JSON in Chromium, so they go over a
 * BroadcastChannel of the extension's own origin, which the webmail page cannot join:
 * a File travels by reference, so no byte is copied, encoded or stored on the way, and
 * the uploader reads each file from disk as it seals.
 *
 * @example
 * const offer = offerAttachments(sessionId, files); // in the frame, before 'compose/send'
 * const files = await takeAttachments(sessionId, 2); // in the uploader
 * offer.close();
 */
import { ExtensionError } from '../messages.js';

type HandoffMessage = { type: 'want' } | { type: 'attachments'; files: unknown };

const channelName = (sessionId: string) => `sigill-attachments:${sessionId}`;

/** How long the uploader waits for the frame to hand its files over. */
const handoffTimeoutMs = 10_000;

/** The frame: hands `files` to whichever uploader asks, until closed. */
export function offerAttachments(sessionId: string, files: File[]): { close(): void } {
  const channel = new BroadcastChannel(channelName(sessionId));
  channel.onmessage = (event: MessageEvent<HandoffMessage>) => {
    if (event.data?.type === 'want') channel.postMessage({ type: 'attachments', files } satisfies HandoffMessage);
  };
  return { close: () => channel.close() };
}

/** The uploader: the session's `count` files, or attachments_changed when they do not all arrive. */
export function takeAttachments(sessionId: string, count: number): Promise<File[]> {
  if (count === 0) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const channel = new BroadcastChannel(channelName(sessionId));
    const done = (outcome: () => void) => {
      clearTimeout(timer);
      channel.close();
      outcome();
    };
    const timer = setTimeout(() => done(() => reject(new ExtensionError('attachments_changed', 'the attachments did not all arrive; try again'))), handoffTimeoutMs);
    channel.onmessage = (event: MessageEvent<HandoffMessage>) => {
      if (event.data?.type !== 'attachments') return;
      const { files } = event.data;
      const complete = Array.isArray(files) && files.length === count && files.every((file) => file instanceof File);
      done(() => (complete ? resolve(files as File[]) : reject(new ExtensionError('attachments_changed', 'the attachments did not all arrive; try again'))));
    };
    channel.postMessage({ type: 'want' } satisfies HandoffMessage);
  });
}

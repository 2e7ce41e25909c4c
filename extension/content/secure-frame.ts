/**
 * The extension-owned compose frame (compose/compose.html) placed where the webmail body
 * was, in a closed shadow root: the page gets no handle on the frame element or its URL.
 * The body is hidden while the frame is open, so the secret text is typed only in the
 * frame, an extension origin the webmail page cannot read, and never reaches the
 * webmail's editor or its draft autosave. The frame is watched: a second load (the page
 * re-pointed it) or its host taken out of the document (removed, replaced) is `lost`.
 *
 * @example
 * const frame = openSecureFrame(body, frameUrl, () => stop());
 * frame.intact(); // false once the page took it away
 * frame.close(); // the body comes back
 */
import { text } from '../texts/index.js';

export interface SecureFrame {
  /** Still ours: the host in the document and the frame never navigated. */
  intact(): boolean;
  close(): void;
}

const minimumHeight = 420;

export function openSecureFrame(body: HTMLElement, frameUrl: string, lost: () => void): SecureFrame {
  const host = document.createElement('div');
  host.setAttribute('data-sigill', 'secure-frame');
  const shadow = host.attachShadow({ mode: 'closed' });
  const iframe = document.createElement('iframe');
  iframe.title = text('frame.title');
  const height = Math.max(minimumHeight, body.getBoundingClientRect().height);
  iframe.style.cssText = `display:block;width:100%;height:${height}px;border:0;border-radius:6px;box-shadow:0 0 0 2px #1a5fb4;background:#fff`;
  let loads = 0;
  let navigated = false;
  iframe.addEventListener('load', () => {
    loads++;
    // Our page loads once and never navigates: any later load is someone else's page.
    if (loads > 1 && !navigated) {
      navigated = true;
      lost();
    }
  });
  iframe.src = frameUrl;
  shadow.append(iframe);
  const hiddenDisplay = body.style.display;
  body.before(host);
  body.style.display = 'none';
  return {
    intact: () => host.isConnected && iframe.isConnected && !navigated,
    close() {
      host.remove();
      body.style.display = hiddenDisplay;
    },
  };
}

/**
 * The extension-owned compose frame (compose/compose.html) placed where the webmail body
 * was. The body is hidden while the frame is open, so the secret text is typed only in
 * the frame, an extension origin the webmail page cannot read, and never reaches the
 * webmail's editor or its draft autosave.
 *
 * @example
 * const frame = openSecureFrame(body, frameUrl);
 * frame.close(); // the body comes back
 */
export interface SecureFrame {
  close(): void;
}

const minimumHeight = 420;

export function openSecureFrame(body: HTMLElement, frameUrl: string): SecureFrame {
  const host = document.createElement('div');
  host.setAttribute('data-sigill', 'secure-frame');
  const shadow = host.attachShadow({ mode: 'open' });
  const iframe = document.createElement('iframe');
  iframe.src = frameUrl;
  iframe.title = 'Sigill secure message';
  const height = Math.max(minimumHeight, body.getBoundingClientRect().height);
  iframe.style.cssText = `display:block;width:100%;height:${height}px;border:0;border-radius:6px;box-shadow:0 0 0 2px #1a5fb4;background:#fff`;
  shadow.append(iframe);
  const hiddenDisplay = body.style.display;
  body.before(host);
  body.style.display = 'none';
  return {
    close() {
      host.remove();
      body.style.display = hiddenDisplay;
    },
  };
}

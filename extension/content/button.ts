/**
 * The "Send secure" button placed beside the webmail's Send, with one line of status
 * beside it, in a closed shadow root: the webmail's styles do not reach it, and the
 * page's scripts cannot reach into it.
 */
import { text } from '../texts/index.js';

export interface SendSecureButton {
  host: HTMLElement;
  status(text: string): void;
  busy(busy: boolean): void;
}

export function createSendSecureButton(onPress: () => void): SendSecureButton {
  const host = document.createElement('span');
  host.setAttribute('data-sigill', 'send-secure');
  host.style.cssText = 'display:inline-flex;align-items:center;margin-left:8px;vertical-align:middle';
  const shadow = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = `
    button { font: 500 14px/20px system-ui, sans-serif; color: #fff; background: #1a5fb4; border: 0; border-radius: 18px;
      padding: 8px 16px; cursor: pointer; white-space: nowrap; }
    button:disabled { opacity: .6; cursor: progress; }
    span { font: 12px system-ui, sans-serif; color: #1a5fb4; margin-left: 8px; }`;
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = text('button.label');
  button.title = text('button.title');
  button.addEventListener('click', (event) => {
    event.preventDefault();
    event.stopPropagation();
    onPress();
  });
  const status = document.createElement('span');
  status.setAttribute('role', 'status');
  shadow.append(style, button, status);
  return {
    host,
    status(text) {
      status.textContent = text;
    },
    busy(busy) {
      button.disabled = busy;
    },
  };
}

import type { Attachment, ContentDocument } from '../shared/content.js';
import { openAttachment, type Release } from '../client/read.js';
import { isInterruption } from '../client/payload-stream.js';
import { formatSize } from '../client/sizes.js';
import { FormatError } from '../shared/errors.js';
import { api, ApiError } from './api.js';
import { h } from '../ui/dom.js';
import type { Language, Text } from './i18n.js';
import { chooseTarget } from './save-file.js';
import { DownloadCancelled, downloadWorker } from './streamed-download.js';
import { frameDocument, sanitizeHtml } from './sanitize.js';
import frameStylesheet from './frame.css?url';

/**
 * The opened message: its text (links made clickable, opening a new tab without
 * opener), its HTML sanitized in a sandboxed frame, and its attachments, each
 * downloaded and decrypted on request with progress.
 *
 * @example
 * main.append(messageView(document, release, { window, text, language }));
 */
export interface ViewContext {
  window: Window;
  text: Text;
  language: Language;
}

export function messageView(content: ContentDocument, release: Release, context: ViewContext): HTMLElement {
  const { text } = context;
  const section = h('section', { class: 'card message', 'aria-labelledby': 'message-heading' }, h('h2', { id: 'message-heading' }, text.messageHeading));
  if (content.html !== undefined && content.html.trim() !== '') {
    const frame = h('iframe', {
      class: 'message-frame',
      title: text.htmlFrameTitle,
      sandbox: 'allow-popups allow-popups-to-escape-sandbox',
      referrerpolicy: 'no-referrer',
    });
    frame.srcdoc = frameDocument(sanitizeHtml(content.html), new URL(frameStylesheet, context.window.location.href).href, context.language);
    section.append(frame);
  } else {
    section.append(h('div', { class: 'message-text' }, ...linkified(content.text)));
  }
  if (content.attachments.length > 0) {
    void downloadWorker(context.window); // registered now, so that a click downloads at once
    section.append(
      h('h3', {}, text.attachmentsHeading),
      h('ul', { class: 'attachments' }, ...content.attachments.map((attachment, i) => attachmentItem(attachment, i + 1, release, context))),
      h('p', { class: 'hint' }, text.readDone),
    );
  }
  return section;
}

/** Text with http(s) addresses as links; everything stays text nodes. */
function linkified(body: string): (Node | string)[] {
  const parts: (Node | string)[] = [];
  let last = 0;
  for (const match of body.matchAll(/\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/g)) {
    parts.push(body.slice(last, match.index));
    parts.push(h('a', { href: match[0], target: '_blank', rel: 'noopener noreferrer' }, match[0]));
    last = match.index + match[0].length;
  }
  parts.push(body.slice(last));
  return parts;
}

function attachmentItem(attachment: Attachment, index: number, release: Release, context: ViewContext): HTMLElement {
  const { text, language, window } = context;
  const progress = h('progress', { max: '1', value: '0', hidden: true, 'aria-label': text.downloading });
  const status = h('p', { class: 'attachment-status', 'aria-live': 'polite' });
  const download = h('button', { type: 'button', class: 'button secondary small', 'aria-label': text.downloadLabel(attachment.name) }, text.download);
  download.addEventListener('click', async () => {
    const target = await chooseTarget(window, attachment);
    if (!target) return;
    download.disabled = true;
    progress.hidden = false;
    status.classList.remove('problem');
    status.textContent = text.downloading;
    try {
      const onProgress = (done: number, total: number) => {
        progress.value = total > 0 ? done / total : 0;
        if (status.textContent !== text.downloading) status.textContent = text.downloading;
      };
      const onInterrupted = () => void (status.textContent = text.downloadResuming);
      await target.write(() => openAttachment(api, release, index, attachment, onProgress, { onInterrupted }));
      progress.value = 1;
      status.textContent = text.saved;
    } catch (error) {
      progress.hidden = true;
      status.classList.add('problem');
      status.textContent = failureText(error, text);
    } finally {
      download.disabled = false;
    }
  });
  return h(
    'li',
    { class: 'attachment' },
    h('span', { class: 'attachment-icon', 'aria-hidden': 'true' }),
    h('span', { class: 'attachment-name' }, attachment.name),
    h('span', { class: 'attachment-size' }, formatSize(attachment.size, language)),
    download,
    progress,
    status,
  );
}

/** What went wrong with a download, in words: tampering is told apart from a broken connection. */
function failureText(error: unknown, text: Text): string {
  if (error instanceof FormatError) return text.attachmentTampered; // a segment that does not authenticate, a cut or a wrong length
  if (error instanceof DownloadCancelled) return text.downloadCancelled;
  if (error instanceof ApiError && error.status === 401) return text.identifyAgainToDownload;
  if (isInterruption(error)) return text.downloadInterrupted;
  return text.downloadFailed;
}

/**
 * Sending a draft: sealed in this browser by client/'s sendMessage (labels and the
 * sender's copy sealed to the receipt key), uploaded with progress, each SMS and email
 * handed to the server to deliver; then every recipient's result, with a copyable link
 * where there was no delivery channel. Links live only in this view's memory.
 *
 * @example
 * const sent = await sendDraft(session, draft, (progress) => bar.value = progress.messageSent / progress.messageTotal);
 */
import { ApiError, sendMessage, type SentLink, type SentMessage, type UploadProgress } from '../../client/index.js';
import { copyField } from '../copy-field.js';
import { focusHeading, h } from '../../ui/dom.js';
import type { Session } from '../session.js';
import type { Texts } from '../texts.js';
import { attachmentOf } from './attachments.js';
import type { Draft } from './compose-view.js';

export type Phase = 'sealing' | 'uploading' | 'delivering';

export async function sendDraft(session: Session, draft: Draft, onPhase: (phase: Phase, progress?: UploadProgress) => void): Promise<SentMessage> {
  onPhase('sealing');
  let delivering = false;
  return sendMessage(
    {
      api: session.api,
      keys: session.keys,
      sent: session.sent,
      origin: session.origin,
      uploads: 'blob',
      onProgress(progress) {
        onPhase('uploading', progress);
        if (!delivering && progress.messageSent >= progress.messageTotal) {
          delivering = true;
          onPhase('delivering');
        }
      },
    },
    {
      links: draft.links,
      errand: draft.errand,
      text: draft.text,
      ...(draft.html !== undefined ? { html: draft.html } : {}),
      attachments: draft.files.map((file) => ({ ...attachmentOf(file), open: () => file.stream() })),
      language: draft.language,
      expiresAt: draft.expiresAt,
      ...(draft.readLimit !== undefined ? { readLimit: draft.readLimit } : {}),
      keepText: draft.keepText,
      email: 'server',
    },
  );
}

/** The progress panel shown while sending. */
export function progressPanel(t: Texts) {
  const status = h('p', { class: 'status', role: 'status' }, t.sealing);
  const bar = h('progress', { id: 'send-progress', max: 1, value: 0, 'aria-label': t.uploading });
  const heading = h('h2', {}, t.sendingHeading);
  const element = h('section', { class: 'card sending', 'aria-labelledby': 'sending-heading', 'data-state': 'sending' }, heading, status, bar);
  heading.id = 'sending-heading';
  return {
    element,
    show(phase: Phase, progress?: UploadProgress) {
      if (phase === 'uploading' && progress) {
        bar.value = progress.messageTotal === 0 ? 1 : progress.messageSent / progress.messageTotal;
        status.textContent = `${t.uploading} ${Math.round(bar.value * 100)} %`;
      } else status.textContent = phase === 'sealing' ? t.sealing : t.delivering;
    },
  };
}

function resultText(link: SentLink, t: Texts): string {
  switch (link.delivery) {
    case 'sms_sent':
      return t.resultSmsSent;
    case 'email_sent':
      return t.resultEmailSent;
    case 'sms_failed':
    case 'email_failed':
      return t.resultFailed(link.error?.code ?? link.delivery);
    case 'hand_over':
      return t.resultHandOver;
  }
}

/** Each recipient's result; a link to copy where nothing delivered it. */
export function resultsView(t: Texts, sent: SentMessage, actions: { another(): void; follow(): void }): HTMLElement {
  const heading = h('h2', { id: 'results-heading' }, t.sentHeading);
  const rows = sent.links.map((link, index) => {
    const handOver = link.delivery !== 'sms_sent' && link.delivery !== 'email_sent';
    const to = link.to.join(', ');
    const copyArea = handOver ? copyField(t, { id: `link-${index}`, value: link.link, label: t.linkFor(to), copy: t.copyLink }) : null;
    return h(
      'li',
      { class: `result ${handOver ? 'hand-over' : 'delivered'}`, 'data-delivery': link.delivery },
      h('span', { class: 'result-to' }, to),
      h('span', { class: 'result-state' }, resultText(link, t)),
      copyArea,
    );
  });
  const element = h(
    'section',
    { class: 'card results', 'aria-labelledby': 'results-heading', 'data-state': 'sent' },
    heading,
    h('ul', { class: 'results-list' }, ...rows),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'button primary', on: { click: actions.follow } }, t.followInSent),
      h('button', { type: 'button', class: 'button secondary', on: { click: actions.another } }, t.another),
    ),
  );
  queueMicrotask(() => focusHeading(heading));
  return element;
}

export function sendProblem(error: unknown, t: Texts): string {
  return t.sendFailed(error instanceof ApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error));
}

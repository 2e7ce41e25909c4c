/**
 * What the content script does with one composer: place "Send secure" beside Send, open
 * the secure frame over the body when it is pressed, answer the worker's questions about
 * the composer (subject, recipients), and at the end write the finished body (errand,
 * one sentence, the link) and take gateway addresses out of To. It never sees the secret
 * text or a key: those stay in the frame and the worker.
 */
import { encodeBase64url } from '../../shared/base64url.js';
import { ask, type ContentCommands, type Webmail } from '../messages.js';
import type { Composer, WebmailAdapter } from './adapter.js';
import { createSendSecureButton, type SendSecureButton } from './button.js';
import { ownText, writeOwnText } from './editor.js';
import { openSecureFrame, type SecureFrame } from './secure-frame.js';
import { text } from '../texts/index.js';

export class ComposerControl {
  sessionId: string | null = null;
  private frame: SecureFrame | null = null;
  private readonly button: SendSecureButton;
  /** What placeButton inserted (the host, or Gmail's toolbar cell holding it). */
  private placed: HTMLElement | null = null;

  constructor(
    private readonly composer: Composer,
    private readonly adapter: WebmailAdapter,
    private readonly register: (sessionId: string, control: ComposerControl) => void,
  ) {
    this.button = createSendSecureButton(() => void this.press());
    this.keepButton();
  }

  /**
   * Keeps exactly one "Send secure" beside Send. The webmails re-render their compose
   * toolbar (a recipient added, a resize, the formatting options), replacing its children
   * and our button with them; called after every DOM change, this puts it back before the
   * next paint, and removes any copy of our button the webmail carried along.
   */
  keepButton(): void {
    const { host } = this.button;
    for (const stray of this.root.querySelectorAll<HTMLElement>('[data-sigill="send-secure"], [data-sigill="send-secure-cell"]')) {
      if (stray !== host && stray !== this.placed && !stray.contains(host)) stray.remove();
    }
    if (host.isConnected && this.root.contains(host)) return;
    if (this.placed !== host) this.placed?.remove();
    this.placed = this.composer.placeButton(host);
  }

  get root(): HTMLElement {
    return this.composer.root;
  }

  private get webmail(): Webmail {
    return this.adapter.webmail;
  }

  async press(): Promise<void> {
    this.button.busy(true);
    try {
      if (this.sessionId && this.frame) {
        await ask('compose/proceed', { sessionId: this.sessionId });
        return;
      }
      const body = this.composer.body();
      if (!body) throw new Error('no body');
      const sessionId = encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
      const existingText = ownText(body, this.adapter.boundarySelector);
      const { frameUrl } = await ask('compose/open', { sessionId, webmail: this.webmail, existingText });
      this.sessionId = sessionId;
      this.register(sessionId, this);
      this.frame = openSecureFrame(body, frameUrl, () => this.frameLost());
      this.button.status('');
    } catch {
      this.button.status(text('button.openFailed'));
    } finally {
      this.button.busy(false);
    }
  }

  /** Answers one command from the worker for this composer's session. */
  async command<K extends keyof ContentCommands>(type: K, request: ContentCommands[K]['request']): Promise<ContentCommands[K]['response']> {
    switch (type) {
      case 'content/context':
        return { subject: this.composer.subject(), recipients: this.composer.recipients() } as ContentCommands[K]['response'];
      case 'content/clearExistingText': {
        const body = this.composer.body();
        if (body) {
          // The body is hidden under the frame; show it for the moment the editor needs focus.
          const display = body.style.display;
          body.style.display = '';
          writeOwnText(body, this.adapter.boundarySelector, '');
          body.style.display = display;
        }
        return { ok: true } as ContentCommands[K]['response'];
      }
      case 'content/close':
        this.close();
        return { ok: true } as ContentCommands[K]['response'];
      case 'content/stopped':
        this.stopped();
        return { ok: true } as ContentCommands[K]['response'];
      case 'content/finish': {
        const { bodyText, removeAddresses, smsFailed } = request as ContentCommands['content/finish']['request'];
        this.close();
        for (const address of removeAddresses) this.composer.removeRecipient(address);
        const body = this.composer.body();
        if (body && bodyText !== '') writeOwnText(body, this.adapter.boundarySelector, bodyText);
        const failed = smsFailed > 0 ? ` ${text('button.smsFailed', { count: smsFailed })}` : '';
        this.button.status(text(bodyText === '' ? 'button.smsOnly' : 'button.sealed') + failed);
        return { ok: true } as ContentCommands[K]['response'];
      }
    }
    throw new Error('unknown command');
  }

  /** After every DOM change: a frame taken out or replaced by the page is lost. */
  checkFrame(): void {
    if (this.frame && !this.frame.intact()) this.frameLost();
  }

  /** The page took the secure frame away or re-pointed it: stop the session, and say so. */
  private frameLost(): void {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    void ask('compose/frameLost', { sessionId }).catch(() => undefined);
    this.stopped();
  }

  private stopped(): void {
    this.close();
    this.button.status(text('button.stopped'));
  }

  close(): void {
    this.frame?.close();
    this.frame = null;
    this.sessionId = null;
  }

  /** The webmail removed the composer (sent or discarded). */
  gone(): void {
    if (this.sessionId) void ask('compose/gone', { sessionId: this.sessionId }).catch(() => undefined);
    this.close();
  }
}

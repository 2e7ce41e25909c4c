/**
 * SMS transports behind one interface: the development outbox (kept in memory, shown on
 * /dev/outbox), 46elks and Twilio (./46elks.ts, ./twilio.ts). A transport hands one text
 * to its provider once; retries, states and reports live in ./relay.ts and ./reports.ts.
 */
export interface SmsMessage {
  /** E.164 */
  to: string;
  text: string;
  /** Where the provider posts delivery reports (providers that report; never logged). */
  reportUrl?: string;
}

/** What the provider answered when it accepted the message. */
export interface SmsAccepted {
  /** The provider's id for the message (46elks `id`, Twilio `sid`). */
  providerId: string;
  /** The parts the provider counted, when it says. */
  parts: number | null;
}

export interface SmsTransport {
  readonly name: string;
  /** Resolves once the provider accepted the text; throws SmsProviderError otherwise. The outbox answers nothing. */
  send(message: SmsMessage): Promise<SmsAccepted | void>;
}

/**
 * A provider that did not accept the text. `transient` (timeout, 5xx, 429, no answer) may
 * be retried; `rejected` (4xx) and `invalid_answer` (a 2xx we cannot read: it may have
 * been accepted) never are.
 */
export class SmsProviderError extends Error {
  constructor(
    readonly kind: 'transient' | 'rejected' | 'invalid_answer',
    /** transport_failed: the transport itself threw (the development outbox's relay, a bug), not the provider. */
    readonly reason: 'provider_timeout' | 'provider_unavailable' | 'provider_rejected' | 'provider_answer_invalid' | 'transport_failed',
    /** The provider's code (Twilio's `code`, else the HTTP status); never text from the answer. */
    readonly providerError: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'SmsProviderError';
  }
}

export interface OutboxEntry extends SmsMessage {
  at: string;
}

export interface OutboxTransport extends SmsTransport {
  entries(): readonly OutboxEntry[];
}

/** An outbox kept elsewhere (a worker's view of the primary's outbox): entries come asynchronously. */
export interface OutboxSource extends SmsTransport {
  entries(): readonly OutboxEntry[] | Promise<readonly OutboxEntry[]>;
}

export function isOutbox(transport: SmsTransport): transport is OutboxSource {
  return typeof (transport as Partial<OutboxSource>).entries === 'function';
}

/** SIGILL_SMS_PROVIDER=none: no SMS provider; the relay route refuses before calling it. */
export const noSmsTransport: SmsTransport = {
  name: 'none',
  async send() {
    throw new Error('no SMS transport is configured');
  },
};

export function createOutboxTransport(clock: { now(): number }, keep = 200): OutboxTransport {
  const entries: OutboxEntry[] = [];
  return {
    name: 'outbox',
    async send(message) {
      entries.push({ to: message.to, text: message.text, at: new Date(clock.now()).toISOString() });
      if (entries.length > keep) entries.shift();
    },
    entries: () => entries,
  };
}

/** A phone number as the sender's status list shows it: the country code and the last two digits. */
export function maskPhoneNumber(e164: string): string {
  return `${e164.slice(0, 3)}…${e164.slice(-2)}`;
}

/**
 * SMS transports. The development outbox keeps the last messages in memory and shows
 * them on /dev/outbox; real providers come later behind the same interface.
 */
export interface SmsMessage {
  /** E.164 */
  to: string;
  text: string;
}

export interface SmsTransport {
  readonly name: string;
  send(message: SmsMessage): Promise<void>;
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

/** SIGILL_SMS_TRANSPORT=none: no SMS provider; the relay route refuses before calling it. */
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
      entries.push({ ...message, at: new Date(clock.now()).toISOString() });
      if (entries.length > keep) entries.shift();
    },
    entries: () => entries,
  };
}

/** A phone number as the sender's status list shows it: the country code and the last two digits. */
export function maskPhoneNumber(e164: string): string {
  return `${e164.slice(0, 3)}…${e164.slice(-2)}`;
}

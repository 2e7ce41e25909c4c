import cluster from 'node:cluster';
import type { EmailOutboxEntry, EmailOutboxSource } from '../delivery/email-outbox.js';
import type { EmailMessage } from '../delivery/email.js';
import type { OutboxEntry, OutboxSource, OutboxTransport, SmsMessage } from '../delivery/sms.js';

/**
 * The development outboxes (SMS and email) across workers. They stay in the primary's
 * memory and workers reach them over the cluster's IPC channel: what they hold carries
 * whole links, secret included, and a link never touches the disk, so an outbox cannot
 * live in the database file that the workers share.
 */
type OutboxRequest = { sigill: 'outbox'; id: number } & ({ kind: 'sms'; send?: SmsMessage } | { kind: 'email'; send?: EmailMessage });
interface OutboxReply {
  sigill: 'outbox-reply';
  id: number;
  entries?: OutboxEntry[] | EmailOutboxEntry[];
  /** An email's Message-ID, once kept. */
  messageId?: string;
}

const isRequest = (message: unknown): message is OutboxRequest => (message as OutboxRequest | null)?.sigill === 'outbox';
const isReply = (message: unknown): message is OutboxReply => (message as OutboxReply | null)?.sigill === 'outbox-reply';

/** In the primary: keeps every worker's SMS in `outbox` and emails in `emails`, and answers their reads. */
export function serveOutboxToWorkers(outbox: OutboxTransport | undefined, emails?: EmailOutboxSource): void {
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    void (async () => {
      let reply: OutboxReply = { sigill: 'outbox-reply', id: message.id };
      if (message.kind === 'sms' && outbox) {
        if (message.send) await outbox.send(message.send);
        else reply.entries = [...outbox.entries()];
      } else if (message.kind === 'email' && emails) {
        if (message.send) reply = { ...reply, messageId: (await emails.send(message.send)).messageId };
        else reply.entries = [...(await emails.entries())];
      }
      if (worker.isConnected()) worker.send(reply);
    })();
  });
}

let nextId = 0;
const pending = new Map<number, { resolve(reply: OutboxReply): void; reject(error: Error): void }>();
let listening = false;

/** One request to the primary, answered within `timeoutMs`. */
function ask(request: Omit<OutboxRequest, 'sigill' | 'id'>, timeoutMs: number): Promise<OutboxReply> {
  if (!listening) {
    listening = true;
    process.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      pending.get(message.id)?.resolve(message);
      pending.delete(message.id);
    });
  }
  return new Promise<OutboxReply>((resolve, reject) => {
    const id = ++nextId;
    const timer = setTimeout(() => fail(new Error('the primary did not answer')), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      pending.delete(id);
      reject(error);
    };
    pending.set(id, { resolve: (reply) => (clearTimeout(timer), resolve(reply)), reject: fail });
    if (!process.send) return fail(new Error('not a worker process'));
    process.send({ sigill: 'outbox', id, ...request }, undefined, {}, (error) => error && fail(error));
  });
}

/** In a worker: the SMS transport and outbox page source, answered by the primary. */
export function relayedOutbox(timeoutMs = 5_000): OutboxSource {
  return {
    name: 'outbox',
    async send(message) {
      await ask({ kind: 'sms', send: message }, timeoutMs);
    },
    async entries() {
      return ((await ask({ kind: 'sms' }, timeoutMs)).entries ?? []) as OutboxEntry[];
    },
  };
}

/** In a worker: the development email outbox, kept by the primary. */
export function relayedEmailOutbox(timeoutMs = 5_000): EmailOutboxSource {
  return {
    name: 'outbox',
    async send(message) {
      const { messageId } = await ask({ kind: 'email', send: message }, timeoutMs);
      if (!messageId) throw new Error('the primary keeps no email outbox');
      return { messageId };
    },
    close() {},
    async entries() {
      return ((await ask({ kind: 'email' }, timeoutMs)).entries ?? []) as EmailOutboxEntry[];
    },
  };
}

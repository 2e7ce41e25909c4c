import cluster from 'node:cluster';
import type { OutboxEntry, OutboxSource, OutboxTransport, SmsMessage } from '../delivery/sms.js';

/**
 * The development outbox across workers. It stays in the primary's memory and workers
 * reach it over the cluster's IPC channel: the SMS it holds carry whole links, secret
 * included, and a link never touches the disk, so the outbox cannot live in the
 * database file that the workers share.
 */
interface OutboxRequest {
  sigill: 'outbox';
  id: number;
  send?: SmsMessage;
}
interface OutboxReply {
  sigill: 'outbox-reply';
  id: number;
  entries?: OutboxEntry[];
}

const isRequest = (message: unknown): message is OutboxRequest => (message as OutboxRequest | null)?.sigill === 'outbox';
const isReply = (message: unknown): message is OutboxReply => (message as OutboxReply | null)?.sigill === 'outbox-reply';

/** In the primary: keeps every worker's SMS in `outbox` and answers their reads. */
export function serveOutboxToWorkers(outbox: OutboxTransport): void {
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    void (async () => {
      if (message.send) await outbox.send(message.send);
      const reply: OutboxReply = { sigill: 'outbox-reply', id: message.id, ...(message.send ? {} : { entries: [...outbox.entries()] }) };
      if (worker.isConnected()) worker.send(reply);
    })();
  });
}

/** In a worker: the SMS transport and outbox page source, answered by the primary. */
export function relayedOutbox(timeoutMs = 5_000): OutboxSource {
  let nextId = 0;
  const pending = new Map<number, { resolve(reply: OutboxReply): void; reject(error: Error): void }>();
  process.on('message', (message: unknown) => {
    if (!isReply(message)) return;
    pending.get(message.id)?.resolve(message);
    pending.delete(message.id);
  });
  const ask = (send?: SmsMessage) =>
    new Promise<OutboxReply>((resolve, reject) => {
      const id = ++nextId;
      const timer = setTimeout(() => fail(new Error('the primary did not answer')), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        pending.delete(id);
        reject(error);
      };
      pending.set(id, { resolve: (reply) => (clearTimeout(timer), resolve(reply)), reject: fail });
      const request: OutboxRequest = { sigill: 'outbox', id, ...(send ? { send } : {}) };
      if (!process.send) return fail(new Error('not a worker process'));
      process.send(request, undefined, {}, (error) => error && fail(error));
    });
  return {
    name: 'outbox',
    async send(message) {
      await ask(message);
    },
    async entries() {
      return (await ask()).entries ?? [];
    },
  };
}

/**
 * What the extension remembers of each message it sent: the errand in the clear (the
 * server holds it sealed), which receipt key it carried, and a label for each link
 * (who it went to). Never the message secret or a link.
 *
 * @example
 * await rememberSent({ messageId, errand, createdAt, receiptKey, links });
 */
import { get, put } from '../storage/database.js';

export interface SentRecord {
  messageId: string;
  errand: string;
  createdAt: string;
  receiptKey: string;
  links: { linkId: string; channel: 'email' | 'sms'; label: string }[];
}

const key = 'sent';
const kept = 200;

export async function sentMessages(): Promise<SentRecord[]> {
  return (await get<SentRecord[]>('kv', key)) ?? [];
}

export async function rememberSent(record: SentRecord): Promise<void> {
  const records = [record, ...(await sentMessages()).filter((old) => old.messageId !== record.messageId)].slice(0, kept);
  await put('kv', key, records);
}

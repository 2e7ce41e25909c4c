import { randomUUID } from 'node:crypto';
import type { UserRecord, UserRole } from '../store/account-types.js';
import type { Store } from '../store/types.js';
import { pnrHash } from './identity.js';

/**
 * Adding a user to a sender (the admin command, the admin API, the demo admin). The
 * personal identity number is hashed here and never kept.
 *
 * @example
 * const user = await addUser(store, key, { senderId, personalNumber: '199908072391', name: 'Test Testsson', role: 'admin' }, Date.now());
 */
export interface NewUser {
  senderId: string;
  /** 12 digits (personalNumberOf). */
  personalNumber: string;
  name: string;
  role: UserRole;
}

export class UnknownSenderError extends Error {
  override readonly name = 'UnknownSenderError';
}

export async function addUser(store: Store, key: Buffer, input: NewUser, now: number): Promise<UserRecord> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new RangeError('a user’s name has 1 to 100 characters');
  const senders = await store.senders.list();
  if (!senders.some((sender) => sender.id === input.senderId && sender.revokedAt === null)) throw new UnknownSenderError('no live sender with this id');
  const user: UserRecord = { id: randomUUID(), senderId: input.senderId, name, role: input.role, pnrHash: pnrHash(key, input.personalNumber), createdAt: now };
  await store.accounts.createUser(user);
  return user;
}

import type { Config } from '../config.js';
import type { Store } from '../store/types.js';
import { accountKey, pnrHash } from './identity.js';
import { addUser } from './users.js';

/**
 * The demo sender's admin on the development defaults: one of the simulator's test
 * identities, so that a newcomer can sign in to the toolbox with the BankID test app.
 *
 * @example
 * if (demoToken) await addDemoAdmin(store, config, demoSenderId, Date.now());
 * await hasDemoAdmin(store, config) // true
 */
export const demoAdmin = { personalNumber: '199908072391', name: 'Test Testsson' } as const;

export async function addDemoAdmin(store: Store, config: Config, senderId: string, now: number): Promise<void> {
  await addUser(store, accountKey(config), { senderId, personalNumber: demoAdmin.personalNumber, name: demoAdmin.name, role: 'admin' }, now);
}

export async function hasDemoAdmin(store: Store, config: Config): Promise<boolean> {
  return (await store.accounts.usersByPnrHash(pnrHash(accountKey(config), demoAdmin.personalNumber))).length > 0;
}

import { formatBackup, parseBackup, receiptKeyRing, type ReceiptKeyRing } from '../../client/receipt-keys.js';
import { ApiError, clientError } from '../../client/errors.js';
import type { KeyRingStore, StoredKeyRing } from '../../client/stores.js';
import type { Me, ReceiptKey, WrappedReceiptKey } from '../../shared/api/accounts.js';
import type { AccountsApi } from '../signin/api.js';
import { browserKeyRingStore } from './browser-store.js';
import { unwrapRing, wrapRing, type PrfOutput } from './prf-wrap.js';

export type { PrfOutput } from './prf-wrap.js';

/**
 * The sender's receipt keys in the toolbox, over client/'s receipt key ring and its one
 * backup format. The pair is made in the browser at the first sign-in.
 * - With a PRF passkey, the ring (as client/'s backup file) is stored on the server
 *   wrapped under a key derived from the passkey's PRF output (./prf-wrap.ts), so it
 *   opens wherever that passkey signs in; the server never holds it unwrapped.
 * - Without PRF, it stays in this browser's IndexedDB, sealed under a non-extractable
 *   AES-GCM key (./browser-store.ts), and the backup file moves it.
 *
 * `state` is `locked` when the server holds a wrapped ring this browser cannot open yet
 * (signed in by BankID on a new device, or with a passkey whose PRF output does not open
 * its copy): sign in with the passkey, or import the backup.
 *
 * @example
 * const keys = await receiptKeys(me, api, prf);
 * if (keys.state === 'ready') await sendMessage({ …, keys: keys.ring });
 */
export interface ToolboxKeys {
  readonly state: 'ready' | 'locked';
  /** client/'s ring for sendMessage and the sent log; throws `receipt_key_locked` while locked. */
  readonly ring: ReceiptKeyRing;
  exportBackup(): Promise<string>;
  /** Takes the backup's keys (unlocks a locked ring) and re-wraps for every PRF passkey it can. */
  importBackup(text: string): Promise<void>;
  /** Wraps the ring under a PRF passkey's output (just registered or signed in with) and stores it on the server. */
  wrapFor(prf: PrfOutput): Promise<void>;
}

export async function receiptKeys(me: Me, api: AccountsApi, prf?: PrfOutput): Promise<ToolboxKeys> {
  const local = browserKeyRingStore(me.user.id);
  const onServer = me.receiptKey;
  /** PRF outputs this page holds (the passkey it signed in with, or one just registered). */
  const outputs = new Map<string, PrfOutput>(prf ? [[prf.credentialId, prf]] : []);
  let wrapped: WrappedReceiptKey[] = onServer?.wrapped ?? [];
  let publicKey = onServer?.publicKey ?? null;

  let opened: StoredKeyRing | null = null;
  const entry = prf && wrapped.find((candidate) => candidate.credentialId === prf.credentialId);
  if (prf && entry) {
    opened = await unwrapRing(prf, entry).catch((error: unknown) => {
      if (!(error instanceof ApiError && error.code === 'receipt_key_unwrap_failed')) throw error;
      return null;
    });
    // An output that does not open its copy (the passkey's PRF secret is not this one) never wraps the ring: it would replace the copy that opens.
    if (opened === null) outputs.delete(prf.credentialId);
  }
  if (opened === null) {
    const mine = await local.load();
    if (mine && (publicKey === null || mine.current.receiptKey === publicKey)) opened = mine;
  }
  if (opened) await local.save(opened);
  // The server knows a ring this browser cannot open (BankID on a new device): locked until the passkey or the backup opens it.
  let locked = opened === null && publicKey !== null;
  let current = opened;

  /** Stores the public key, and the ring wrapped under every PRF output held; other passkeys' copies stay while the current key is the same. */
  async function publish(ring: StoredKeyRing): Promise<void> {
    const fresh = await Promise.all([...outputs.values()].map((output) => wrapRing(output, ring)));
    const kept = ring.current.receiptKey === publicKey ? wrapped.filter((candidate) => !outputs.has(candidate.credentialId)) : [];
    const next: ReceiptKey = { publicKey: ring.current.receiptKey, wrapped: [...kept, ...fresh] };
    await api.putReceiptKey(next);
    ({ publicKey, wrapped } = next);
  }
  const store: KeyRingStore = {
    async load() {
      if (locked) throw clientError('receipt_key_locked', 'sign in with your passkey or import your receipt key backup to open receipts here');
      return current;
    },
    async save(ring) {
      current = ring;
      await local.save(ring);
      await publish(ring);
    },
  };
  const ring = receiptKeyRing(store);
  if (!locked) {
    // First sign-in: the ring makes the pair and saves it, which publishes it. A PRF passkey without a copy yet gets one.
    const made = current === null;
    await ring.current();
    if (!made && (publicKey === null || (prf !== undefined && entry === undefined))) await publish(current!);
  }

  return {
    get state() {
      return locked ? 'locked' : 'ready';
    },
    ring,
    async exportBackup() {
      await ring.current();
      return formatBackup(current!);
    },
    async importBackup(text) {
      await parseBackup(text);
      locked = false;
      await ring.importBackup(text);
    },
    async wrapFor(output) {
      outputs.set(output.credentialId, output);
      await ring.current();
      await publish(current!);
    },
  };
}

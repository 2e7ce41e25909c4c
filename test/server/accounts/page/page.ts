/**
 * A bare page for the sign-in modules' Chromium test: it mounts toolbox/signin and keeps
 * what the app would get, so the test can read it. Built by vite from this folder and
 * served by the test from the server's own origin (cookies and the passkey's RP ID).
 */
import { mountSignIn, signInTexts, signOut, type SignedIn } from '../../../../toolbox/signin/index.js';
import { decodeBase64url, encodeBase64url } from '../../../../shared/base64url.js';
import { openReceipt } from '../../../../shared/receipts.js';

declare global {
  interface Window {
    signedIn?: SignedIn;
    test: {
      mount(): void;
      signOut(): Promise<void>;
      state(): string | undefined;
      currentReceiptKey(): Promise<string>;
      openReceipt(receiptKey: string, messageId: string, sealed: string): Promise<string>;
      exportBackup(): Promise<string>;
      importBackup(text: string): Promise<void>;
      databases(): Promise<string[]>;
    };
  }
}

const root = document.getElementById('root')!;
window.test = {
  mount() {
    window.signedIn = undefined;
    mountSignIn(root, signInTexts.en, (signedIn) => {
      window.signedIn = signedIn;
      root.replaceChildren(Object.assign(document.createElement('p'), { id: 'signed-in', textContent: `Signed in as ${signedIn.me.user.name}` }));
    });
  },
  signOut: async () => {
    await signOut();
    window.signedIn = undefined;
  },
  state: () => window.signedIn?.keys.state,
  currentReceiptKey: async () => encodeBase64url((await window.signedIn!.keys.ring.current()).receiptKey),
  async openReceipt(receiptKey, messageId, sealed) {
    const privateKey = await window.signedIn!.keys.ring.privateKeyFor(receiptKey);
    if (!privateKey) return 'no private key';
    const receipt = await openReceipt(privateKey, decodeBase64url(messageId), decodeBase64url(sealed));
    return receipt.name;
  },
  exportBackup: () => window.signedIn!.keys.exportBackup(),
  importBackup: (text) => window.signedIn!.keys.importBackup(text),
  databases: async () => (await indexedDB.databases()).map((database) => database.name ?? ''),
};

import { startAuthentication, startRegistration, type PublicKeyCredentialCreationOptionsJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { decodeBase64url } from '../../shared/base64url.js';
import type { PrfOutput } from '../keys/index.js';
import type { AccountsApi } from './api.js';

/**
 * Passkeys through @simplewebauthn/browser. Every ceremony asks for the PRF extension
 * with the server's prfSalt; the PRF output stays in the page (it wraps the receipt key)
 * and is taken out of the response before anything is sent.
 *
 * @example
 * const prf = await signInWithPasskey(api);        // signed in; prf undefined without PRF
 * const { prf: enabled } = await registerPasskey(api, 'Laptop');
 */
type ExtensionResults = { prf?: { enabled?: boolean; results?: { first?: BufferSource } } };

/** The PRF output of a ceremony, and the response without it (what the server gets). */
function splitPrf(credential: { id: string; clientExtensionResults: unknown }): { prf: PrfOutput | undefined; enabled: boolean; clean: unknown } {
  const results = (credential.clientExtensionResults ?? {}) as ExtensionResults;
  const first = results.prf?.results?.first;
  const output = first === undefined ? undefined : new Uint8Array(ArrayBuffer.isView(first) ? first.buffer.slice(first.byteOffset, first.byteOffset + first.byteLength) : first);
  const clean = { ...credential, clientExtensionResults: { ...results, prf: results.prf ? { enabled: results.prf.enabled ?? output !== undefined } : undefined } };
  if (!results.prf) delete (clean.clientExtensionResults as ExtensionResults).prf;
  return { prf: output ? { credentialId: credential.id, output } : undefined, enabled: results.prf?.enabled === true || output !== undefined, clean };
}

const prfInput = (prfSalt: string) => ({ prf: { eval: { first: decodeBase64url(prfSalt, 32, 'prfSalt') } } });

/** Signs in with a discoverable passkey (or only `credentialId`'s); answers the PRF output where the passkey has PRF. */
export async function signInWithPasskey(api: AccountsApi, credentialId?: string): Promise<PrfOutput | undefined> {
  const { options, prfSalt } = await api.passkeySignInOptions();
  const optionsJSON = {
    ...(options as unknown as PublicKeyCredentialRequestOptionsJSON),
    ...(credentialId ? { allowCredentials: [{ id: credentialId, type: 'public-key' as const }] } : {}),
    extensions: prfInput(prfSalt) as PublicKeyCredentialRequestOptionsJSON['extensions'],
  };
  const { prf, clean } = splitPrf(await startAuthentication({ optionsJSON }));
  await api.passkeySignIn(clean);
  return prf;
}

/**
 * Registers a passkey for the signed-in user, asking for PRF. `prf` is the output where
 * the authenticator gave it at creation; `prfEnabled` says whether it has PRF at all
 * (then a sign-in with it gives the output).
 */
export async function registerPasskey(api: AccountsApi, name: string): Promise<{ credentialId: string; prf: PrfOutput | undefined; prfEnabled: boolean }> {
  const { options, prfSalt } = await api.passkeyRegistrationOptions();
  const optionsJSON = { ...(options as unknown as PublicKeyCredentialCreationOptionsJSON), extensions: prfInput(prfSalt) as PublicKeyCredentialCreationOptionsJSON['extensions'] };
  const credential = await startRegistration({ optionsJSON });
  const { prf, enabled, clean } = splitPrf(credential);
  await api.registerPasskey(clean, name);
  return { credentialId: credential.id, prf, prfEnabled: enabled };
}

import { createHash } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { PasskeyOptions } from '../../shared/api/accounts.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import type { AppDeps } from '../deps.js';
import { AppError, badRequest } from '../errors.js';
import { hashCapability } from '../http/secrets.js';
import type { ChallengePurpose, UserRecord } from '../store/account-types.js';

/**
 * Passkeys through @simplewebauthn/server: the relying party is the public origin's host,
 * user verification is required, every challenge is stored hashed and taken once
 * (5 minutes). Every ceremony carries the PRF input (`prfSalt`, one fixed value) whose
 * output wraps the receipt key in the browser; a response that carries the output
 * itself is refused (`prf_output_sent`), so it never reaches the server.
 *
 * @example
 * const options = await registrationOptions(deps, user);
 * await registerPasskey(deps, user, body.response, body.name);
 */
const challengeMs = 5 * 60_000;

export const prfSalt = encodeBase64url(createHash('sha256').update('sigill/toolbox/prf-input').digest());

const relyingParty = (publicOrigin: string) => ({ rpID: new URL(publicOrigin).hostname, origin: publicOrigin });

async function keepChallenge(deps: AppDeps, challenge: string, purpose: ChallengePurpose, userId: string | null) {
  await deps.store.accounts.addChallenge({ challengeHash: hashCapability(challenge), purpose, userId, expiresAt: deps.clock.now() + challengeMs });
}

/** The expectedChallenge check: takes the challenge once, and (registration) for this user only. */
const takeChallenge = (deps: AppDeps, purpose: ChallengePurpose, userId: string | null) => async (challenge: string) => {
  const taken = await deps.store.accounts.takeChallenge(hashCapability(challenge), purpose, deps.clock.now());
  return taken !== undefined && taken.userId === userId;
};

function refusePrfOutput(response: { clientExtensionResults?: unknown }): void {
  const prf = (response.clientExtensionResults as { prf?: { results?: unknown } } | undefined)?.prf;
  if (prf?.results !== undefined) throw badRequest('prf_output_sent', 'the PRF output must stay in the browser; send the response without prf.results');
}

const refused = (message: string) => new AppError(401, 'passkey_refused', message);

export async function registrationOptions(deps: AppDeps, user: UserRecord): Promise<PasskeyOptions> {
  const { rpID } = relyingParty(deps.config.publicOrigin);
  const existing = await deps.store.accounts.listPasskeys(user.id);
  const options = await generateRegistrationOptions({
    rpName: 'Sigill',
    rpID,
    userName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports as AuthenticatorTransport[] })),
  });
  await keepChallenge(deps, options.challenge, 'registration', user.id);
  return { options: options as unknown as Record<string, unknown>, prfSalt };
}

export async function registerPasskey(deps: AppDeps, user: UserRecord, response: RegistrationResponseJSON, name: string): Promise<void> {
  refusePrfOutput(response);
  const { rpID, origin } = relyingParty(deps.config.publicOrigin);
  let verified;
  try {
    verified = await verifyRegistrationResponse({ response, expectedChallenge: takeChallenge(deps, 'registration', user.id), expectedOrigin: origin, expectedRPID: rpID, requireUserVerification: true });
  } catch {
    throw badRequest('passkey_invalid', 'the passkey could not be registered: its answer does not check out; try again');
  }
  if (!verified.verified || !verified.registrationInfo) throw badRequest('passkey_invalid', 'the passkey could not be registered; try again');
  const { credential } = verified.registrationInfo;
  const prf = (response.clientExtensionResults as { prf?: { enabled?: boolean } }).prf?.enabled === true;
  await deps.store.accounts.addPasskey({
    id: credential.id,
    userId: user.id,
    name,
    publicKey: encodeBase64url(credential.publicKey),
    counter: credential.counter,
    transports: credential.transports ?? [],
    prf,
    createdAt: deps.clock.now(),
    lastUsedAt: null,
  });
}

export async function authenticationOptions(deps: AppDeps): Promise<PasskeyOptions> {
  const { rpID } = relyingParty(deps.config.publicOrigin);
  const options = await generateAuthenticationOptions({ rpID, userVerification: 'required' });
  await keepChallenge(deps, options.challenge, 'authentication', null);
  return { options: options as unknown as Record<string, unknown>, prfSalt };
}

/** Checks a passkey sign-in; answers the user to start the session for. */
export async function authenticate(deps: AppDeps, response: AuthenticationResponseJSON): Promise<string> {
  refusePrfOutput(response);
  const { store, clock } = deps;
  const { rpID, origin } = relyingParty(deps.config.publicOrigin);
  const passkey = await store.accounts.passkey(response.id);
  if (!passkey) throw refused('this passkey is not registered here; sign in with BankID');
  let verified;
  try {
    verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: takeChallenge(deps, 'authentication', null),
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: passkey.id, publicKey: decodeBase64url(passkey.publicKey) as Uint8Array<ArrayBuffer>, counter: passkey.counter, transports: passkey.transports as AuthenticatorTransport[] },
      requireUserVerification: true,
    });
  } catch {
    throw refused('the passkey’s answer does not check out; try again');
  }
  if (!verified.verified) throw refused('the passkey’s answer does not check out; try again');
  if (!(await store.accounts.usePasskey(passkey.id, verified.authenticationInfo.newCounter, clock.now()))) throw refused('this passkey’s counter went back: it may have been copied');
  return passkey.userId;
}

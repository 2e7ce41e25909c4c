import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';

/**
 * A synced passkey provider for browser tests, as Google Password Manager or iCloud
 * Keychain are: the credentials (the key pair and the PRF secret) live in one
 * `PasskeyVault` that every browser profile it is installed in shares, so a passkey made
 * in one profile signs in in another with the same PRF output. CDP's virtual
 * authenticator cannot do that: a credential copied with WebAuthn.getCredentials and
 * addCredential carries no hmac-secret seed (Chromium 156), so it has no PRF at all.
 *
 * The page's `navigator.credentials.create/get` for publicKey requests are answered in
 * Node (a Playwright binding): a real ES256 key pair, authenticator data with the RP ID
 * hash, flags UP, UV, BE, BS (and AT with the attested credential data and COSE key on
 * creation), signCount 0 as synced passkeys have; attestation `none`; clientDataJSON with
 * the calling frame's origin and the request's challenge; a real signature; and the PRF
 * extension as WebAuthn specifies it over hmac-secret: HMAC-SHA-256(secret,
 * SHA-256("WebAuthn PRF" || 0x00 || salt)).
 *
 * @example
 * const vault = new PasskeyVault();
 * await installSyncedPasskeys(profileA.context, vault);
 * await installSyncedPasskeys(profileB.context, vault);   // the same passkeys, synced
 * await installSyncedPasskeys(profileC.context, vault, { prfSecretOf: () => randomBytes(32) });   // the same keys, another PRF secret
 */
export interface SyncedCredential {
  id: Buffer;
  rpId: string;
  userHandle: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  prfSecret: Buffer;
}

export class PasskeyVault {
  readonly credentials: SyncedCredential[] = [];
  forRp(rpId: string): SyncedCredential[] {
    return this.credentials.filter((credential) => credential.rpId === rpId);
  }
}

export interface ProviderOptions {
  /** The PRF (hmac-secret) secret this provider uses for a credential; the vault's by default. */
  prfSecretOf?: (credential: SyncedCredential) => Buffer;
}

/** What the page sends: the request's buffers as base64url. */
interface Descriptor {
  id: string;
}
interface PrfValues {
  first: string;
  second?: string;
}
interface PrfInput {
  eval?: PrfValues;
  evalByCredential?: Record<string, PrfValues>;
}
interface CreateRequest {
  kind: 'create';
  challenge: string;
  rpId?: string;
  userId: string;
  algorithms: number[];
  excludeCredentials: Descriptor[];
  prf?: PrfInput;
  credProps: boolean;
}
interface GetRequest {
  kind: 'get';
  challenge: string;
  rpId?: string;
  allowCredentials: Descriptor[];
  prf?: PrfInput;
}

/** A DOMException's name and message, which the page throws. */
class ProviderRefusal {
  constructor(
    readonly name: string,
    readonly message: string,
  ) {}
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (...parts: Uint8Array[]) => createHash('sha256').update(Buffer.concat(parts)).digest();

/** A CBOR byte string's or text string's head (major type 2 or 3). */
function cborHead(major: 2 | 3, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
}
const cborBytes = (bytes: Uint8Array) => Buffer.concat([cborHead(2, bytes.length), bytes]);
const cborText = (text: string) => Buffer.concat([cborHead(3, Buffer.byteLength(text)), Buffer.from(text)]);

/** The COSE_Key of a P-256 public key: {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}. */
function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  return Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21]), cborBytes(x), Buffer.from([0x22]), cborBytes(y)]);
}

const flags = { userPresent: 0x01, userVerified: 0x04, backupEligible: 0x08, backedUp: 0x10, attestedCredentialData: 0x40 };

function authenticatorData(credential: SyncedCredential, attested: boolean): Buffer {
  const flagByte = flags.userPresent | flags.userVerified | flags.backupEligible | flags.backedUp | (attested ? flags.attestedCredentialData : 0);
  const head = Buffer.concat([sha256(Buffer.from(credential.rpId)), Buffer.from([flagByte]), Buffer.alloc(4)]); // signCount 0
  if (!attested) return head;
  const idLength = Buffer.from([credential.id.length >> 8, credential.id.length & 0xff]);
  return Buffer.concat([head, Buffer.alloc(16), idLength, credential.id, coseKey(credential.publicKey)]); // AAGUID zero: attestation none
}

/** WebAuthn's PRF over CTAP2's hmac-secret. */
export function prfOutput(secret: Buffer, salt: Buffer): Buffer {
  return createHmac('sha256', secret).update(sha256(Buffer.from('WebAuthn PRF'), Buffer.from([0]), salt)).digest();
}

/** The RP ID: the request's, which must be the origin's host or a parent domain of it. */
function rpIdFor(origin: string, requested: string | undefined): string {
  const host = new URL(origin).hostname;
  const rpId = requested ?? host;
  if (host !== rpId && !host.endsWith(`.${rpId}`)) throw new ProviderRefusal('SecurityError', `the RP ID ${rpId} is not this origin's`);
  return rpId;
}

function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

function prfResults(input: PrfInput | undefined, credential: SyncedCredential, secret: Buffer) {
  const values = input?.evalByCredential?.[b64(credential.id)] ?? input?.eval;
  if (!values) return undefined;
  return { first: b64(prfOutput(secret, Buffer.from(values.first, 'base64url'))), ...(values.second ? { second: b64(prfOutput(secret, Buffer.from(values.second, 'base64url'))) } : {}) };
}

function create(vault: PasskeyVault, options: ProviderOptions, origin: string, request: CreateRequest) {
  const rpId = rpIdFor(origin, request.rpId);
  if (!request.algorithms.includes(-7)) throw new ProviderRefusal('NotSupportedError', 'only ES256 passkeys here');
  const excluded = new Set(request.excludeCredentials.map((descriptor) => descriptor.id));
  if (vault.forRp(rpId).some((credential) => excluded.has(b64(credential.id)))) throw new ProviderRefusal('InvalidStateError', 'a passkey of this list is already here');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credential: SyncedCredential = { id: randomBytes(32), rpId, userHandle: Buffer.from(request.userId, 'base64url'), privateKey, publicKey, prfSecret: randomBytes(32) };
  // One passkey per user account and RP: a new one replaces the old (as the providers do).
  vault.credentials.splice(0, vault.credentials.length, ...vault.credentials.filter((other) => !(other.rpId === rpId && other.userHandle.equals(credential.userHandle))));
  vault.credentials.push(credential);
  const authData = authenticatorData(credential, true);
  const attestationObject = Buffer.concat([Buffer.from([0xa3]), cborText('fmt'), cborText('none'), cborText('attStmt'), Buffer.from([0xa0]), cborText('authData'), cborBytes(authData)]);
  const results = request.prf ? prfResults(request.prf, credential, (options.prfSecretOf ?? ((c) => c.prfSecret))(credential)) : undefined;
  return {
    id: b64(credential.id),
    clientDataJSON: b64(clientData('webauthn.create', request.challenge, origin)),
    attestationObject: b64(attestationObject),
    authenticatorData: b64(authData),
    publicKey: b64(publicKey.export({ format: 'der', type: 'spki' })),
    extensions: { ...(request.prf ? { prf: { enabled: true, ...(results ? { results } : {}) } } : {}), ...(request.credProps ? { credProps: { rk: true } } : {}) },
  };
}

function get(vault: PasskeyVault, options: ProviderOptions, origin: string, request: GetRequest) {
  const rpId = rpIdFor(origin, request.rpId);
  const allowed = new Set(request.allowCredentials.map((descriptor) => descriptor.id));
  const candidates = vault.forRp(rpId).filter((credential) => allowed.size === 0 || allowed.has(b64(credential.id)));
  if (candidates.length === 0) throw new ProviderRefusal('NotAllowedError', 'no passkey for this site');
  const credential = candidates.at(-1)!; // the newest, as the user would pick in the account chooser
  const authData = authenticatorData(credential, false);
  const clientDataJSON = clientData('webauthn.get', request.challenge, origin);
  const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey); // DER, as ES256 in WebAuthn
  const results = prfResults(request.prf, credential, (options.prfSecretOf ?? ((c) => c.prfSecret))(credential));
  return {
    id: b64(credential.id),
    clientDataJSON: b64(clientDataJSON),
    authenticatorData: b64(authData),
    signature: b64(signature),
    userHandle: b64(credential.userHandle),
    extensions: request.prf ? { prf: results ? { results } : {} } : {},
  };
}

/** Answers every page of `context` from `vault` instead of the browser's authenticators. */
export async function installSyncedPasskeys(context: BrowserContext, vault: PasskeyVault, options: ProviderOptions = {}): Promise<void> {
  await context.exposeBinding('__syncedPasskey', ({ frame }, request: CreateRequest | GetRequest) => {
    const origin = new URL(frame.url()).origin;
    try {
      return { ok: request.kind === 'create' ? create(vault, options, origin, request) : get(vault, options, origin, request) };
    } catch (error) {
      if (error instanceof ProviderRefusal) return { refused: { name: error.name, message: error.message } };
      throw error;
    }
  });
  // The function's source runs in the page: `__name` is what the test transform (esbuild's keepNames) may call in it.
  await context.addInitScript({ content: `var __name = (target) => target; (${pageProvider.toString()})();` });
}

/** Runs in the page: turns a publicKey request into the binding's JSON and its answer into a PublicKeyCredential-like object. */
function pageProvider(): void {
  type Binding = (request: unknown) => Promise<{ ok?: Record<string, unknown> & { extensions: Record<string, unknown> }; refused?: { name: string; message: string } }>;
  const binding = () => (globalThis as unknown as { __syncedPasskey: Binding }).__syncedPasskey;
  const toBytes = (source: BufferSource) => (source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength));
  const encode = (source: BufferSource) => btoa(String.fromCharCode(...toBytes(source))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const decode = (text: string): ArrayBuffer => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
  type PrfValues = { first: BufferSource; second?: BufferSource };
  const prfValues = (values: PrfValues) => ({ first: encode(values.first), ...(values.second ? { second: encode(values.second) } : {}) });
  const prfIn = (prf: { eval?: PrfValues; evalByCredential?: Record<string, PrfValues> } | undefined) =>
    prf && {
      ...(prf.eval ? { eval: prfValues(prf.eval) } : {}),
      ...(prf.evalByCredential ? { evalByCredential: Object.fromEntries(Object.entries(prf.evalByCredential).map(([id, values]) => [id, prfValues(values)])) } : {}),
    };
  const prfOut = (extensions: Record<string, unknown>) => {
    const prf = extensions.prf as { enabled?: boolean; results?: { first: string; second?: string } } | undefined;
    if (!prf) return extensions;
    const results = prf.results && { first: decode(prf.results.first), ...(prf.results.second ? { second: decode(prf.results.second) } : {}) };
    return { ...extensions, prf: { ...(prf.enabled !== undefined ? { enabled: prf.enabled } : {}), ...(results ? { results } : {}) } };
  };
  async function ask(request: unknown, signal: AbortSignal | undefined) {
    if (signal?.aborted) throw new DOMException('the request was aborted', 'AbortError');
    const answer = await binding()(request);
    if (answer.refused) throw new DOMException(answer.refused.message, answer.refused.name);
    return answer.ok!;
  }
  const credential = (answer: Record<string, unknown> & { extensions: Record<string, unknown> }, response: object) => {
    const extensions = prfOut(answer.extensions);
    return { id: answer.id, rawId: decode(answer.id as string), type: 'public-key', authenticatorAttachment: 'platform', response, getClientExtensionResults: () => extensions };
  };
  const container = navigator.credentials;
  const originalCreate = container.create.bind(container);
  const originalGet = container.get.bind(container);
  Object.defineProperty(container, 'create', {
    value: async (options?: CredentialCreationOptions) => {
      const publicKey = options?.publicKey;
      if (!publicKey) return originalCreate(options);
      const extensions = (publicKey.extensions ?? {}) as { prf?: Parameters<typeof prfIn>[0]; credProps?: boolean };
      const answer = await ask(
        {
          kind: 'create',
          challenge: encode(publicKey.challenge),
          rpId: publicKey.rp.id,
          userId: encode(publicKey.user.id),
          algorithms: publicKey.pubKeyCredParams.map((param) => param.alg),
          excludeCredentials: (publicKey.excludeCredentials ?? []).map((descriptor) => ({ id: encode(descriptor.id) })),
          prf: prfIn(extensions.prf),
          credProps: extensions.credProps === true,
        },
        options.signal ?? undefined,
      );
      const authenticatorData = decode(answer.authenticatorData as string);
      const spki = decode(answer.publicKey as string);
      return credential(answer, {
        clientDataJSON: decode(answer.clientDataJSON as string),
        attestationObject: decode(answer.attestationObject as string),
        getTransports: () => ['hybrid', 'internal'],
        getAuthenticatorData: () => authenticatorData,
        getPublicKey: () => spki,
        getPublicKeyAlgorithm: () => -7,
      });
    },
  });
  Object.defineProperty(container, 'get', {
    value: async (options?: CredentialRequestOptions) => {
      const publicKey = options?.publicKey;
      if (!publicKey) return originalGet(options);
      const extensions = (publicKey.extensions ?? {}) as { prf?: Parameters<typeof prfIn>[0] };
      const answer = await ask(
        { kind: 'get', challenge: encode(publicKey.challenge), rpId: publicKey.rpId, allowCredentials: (publicKey.allowCredentials ?? []).map((descriptor) => ({ id: encode(descriptor.id) })), prf: prfIn(extensions.prf) },
        options.signal ?? undefined,
      );
      return credential(answer, {
        clientDataJSON: decode(answer.clientDataJSON as string),
        authenticatorData: decode(answer.authenticatorData as string),
        signature: decode(answer.signature as string),
        userHandle: decode(answer.userHandle as string),
      });
    },
  });
}

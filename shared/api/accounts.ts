import { z } from 'zod';
import { base64url, timeSchema } from './common.js';

/**
 * The toolbox's account shapes: BankID and passkey sign-in, the signed-in user (`/me`),
 * passkeys, the PRF-wrapped receipt key, and the admin API for users and API tokens.
 * Sessions are a cookie (`sigill_session`, HttpOnly, SameSite=Lax); a personal identity
 * number is sent only to add a user and is never answered back.
 *
 * @example
 * const me: Me = meSchema.parse(await (await fetch('/api/v1/me')).json());
 */
export const roleSchema = z.enum(['admin', 'member']).meta({ id: 'Role', description: 'admin: manages users, API tokens and webhooks and sees every message of the sender; member: sees their own' });

export const userIdSchema = z.string().uuid().meta({ description: 'A user id (UUID)', example: '5b0c3f5e-9a3e-4c7e-8f57-3f0a2b1c9d4e' });

export const userSchema = z
  .object({ id: userIdSchema, name: z.string().meta({ example: 'Anna Andersson' }), role: roleSchema })
  .meta({ id: 'User' });

export const signInIdSchema = base64url('The sign-in id: 16 random bytes, base64url; the browser’s capability for this BankID sign-in').length(22);

export const bankIdSignInStartedSchema = z
  .object({
    signInId: signInIdSchema,
    autoStartToken: z.string().meta({ description: 'Opens BankID on this device (shared/bankid/launch-url.ts)' }),
  })
  .meta({ id: 'BankIdSignInStarted' });

export const bankIdSignInParamsSchema = z.object({ signInId: z.string().meta({ description: 'The signInId from POST /session/bankid' }) });

export const bankIdSignInStateSchema = z
  .union([
    z.object({ status: z.literal('pending'), hintCode: z.string(), qr: z.string().meta({ description: 'Animated QR string for this second' }) }),
    z.object({ status: z.literal('failed'), hintCode: z.string() }),
    z.object({ status: z.literal('unknown_user').meta({ description: 'BankID identified someone who is no user of any sender' }) }),
    z.object({ status: z.literal('approved').meta({ description: 'Signed in: this answer sets the session cookie' }) }),
  ])
  .meta({ id: 'BankIdSignInState' });

/**
 * WebAuthn JSON (as @simplewebauthn makes and reads it), checked loosely here and
 * fully by @simplewebauthn/server. `clientExtensionResults.prf.results` (the PRF output,
 * the receipt key's wrapping secret) must never be sent: the server refuses it.
 */
const webAuthnJson = (id: string, description: string) => z.looseObject({}).meta({ id, description });

export const passkeyOptionsSchema = z
  .object({
    options: webAuthnJson('WebAuthnOptions', 'PublicKeyCredentialRequestOptionsJSON or …CreationOptionsJSON, for @simplewebauthn/browser'),
    prfSalt: base64url('The PRF input (eval.first) for the receipt key’s wrapping secret: the same for every credential of this server').length(43),
  })
  .meta({ id: 'PasskeyOptions' });

const credentialResponseSchema = z
  .looseObject({ id: base64url('The credential id').min(16).max(1366), rawId: z.string(), type: z.literal('public-key'), response: z.looseObject({}) })
  .meta({ id: 'WebAuthnCredential', description: 'RegistrationResponseJSON or AuthenticationResponseJSON from @simplewebauthn/browser, without PRF results' });

export const passkeySignInRequestSchema = z.object({ response: credentialResponseSchema }).strict().meta({ id: 'PasskeySignInRequest' });

export const passkeyRegistrationRequestSchema = z
  .object({ response: credentialResponseSchema, name: z.string().trim().min(1).max(100).meta({ example: 'Laptop' }) })
  .strict()
  .meta({ id: 'PasskeyRegistrationRequest' });

export const passkeyParamsSchema = z.object({ passkeyId: z.string().max(1366).meta({ description: 'The credential id (base64url)' }) });

export const passkeySchema = z
  .object({
    id: base64url('The credential id'),
    name: z.string(),
    createdAt: timeSchema,
    prf: z.boolean().meta({ description: 'Whether the authenticator has the PRF extension (the receipt key can be wrapped under it)' }),
  })
  .meta({ id: 'Passkey' });

export const wrappedReceiptKeySchema = z
  .object({
    credentialId: base64url('The passkey whose PRF output wraps this copy'),
    salt: base64url('HKDF salt, 32 bytes').length(43),
    iv: base64url('AES-GCM nonce, 12 bytes').length(16),
    ciphertext: base64url('AES-256-GCM of the receipt key backup file (client/’s format) under HKDF-SHA-256(PRF output, salt, "sigill/toolbox/receipt-key")').min(22).max(65536),
  })
  .strict()
  .meta({ id: 'WrappedReceiptKey' });

export const receiptKeySchema = z
  .object({
    publicKey: base64url('The current receipt key (X25519 public key) messages carry').length(43),
    wrapped: z.array(wrappedReceiptKeySchema).max(20),
  })
  .strict()
  .meta({ id: 'ReceiptKey', description: 'The browser made the pair; the server holds only the public key and copies wrapped under passkeys’ PRF outputs' });

export const meSchema = z
  .object({
    user: userSchema,
    sender: z.object({ id: z.string(), name: z.string() }),
    passkeys: z.array(passkeySchema),
    receiptKey: receiptKeySchema.nullable(),
  })
  .meta({ id: 'Me' });

const personalNumberSchema = z.string().max(20).meta({ description: 'Personal identity number; stored only as a keyed hash, never answered back', example: '198112189876' });

export const userParamsSchema = z.object({ userId: userIdSchema });

export const userListEntrySchema = userSchema.extend({ createdAt: timeSchema, passkeys: z.number().int() }).meta({ id: 'UserListEntry' });
export const userListSchema = z.object({ users: z.array(userListEntrySchema) }).meta({ id: 'UserList' });

export const createUserRequestSchema = z
  .object({ personalNumber: personalNumberSchema, name: z.string().trim().min(1).max(100), role: roleSchema })
  .strict()
  .meta({ id: 'CreateUserRequest' });

export const updateUserRequestSchema = z
  .object({ name: z.string().trim().min(1).max(100).optional(), role: roleSchema.optional() })
  .strict()
  .meta({ id: 'UpdateUserRequest' });

export const tokenParamsSchema = z.object({ tokenId: z.string().max(64) });

export const apiTokenSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: timeSchema })
  .meta({ id: 'ApiToken', description: 'An API token (sender-wide, acts as an admin); the token itself is shown only once, at creation' });

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) }).meta({ id: 'ApiTokenList' });

export const createTokenRequestSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict().meta({ id: 'CreateTokenRequest' });

export const createdTokenSchema = apiTokenSchema.extend({ token: z.string().meta({ description: 'The token: shown this once, stored only hashed' }) }).meta({ id: 'CreatedToken' });

export type Role = z.infer<typeof roleSchema>;
export type User = z.infer<typeof userSchema>;
export type BankIdSignInStarted = z.infer<typeof bankIdSignInStartedSchema>;
export type BankIdSignInState = z.infer<typeof bankIdSignInStateSchema>;
export type PasskeyOptions = z.infer<typeof passkeyOptionsSchema>;
export type PasskeySignInRequest = z.infer<typeof passkeySignInRequestSchema>;
export type PasskeyRegistrationRequest = z.infer<typeof passkeyRegistrationRequestSchema>;
export type Passkey = z.infer<typeof passkeySchema>;
export type WrappedReceiptKey = z.infer<typeof wrappedReceiptKeySchema>;
export type ReceiptKey = z.infer<typeof receiptKeySchema>;
export type Me = z.infer<typeof meSchema>;
export type UserListEntry = z.infer<typeof userListEntrySchema>;
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;
export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedToken = z.infer<typeof createdTokenSchema>;

import type {
  ApiToken,
  BankIdSignInStarted,
  BankIdSignInState,
  CreatedToken,
  CreateUserRequest,
  Me,
  PasskeyOptions,
  ReceiptKey,
  UpdateUserRequest,
  UserListEntry,
} from '../../shared/api/accounts.js';
import type { CreatedWebhookEndpoint, CreateWebhookRequest, WebhookEndpoint } from '../../shared/api/webhooks.js';
import { createHttp, type Fetch } from '../../client/http.js';

/**
 * The toolbox's account API (shared/api/accounts.ts, and the sender's webhooks from
 * shared/api/webhooks.ts for the admin page) over client/'s one HTTP layer, with
 * the session cookie (`credentials: 'same-origin'`). The browser's fetch sends `Origin`
 * on every POST, PUT, PATCH and DELETE, which the server checks.
 *
 * @example
 * const api = accountsApi();
 * const { signInId } = await api.startBankId();
 */
export interface AccountsApi {
  startBankId(): Promise<BankIdSignInStarted>;
  bankIdState(signInId: string): Promise<BankIdSignInState>;
  cancelBankId(signInId: string): Promise<void>;
  passkeySignInOptions(): Promise<PasskeyOptions>;
  passkeySignIn(response: unknown): Promise<void>;
  me(): Promise<Me>;
  passkeyRegistrationOptions(): Promise<PasskeyOptions>;
  registerPasskey(response: unknown, name: string): Promise<void>;
  deletePasskey(passkeyId: string): Promise<void>;
  putReceiptKey(receiptKey: ReceiptKey): Promise<void>;
  signOut(): Promise<void>;
  users(): Promise<UserListEntry[]>;
  createUser(user: CreateUserRequest): Promise<UserListEntry>;
  updateUser(userId: string, change: UpdateUserRequest): Promise<UserListEntry>;
  deleteUser(userId: string): Promise<void>;
  tokens(): Promise<ApiToken[]>;
  createToken(name: string): Promise<CreatedToken>;
  revokeToken(tokenId: string): Promise<void>;
  webhooks(): Promise<WebhookEndpoint[]>;
  /** The answer holds the endpoint's signing secret: shown once. */
  createWebhook(request: CreateWebhookRequest): Promise<CreatedWebhookEndpoint>;
  deleteWebhook(endpointId: string): Promise<void>;
  /** Turns on an endpoint that was turned off after failing, its failure count reset. */
  enableWebhook(endpointId: string): Promise<WebhookEndpoint>;
}

export function accountsApi(options: { baseUrl?: string; fetch?: Fetch } = {}): AccountsApi {
  const http = createHttp({ baseUrl: options.baseUrl ?? '', credentials: 'same-origin', ...(options.fetch ? { fetch: options.fetch } : {}) });
  const send = async (method: string, path: string, body?: unknown) => {
    await http.request(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  };
  const id = encodeURIComponent;
  return {
    startBankId: () => http.json('POST', '/session/bankid', {}),
    bankIdState: (signInId) => http.json('GET', `/session/bankid/${id(signInId)}`),
    cancelBankId: (signInId) => send('DELETE', `/session/bankid/${id(signInId)}`),
    passkeySignInOptions: () => http.json('POST', '/session/passkey/options', {}),
    passkeySignIn: (response) => send('POST', '/session/passkey', { response }),
    me: () => http.json('GET', '/me'),
    passkeyRegistrationOptions: () => http.json('POST', '/me/passkeys/options', {}),
    registerPasskey: (response, name) => send('POST', '/me/passkeys', { response, name }),
    deletePasskey: (passkeyId) => send('DELETE', `/me/passkeys/${id(passkeyId)}`),
    putReceiptKey: (receiptKey) => send('PUT', '/me/receipt-key', receiptKey),
    signOut: () => send('DELETE', '/session'),
    users: async () => (await http.json<{ users: UserListEntry[] }>('GET', '/users')).users,
    createUser: (user) => http.json('POST', '/users', user),
    updateUser: (userId, change) => http.json('PATCH', `/users/${id(userId)}`, change),
    deleteUser: (userId) => send('DELETE', `/users/${id(userId)}`),
    tokens: async () => (await http.json<{ tokens: ApiToken[] }>('GET', '/tokens')).tokens,
    createToken: (name) => http.json('POST', '/tokens', { name }),
    revokeToken: (tokenId) => send('DELETE', `/tokens/${id(tokenId)}`),
    webhooks: async () => (await http.json<{ endpoints: WebhookEndpoint[] }>('GET', '/webhooks')).endpoints,
    createWebhook: (request) => http.json('POST', '/webhooks', request),
    deleteWebhook: (endpointId) => send('DELETE', `/webhooks/${id(endpointId)}`),
    enableWebhook: (endpointId) => http.json('POST', `/webhooks/${id(endpointId)}/enable`, {}),
  };
}

/**
 * The API's request and response types, shared by the server's clients (extension,
 * toolbox, CLI, recipient page). Binary values are base64url text. The server's
 * schemas (server/messages/schemas.ts) are the source of the OpenAPI document; these
 * types describe the same shapes for clients that must not import server code.
 */
export interface CreateMessageRequest {
  messageId: string;
  errand: string;
  authVerifier: string;
  receiptKey: string;
  expiresAt?: string;
  readLimit?: number;
  payloads: { index: number; length: number }[];
  recipients: { linkId: string; readers: '*' | string[] }[];
}

export interface LinkStatus {
  linkId: string;
  readers: '*' | number;
  deliveries: { channel: 'sms'; recipient: string; status: 'sent' | 'failed'; at: string }[];
  openedAt: string | null;
  verificationStartedAt: string | null;
  readAt: string | null;
  reads: number;
  deniedAttempts: number;
  lastDeniedAt: string | null;
}

export interface MessageStatus {
  messageId: string;
  state: 'uploading' | 'ready' | 'revoked' | 'expired';
  errand: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  readLimit: number | null;
  payloads: { index: number; length: number }[];
  /** How many payloads are uploaded; the message is ready when all are. */
  payloadsStored: number;
  links: LinkStatus[];
  receipts: { linkId: string; receipt: string; at: string }[];
}

/** GET /api/v1/links/{linkId} */
export interface LinkInfo {
  messageId: string;
  format: 1;
  errand: string;
  sender: { name: string };
  expiresAt: string;
  payloads: { index: number; length: number }[];
}

/** GET /api/v1/verifications/{verificationId} */
export type VerificationState =
  | { status: 'pending'; hintCode: string; qr: string }
  | { status: 'failed'; hintCode: string }
  | { status: 'denied' }
  | { status: 'approved'; name: string; releaseToken: string };

/** Every error response. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/**
 * The API's types for clients, all inferred from the zod schemas in shared/api/ (the one
 * definition the server validates with and the OpenAPI document is made from).
 *
 * @example
 * import type { MessageStatus } from '../shared/api.js';
 */
export type { ApiErrorBody } from './api/common.js';
export type {
  CreateMessageRequest,
  DeliveryRequest,
  Delivery,
  LinkStatus,
  MessageList,
  MessageListQuery,
  MessageStatus,
  RecipientRequest,
  Sender,
  SmsRequest,
  SmsResult,
  UploadResult,
} from './api/messages.js';
export type { ChunkResult, PayloadUpload } from './api/uploads.js';
export type { LinkInfo, StartVerificationRequest, VerificationStarted, VerificationState } from './api/recipient.js';

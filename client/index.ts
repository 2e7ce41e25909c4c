/**
 * client/: what every sending and reading app shares (the extension's worker and pages,
 * the recipient page, the CLI, the tests). Built on shared/ + fetch + Web Streams only:
 * no DOM, no Node, no extension APIs. See client/README.md.
 */
export { ApiError } from './errors.js';
export type { Fetch, HttpOptions } from './http.js';
export { senderApi, type SenderApi, type UploadOptions } from './sender-api.js';
export { recipientApi, type RecipientApi } from './recipient-api.js';
export { labelOf, planLinks, planRecipients, type EmailDelivery, type PlannedLink } from './link-plan.js';
export { createAndUpload, sendMessage, uploadPayloads, type SendContext, type UploadContext, type SendInput, type SentLink, type SentMessage, type UploadProgress } from './send.js';
export { emailBody, languages, openingSentence, smsText, type Language } from './texts.js';
export { formatSize } from './sizes.js';
export { resendDelivery, type ResendContext } from './resend.js';
export { resumeSend, type ResumedSend } from './resume.js';
export { finishSend, type UploadedMessage } from './deliver.js';
export { messageView, sentMessage, sentMessages, type DeliveryView, type LinkView, type MessageView, type Read, type StatusContext } from './status.js';
export { backupFormat, backupVersion, formatBackup, parseBackup, receiptKeyRing, type ReceiptKeyBackup, type ReceiptKeyRing } from './receipt-keys.js';
export { memoryStores, type KeyRingStore, type SentLog, type SentRecord, type SettingsStore, type StoredKeyPair, type StoredKeyRing } from './stores.js';
export {
  openAttachment,
  openContent,
  openLink,
  openLinkText,
  openPayload,
  readMessage,
  releaseOf,
  startReading,
  waitForVerification,
  type OpenedLink,
  type Progress,
  type Release,
} from './read.js';
export { isInterruption, resumingPayload, type PayloadSource, type ResumeOptions } from './payload-stream.js';
export type { AttachmentSource } from '../shared/seal-message.js';
export type { RecipientLabel, SenderCopy } from '../shared/labels.js';
export { checkServerUrl, type SenderSettings } from './settings.js';
export { blobSource, bytesSource, streamSource, type ByteSource } from './byte-source.js';
export { sealChunk, uploadChunked, type ChunkedPayload, type ChunkedUpload, type ChunkedUploadOptions } from './upload.js';
export { chunkBytes, chunkContentRange, chunkCount, chunkPlaintextBytes, chunkRange } from '../shared/chunks.js';
export type { ChunkResult, PayloadUpload } from '../shared/api.js';

/**
 * BankID for the server: the RP API v6.0 client, its helpers, and the simulator.
 * See README.md in this folder.
 */
export { systemClock, createManualClock, type Clock, type ManualClock } from './clock.js';
export { createBankIdClient, bankIdBaseUrls, type BankIdClient, type BankIdClientOptions, type BankIdCallEvent } from './client.js';
export { BankIdError, scrubIdentifiers, type BankIdErrorCode } from './errors.js';
export { qrData, qrTimeAt, qrAuthCode, parseQrData, isQrAuthCodeValid, type QrInput, type ParsedQrData } from './qr.js';
export { launchUrl, deviceFromUserAgent, type LaunchUrl, type LaunchUrlInput, type LaunchDevice } from '../../shared/bankid/launch-url.js';
export { userMessage, rfaTexts, type Language, type RfaCode, type UserMessage, type UserMessageContext, type UserMessageSubject } from './user-messages.js';
export { encodeUserData, decodeUserData } from './user-data.js';
export { bankIdLimits, checkOrderRequest, checkOrderRefRequest, isPersonalNumber } from './request-fields.js';
export { parseBankIdIssueDate } from './responses.js';
export type * from './types.js';

export {
  startBankIdSimulator,
  createBankIdSimulatorApps,
  defaultSimulatorDataDir,
  type BankIdSimulator,
  type BankIdSimulatorApps,
  type BankIdSimulatorOptions,
} from './simulator/server.js';
export { loadOrCreatePki, generateSimulatorPki, type SimulatorPki } from './simulator/pki.js';
export { orderTimings } from './simulator/orders.js';
export { testIdentities, identityFor, type TestIdentity } from './simulator/identities.js';
export { qrMaxAgeSeconds, type TestApp, type OrderSummary, type PickupOptions } from './simulator/test-app.js';
export { TestAppError, type TestAppErrorCode } from './simulator/errors.js';
export type { InjectedFailure } from './simulator/injected-failures.js';
export { bankIdRootCertificates } from './bankid-roots.js';

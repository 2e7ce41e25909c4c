import type { Logger } from 'pino';
import type { BankIdClient, Clock } from './bankid/index.js';
import type { Config } from './config.js';
import type { EmailTransport } from './delivery/email.js';
import type { SmsTransport } from './delivery/sms.js';
import type { BlobStore } from './store/blob-store.js';
import type { Store } from './store/types.js';

/** Everything the app depends on, passed in so that tests build a fresh app each time. */
export interface AppDeps {
  config: Config;
  store: Store;
  blobs: BlobStore;
  bankId: BankIdClient;
  sms: SmsTransport;
  /** The SMTP transport (SIGILL_SMTP_URL); absent: the server sends no email. */
  mail?: EmailTransport;
  clock: Clock;
  logger: Logger;
}

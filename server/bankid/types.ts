/**
 * BankID Relying Party API v6.0 request and response types, named as BankID names them.
 * Binary fields (`userVisibleData`, `userNonVisibleData`) are base64 of UTF-8, as on the wire;
 * use `encodeUserData()` to make them.
 */

/** A 12-digit Swedish personal identity number, `YYYYMMDDNNNC`. */
export type PersonalNumber = string;

export type CardReader = 'class1' | 'class2';
export type UserVisibleDataFormat = 'simpleMarkdownV1';
export type CallInitiator = 'user' | 'RP';

export interface Requirement {
  /** Only this person can complete the order (12 digits). */
  personalNumber?: PersonalNumber;
  /** Force PIN even if the user has biometrics enabled. */
  pinCode?: boolean;
  /** The user must scan a Swedish passport or national ID card (gives `stepUp.mrtd`). */
  mrtd?: boolean;
  cardReader?: CardReader;
  /** Allowed user certificate policy OIDs; one trailing `*` allowed from the 5th arc. */
  certificatePolicies?: string[];
}

/** Phone orders accept only these requirement fields. */
export type PhoneRequirement = Pick<Requirement, 'pinCode' | 'certificatePolicies'>;

/** Device data when the order is started from a native app. */
export interface AppDeviceData {
  appIdentifier: string;
  deviceOS: string;
  deviceModelName: string;
  deviceIdentifier: string;
}

/** Device data when the order is started from a browser. */
export interface WebDeviceData {
  referringDomain: string;
  /** At most 256 characters. */
  userAgent: string;
  deviceIdentifier: string;
}

export interface AuthRequest {
  endUserIp: string;
  requirement?: Requirement;
  /** base64, 1–1 500 characters. */
  userVisibleData?: string;
  /** base64, 1–1 500 characters. */
  userNonVisibleData?: string;
  userVisibleDataFormat?: UserVisibleDataFormat;
  /** 1–512 characters; the app opens it when a same-device order is done. */
  returnUrl?: string;
  returnRisk?: boolean;
  app?: AppDeviceData;
  web?: WebDeviceData;
}

export interface SignRequest extends AuthRequest {
  /** base64, 1–40 000 characters; required for sign. */
  userVisibleData: string;
  /** base64, 1–200 000 characters. */
  userNonVisibleData?: string;
}

export interface PhoneAuthRequest {
  personalNumber: PersonalNumber;
  callInitiator: CallInitiator;
  requirement?: PhoneRequirement;
  userVisibleData?: string;
  userNonVisibleData?: string;
  userVisibleDataFormat?: UserVisibleDataFormat;
}

export interface PhoneSignRequest extends PhoneAuthRequest {
  userVisibleData: string;
}

/** Answer to `/auth` and `/sign`. Keep `qrStartSecret` on the server. */
export interface OrderResponse {
  orderRef: string;
  autoStartToken: string;
  qrStartToken: string;
  qrStartSecret: string;
}

/** Answer to `/phone/auth` and `/phone/sign`. */
export interface PhoneOrderResponse {
  orderRef: string;
}

export type KnownPendingHintCode =
  | 'outstandingTransaction'
  | 'noClient'
  | 'started'
  | 'userMrtd'
  | 'userCallConfirm'
  | 'userSign';

export type KnownFailedHintCode =
  | 'expiredTransaction'
  | 'certificateErr'
  | 'userCancel'
  | 'cancelled'
  | 'startFailed'
  | 'userDeclinedCall'
  | 'notSupportedByUserApp'
  | 'transactionRiskBlocked';

/** Hint codes are an open set: BankID adds codes without notice and clients must tolerate them. */
export type PendingHintCode = KnownPendingHintCode | (string & {});
export type FailedHintCode = KnownFailedHintCode | (string & {});

export type Risk = 'low' | 'moderate' | 'high';

export interface CompletionData {
  user: { personalNumber: PersonalNumber; name: string; givenName: string; surname: string };
  device: { ipAddress: string; uhi: string };
  /** `YYYY-MM-DD`, sometimes with a `Z` suffix; read it with `parseBankIdIssueDate()`. */
  bankIdIssueDate: string;
  stepUp?: { mrtd: boolean };
  /** base64 of the XML-DSig document. */
  signature: string;
  /** base64 of the DER OCSP response for the user certificate. */
  ocspResponse: string;
  risk?: Risk | (string & {});
}

export type CollectResponse =
  | { orderRef: string; status: 'pending'; hintCode: PendingHintCode }
  | { orderRef: string; status: 'failed'; hintCode: FailedHintCode }
  | { orderRef: string; status: 'complete'; completionData: CompletionData };

/** The RP API's paths, relative to `/rp/v6.0/`. */
export type BankIdPath = 'auth' | 'sign' | 'phone/auth' | 'phone/sign' | 'collect' | 'cancel';
export type OrderPath = 'auth' | 'sign' | 'phone/auth' | 'phone/sign';

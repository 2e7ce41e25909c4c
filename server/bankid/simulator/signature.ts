/**
 * `completionData.signature`: an enveloping XML-DSig document with BankID's structure, really
 * signed (RSA-SHA256) by the simulated user's key. `bankIdSignedData` echoes the RP's base64
 * `userVisibleData` / `userNonVisibleData`, the RP in `srvInfo` and the app in `clientInfo`.
 * References: `#bidSignedData` (Type `http://www.bankid.com/signature/v1.0.0/types`) and
 * `#bidKeyInfo`, both SHA-256 with inclusive C14N. KeyInfo carries user → customer CA → bank CA.
 */
import { SignedXml } from 'xml-crypto';
import { pemToBase64Der } from './certificates.js';

export const bankIdSignatureTypes = 'http://www.bankid.com/signature/v1.0.0/types';
const c14n = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const sha256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const rsaSha256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

export interface BankIdSignedData {
  funcId: 'Identification' | 'Signing';
  userVisibleData?: string;
  userVisibleDataFormat?: string;
  userNonVisibleData?: string;
  /** The RP certificate's subject DN. */
  rpName: string;
  rpDisplayName: string;
  /** base64 of random bytes. */
  nonce: string;
  /** `IOS`, `ANDROID`, `OS_X`, `WINDOWS`… */
  clientType: string;
  deviceInfo: string;
  uhi: string;
  certificatePolicy: string;
  pinCode: boolean;
}

export interface SignatureSigner {
  userCertPem: string;
  userKeyPem: string;
  /** Issuers from the user up, root not included. */
  chainPems: string[];
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

function signedDataXml(data: BankIdSignedData): string {
  const visible =
    data.userVisibleData === undefined
      ? ''
      : `<usrVisibleData charset="UTF-8"${data.userVisibleDataFormat === undefined ? '' : ` format="${data.userVisibleDataFormat}"`} visible="wysiwys">${data.userVisibleData}</usrVisibleData>`;
  const nonVisible = data.userNonVisibleData === undefined ? '' : `<usrNonVisibleData>${data.userNonVisibleData}</usrNonVisibleData>`;
  return (
    `<bankIdSignedData xmlns="${bankIdSignatureTypes}" Id="bidSignedData">${visible}${nonVisible}` +
    `<srvInfo><name>${base64(data.rpName)}</name><nonce>${data.nonce}</nonce><displayName>${base64(data.rpDisplayName)}</displayName></srvInfo>` +
    `<clientInfo><funcId>${data.funcId}</funcId><version>${base64('Personal=9.0.0.1&BankID_exe=9.0.0.1&simulator=sigill')}</version>` +
    `<env><ai><type>${base64(data.clientType)}</type><deviceInfo>${base64(data.deviceInfo)}</deviceInfo><uhi>${data.uhi}</uhi>` +
    `<fsib>0</fsib><utb>cs1</utb><requirement><condition><type>CertificatePolicies</type><value>${data.certificatePolicy}</value></condition>` +
    `${data.pinCode ? '<condition><type>PinCode</type><value>true</value></condition>' : ''}</requirement>` +
    `<uauth>pw</uauth></ai></env></clientInfo></bankIdSignedData>`
  );
}

/** The signature document (XML text, not yet base64). */
export function signBankIdSignedData(data: BankIdSignedData, signer: SignatureSigner): string {
  const certificates = [signer.userCertPem, ...signer.chainPems].map((pem) => `<X509Certificate>${pemToBase64Der(pem)}</X509Certificate>`);
  const signedXml = new SignedXml({
    privateKey: signer.userKeyPem,
    signatureAlgorithm: rsaSha256,
    canonicalizationAlgorithm: c14n,
    getKeyInfoContent: () => `<X509Data>${certificates.join('')}</X509Data>`,
    objects: [{ content: signedDataXml(data) }],
  });
  signedXml.keyInfoAttributes = { Id: 'bidKeyInfo' };
  signedXml.addReference({ xpath: "//*[@Id='bidSignedData']", transforms: [c14n], digestAlgorithm: sha256, type: bankIdSignatureTypes });
  signedXml.addReference({ xpath: "//*[@Id='bidKeyInfo']", transforms: [c14n], digestAlgorithm: sha256 });
  // xml-crypto places the signature inside a document; sign into a bare holder and keep only <Signature>.
  signedXml.computeSignature('<holder/>');
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>${signedXml.getSignatureXml()}`;
}

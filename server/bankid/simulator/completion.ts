/**
 * Builds `completionData` as BankID sends it: user, device (ipAddress, uhi), bankIdIssueDate,
 * stepUp when mrtd was required, risk when asked, the XML signature made with the simulated
 * user's certificate, and an OCSP response for that certificate.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { CompletionData } from '../types.js';
import { issueCertificate, oids } from './certificates.js';
import { uhiFor, type TestIdentity } from './identities.js';
import { buildOcspResponse } from './ocsp.js';
import type { Order } from './orders.js';
import { userCertificateExtensions, type SimulatorPki } from './pki.js';
import { signBankIdSignedData } from './signature.js';

/** The address BankID "sees" the app at when the user is on another device than the RP's page. */
const otherDeviceIpAddress = '192.0.2.44';

export class CompletionFactory {
  private readonly userCertificates = new Map<string, string>();

  constructor(
    private readonly pki: SimulatorPki,
    private readonly clock: Clock,
  ) {}

  build(order: Order, identity: TestIdentity): CompletionData {
    const request = order.request as {
      endUserIp?: string;
      userVisibleData?: string;
      userVisibleDataFormat?: string;
      userNonVisibleData?: string;
      returnRisk?: boolean;
      requirement?: { mrtd?: boolean; pinCode?: boolean };
    };
    const name = `${identity.givenName} ${identity.surname}`;
    const uhi = uhiFor(identity);
    const userCertPem = this.userCertificate(identity);
    const signatureXml = signBankIdSignedData(
      {
        funcId: order.kind.endsWith('sign') ? 'Signing' : 'Identification',
        userVisibleData: request.userVisibleData,
        userVisibleDataFormat: request.userVisibleDataFormat,
        userNonVisibleData: request.userNonVisibleData,
        rpName: order.rp.subject,
        rpDisplayName: order.rp.displayName,
        nonce: randomBytes(20).toString('base64'),
        clientType: order.pickedUpBy === 'autostart' ? 'OS_X' : 'IOS',
        deviceInfo: order.pickedUpBy === 'autostart' ? '14.5' : '17.4',
        uhi,
        certificatePolicy: oids.testBankIdOnFile,
        pinCode: request.requirement?.pinCode === true,
      },
      { userCertPem, userKeyPem: this.pki.userKeyPem, chainPems: [this.pki.customerCa.certPem, this.pki.bankCa.certPem] },
    );
    const ocspResponse = buildOcspResponse({
      userCertPem,
      issuer: this.pki.customerCa,
      responder: this.pki.ocspResponder,
      signatureXml,
      producedAt: new Date(this.clock.now()),
    });
    const sameDevice = order.pickedUpBy === 'autostart' && request.endUserIp !== undefined;
    const completionData: CompletionData = {
      user: { personalNumber: identity.personalNumber, name, givenName: identity.givenName, surname: identity.surname },
      device: { ipAddress: identity.ipAddress ?? (sameDevice ? (request.endUserIp as string) : otherDeviceIpAddress), uhi },
      bankIdIssueDate: identity.bankIdIssueDate ?? '2023-01-01Z',
      signature: Buffer.from(signatureXml, 'utf8').toString('base64'),
      ocspResponse,
    };
    if (request.requirement?.mrtd === true) completionData.stepUp = { mrtd: true };
    if (request.returnRisk === true) completionData.risk = identity.risk ?? 'low';
    return completionData;
  }

  /** One certificate per person, all on the shared user key, issued by the customer CA. */
  private userCertificate(identity: TestIdentity): string {
    const key = `${identity.personalNumber}|${identity.givenName}|${identity.surname}`;
    let certPem = this.userCertificates.get(key);
    if (certPem === undefined) {
      const name = `${identity.givenName} ${identity.surname}`;
      certPem = issueCertificate({
        subject: [
          { name: 'countryName', value: 'SE' },
          { name: 'organizationName', value: 'Simulated Bank AB (publ)' },
          { name: 'surname', value: identity.surname },
          { name: 'givenName', value: identity.givenName },
          { name: 'serialNumber', value: identity.personalNumber },
          { type: oids.name, value: name },
          { name: 'commonName', value: name },
        ],
        issuer: this.pki.customerCa,
        keyPem: this.pki.userKeyPem,
        notBefore: new Date(Date.UTC(2020, 0, 1)),
        notAfter: new Date(Date.UTC(2040, 0, 1)),
        extensions: userCertificateExtensions(),
      }).certPem;
      this.userCertificates.set(key, certPem);
    }
    return certPem;
  }
}

import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bankIdRootCertificates } from '../../../server/bankid/index.js';

describe("BankID's SSL root certificates", () => {
  it.each([
    ['test', 'CN=Test BankID SSL Root CA v1 Test', 'F3:D0:74:0E:BF:B3:70:0E:3B:81:AA:79:1F:EE:45:14:72:69:8C:84:E1:99:C2:EB:48:A4:43:FF:1D:5B:40:5C'],
    ['production', 'CN=BankID SSL Root CA v1', 'E6:A2:D4:5C:0A:10:51:C9:59:42:86:49:F8:6A:09:A9:B2:15:2C:D5:51:99:3C:C2:EB:4C:F0:94:BD:AC:BE:CB'],
  ] as const)('%s root has the fingerprint BANKID.md lists', (environment, commonName, fingerprint) => {
    const certificate = new X509Certificate(bankIdRootCertificates[environment]);
    expect(certificate.fingerprint256).toBe(fingerprint);
    expect(certificate.subject).toContain(commonName);
    expect(certificate.ca).toBe(true);
    expect(new Date(certificate.validTo).getUTCFullYear()).toBe(2034);
  });
});

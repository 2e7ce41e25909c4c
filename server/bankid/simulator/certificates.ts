/**
 * Certificate building blocks for the simulator's own PKI, on node-forge with native RSA key
 * generation. Only the simulator uses these.
 */
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';

const { pki, asn1 } = forge;

export interface KeyedCertificate {
  certPem: string;
  keyPem: string;
}

export interface CertificateSpec {
  subject: forge.pki.CertificateField[];
  issuer?: KeyedCertificate; // absent: self-signed
  /** A reused key pair (PEM); absent: a fresh 2048-bit RSA key. */
  keyPem?: string;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  extensions?: object[];
}

export const oids = {
  name: '2.5.4.41',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  testBankIdOnFile: '1.2.3.4.5',
} as const;

/** Issues a certificate; every one is RSA 2048 with SHA-256. */
export function issueCertificate(spec: CertificateSpec): KeyedCertificate {
  const keys = spec.keyPem === undefined ? pki.rsa.generateKeyPair({ bits: 2048 }) : keyPairFromPem(spec.keyPem);
  const certificate = pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
  certificate.validity.notBefore = spec.notBefore ?? new Date(now - 24 * 3600_000);
  certificate.validity.notAfter = spec.notAfter ?? new Date(now + 10 * 365 * 24 * 3600_000);
  certificate.setSubject(spec.subject);
  const issuerCertificate = spec.issuer === undefined ? certificate : pki.certificateFromPem(spec.issuer.certPem);
  certificate.setIssuer(issuerCertificate.subject.attributes);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: spec.ca === true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(spec.ca === true ? [{ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }] : []),
    ...(spec.extensions ?? []),
  ];
  if (spec.issuer !== undefined) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerCertificate.generateSubjectKeyIdentifier().getBytes() });
  }
  certificate.setExtensions(extensions);
  const signingKey = spec.issuer === undefined ? keys.privateKey : pki.privateKeyFromPem(spec.issuer.keyPem);
  certificate.sign(signingKey, forge.md.sha256.create());
  return { certPem: pki.certificateToPem(certificate), keyPem: spec.keyPem ?? pki.privateKeyToPem(keys.privateKey) };
}

function keyPairFromPem(keyPem: string): forge.pki.rsa.KeyPair {
  const privateKey = pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  return { privateKey, publicKey: pki.setRsaPublicKey(privateKey.n, privateKey.e) };
}

/** The certificatePolicies extension with one policy OID. */
export function certificatePolicy(policyOid: string): object {
  return {
    id: '2.5.29.32',
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
      asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(policyOid).getBytes()),
      ]),
    ]),
  };
}

/** PKCS#12 with AES-256 (loads in Node 17+ without the legacy provider). */
export function toPkcs12(entity: KeyedCertificate, chainPems: string[], passphrase: string): Buffer {
  const p12 = forge.pkcs12.toPkcs12Asn1(
    pki.privateKeyFromPem(entity.keyPem),
    [entity.certPem, ...chainPems].map((pem) => pki.certificateFromPem(pem)),
    passphrase,
    { algorithm: 'aes256', friendlyName: 'rp' },
  );
  return Buffer.from(asn1.toDer(p12).getBytes(), 'binary');
}

/** Base64 DER of a PEM certificate, as in `<X509Certificate>`. */
export function pemToBase64Der(certPem: string): string {
  return certPem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

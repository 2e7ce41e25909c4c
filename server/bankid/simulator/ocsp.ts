/**
 * `completionData.ocspResponse`: a DER OCSP response (RFC 6960, basic) saying the user's
 * certificate is `good`, signed by the customer CA's OCSP responder, with a critical nonce
 * extension (32 bytes: SHA-256 of the signature document, binding the two).
 */
import { createHash } from 'node:crypto';
import forge from 'node-forge';
import type { KeyedCertificate } from './certificates.js';

const { asn1, pki } = forge;
const { Class, Type } = asn1;

const ocspOids = { basic: '1.3.6.1.5.5.7.48.1.1', nonce: '1.3.6.1.5.5.7.48.1.2', sha1: '1.3.14.3.2.26', sha256WithRsa: '1.2.840.113549.1.1.11' };

const sequence = (...value: forge.asn1.Asn1[]): forge.asn1.Asn1 => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, value);
const oid = (id: string): forge.asn1.Asn1 => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: string): forge.asn1.Asn1 => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes);
const nullValue = (): forge.asn1.Asn1 => asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
const time = (date: Date): forge.asn1.Asn1 => asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
const explicit = (tag: number, value: forge.asn1.Asn1): forge.asn1.Asn1 => asn1.create(Class.CONTEXT_SPECIFIC, tag, true, [value]);
const sha1 = (bytes: string): string => forge.md.sha1.create().update(bytes).digest().getBytes();

export interface OcspInput {
  userCertPem: string;
  issuer: KeyedCertificate;
  responder: KeyedCertificate;
  /** What the nonce binds to: the signature document. */
  signatureXml: string;
  producedAt: Date;
}

/** Returns base64 of the DER OCSPResponse. */
export function buildOcspResponse({ userCertPem, issuer, responder, signatureXml, producedAt }: OcspInput): string {
  const userCertificate = pki.certificateFromPem(userCertPem);
  const issuerCertificate = pki.certificateFromPem(issuer.certPem);
  const responderCertificate = pki.certificateFromPem(responder.certPem);
  const certId = sequence(
    sequence(oid(ocspOids.sha1), nullValue()),
    octets(sha1(asn1.toDer(pki.distinguishedNameToAsn1(issuerCertificate.subject)).getBytes())),
    octets(sha1(asn1.toDer(pki.publicKeyToRSAPublicKey(issuerCertificate.publicKey as forge.pki.rsa.PublicKey)).getBytes())),
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.util.hexToBytes(userCertificate.serialNumber)),
  );
  const singleResponse = sequence(certId, asn1.create(Class.CONTEXT_SPECIFIC, 0, false, ''), time(producedAt));
  const nonce = createHash('sha256').update(signatureXml).digest().toString('binary');
  const nonceExtension = sequence(
    oid(ocspOids.nonce),
    asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, '\xff'),
    octets(asn1.toDer(octets(nonce)).getBytes()),
  );
  const responseData = sequence(
    explicit(1, pki.distinguishedNameToAsn1(responderCertificate.subject)),
    time(producedAt),
    sequence(singleResponse),
    explicit(1, sequence(nonceExtension)),
  );
  const digest = forge.md.sha256.create().update(asn1.toDer(responseData).getBytes());
  const signature = (pki.privateKeyFromPem(responder.keyPem) as forge.pki.rsa.PrivateKey).sign(digest);
  const basicResponse = sequence(
    responseData,
    sequence(oid(ocspOids.sha256WithRsa), nullValue()),
    asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\x00${signature}`),
    explicit(0, sequence(pki.certificateToAsn1(responderCertificate))),
  );
  const response = sequence(
    asn1.create(Class.UNIVERSAL, Type.ENUMERATED, false, '\x00'),
    explicit(0, sequence(oid(ocspOids.basic), octets(asn1.toDer(basicResponse).getBytes()))),
  );
  return Buffer.from(asn1.toDer(response).getBytes(), 'binary').toString('base64');
}

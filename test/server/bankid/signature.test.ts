import { X509Certificate } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeUserData, type CompletionData } from '../../../server/bankid/index.js';
import { alice, endUserIp, startSimulatorFixture, type SimulatorFixture } from './simulator-fixture.js';

let fixture: SimulatorFixture;
let completionData: CompletionData;
const userVisibleData = encodeUserData('Jag läser meddelandet från Sigill.');
const userNonVisibleData = encodeUserData('errand=42');

beforeAll(async () => {
  fixture = await startSimulatorFixture();
  const client = fixture.client();
  const order = await client.sign({ endUserIp, userVisibleData, userNonVisibleData });
  fixture.simulator.testApp.openByAutoStartToken(order.autoStartToken, { identity: alice });
  fixture.simulator.testApp.approve(order.orderRef);
  const result = await client.collect(order.orderRef);
  if (result.status !== 'complete') throw new Error('expected complete');
  completionData = result.completionData;
});
afterAll(async () => {
  await fixture?.close();
});

const signatureXml = (): string => Buffer.from(completionData.signature, 'base64').toString('utf8');

/** The KeyInfo certificates, user first, as BankID sends them. */
function keyInfoCertificates(xml: string): X509Certificate[] {
  return [...xml.matchAll(/<X509Certificate>([^<]+)<\/X509Certificate>/g)].map((match) => new X509Certificate(Buffer.from(match[1]!, 'base64')));
}

/** Standard XML-DSig verification with xml-crypto, keyed by the first KeyInfo certificate. */
function verifies(xml: string): boolean {
  const [userCertificate] = keyInfoCertificates(xml);
  const verifier = new SignedXml({ publicCert: userCertificate!.toString() });
  const document = new DOMParser().parseFromString(xml, 'text/xml');
  verifier.loadSignature(document.documentElement as unknown as Node);
  try {
    return verifier.checkSignature(xml);
  } catch {
    return false;
  }
}

describe('completionData.signature', () => {
  it('has BankID structure: two SHA-256 references, RSA-SHA256, bankIdSignedData echoing the RP data', () => {
    const xml = signatureXml();
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8" standalone="no"?><Signature xmlns="http://www.w3.org/2000/09/xmldsig#">')).toBe(true);
    expect(xml).toContain('<Reference URI="#bidSignedData" Type="http://www.bankid.com/signature/v1.0.0/types">');
    expect(xml).toContain('<Reference URI="#bidKeyInfo">');
    expect(xml).toContain('<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>');
    expect(xml).toContain('<KeyInfo Id="bidKeyInfo">');
    expect(xml).toContain('<bankIdSignedData xmlns="http://www.bankid.com/signature/v1.0.0/types" Id="bidSignedData">');
    expect(xml).toContain(`<usrVisibleData charset="UTF-8" visible="wysiwys">${userVisibleData}</usrVisibleData>`);
    expect(xml).toContain(`<usrNonVisibleData>${userNonVisibleData}</usrNonVisibleData>`);
    const displayName = /<displayName>([^<]+)<\/displayName>/.exec(xml)?.[1];
    expect(Buffer.from(displayName!, 'base64').toString('utf8')).toBe('Sigill (BankID simulator)');
    expect(xml).toMatch(/<clientInfo><funcId>Signing<\/funcId><version>[^<]+<\/version><env><ai><type>/);
  });

  it('verifies with xml-crypto, and the certificate chain leads to the simulator CA', () => {
    const xml = signatureXml();
    expect(verifies(xml)).toBe(true);
    const [user, customerCa, bankCa] = keyInfoCertificates(xml);
    const root = new X509Certificate(fixture.simulator.caPem);
    expect(user!.verify(customerCa!.publicKey)).toBe(true);
    expect(customerCa!.verify(bankCa!.publicKey)).toBe(true);
    expect(bankCa!.verify(root.publicKey)).toBe(true);
    expect(bankCa!.checkIssued(root)).toBe(true);
    expect(user!.subject).toContain(`serialNumber=${alice.personalNumber}`);
    expect(user!.subject).toContain('GN=Alva');
  });

  it('fails verification when usrVisibleData is changed', () => {
    const tampered = signatureXml().replace(userVisibleData, encodeUserData('Jag läser meddelandet från någon annan.'));
    expect(tampered).not.toBe(signatureXml());
    expect(verifies(tampered)).toBe(false);
  });

  it('fails verification when the KeyInfo certificates are swapped', () => {
    const xml = signatureXml();
    const [first, second] = [...xml.matchAll(/<X509Certificate>([^<]+)<\/X509Certificate>/g)].map((match) => match[1]!);
    const swapped = xml.replace(first!, 'FIRST').replace(second!, first!).replace('FIRST', second!);
    expect(verifies(swapped)).toBe(false);
  });
});

describe('completionData.ocspResponse', () => {
  it('is a successful basic OCSP response, status good, signed by the customer CA responder, with a critical nonce', () => {
    const { asn1, pki } = forge;
    const der = Buffer.from(completionData.ocspResponse, 'base64').toString('binary');
    const response = asn1.fromDer(der);
    const [status, responseBytes] = response.value as forge.asn1.Asn1[];
    expect((status!.value as string).charCodeAt(0)).toBe(0); // successful
    const [type, octets] = ((responseBytes!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[]);
    expect(asn1.derToOid(type!.value as string)).toBe('1.3.6.1.5.5.7.48.1.1');
    const basic = asn1.fromDer(octets!.value as string);
    const [tbs, , signature, certs] = basic.value as forge.asn1.Asn1[];
    const responder = pki.certificateFromAsn1(((certs!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[0]!);
    expect(responder.subject.getField('CN').value).toContain('OCSP Signing');
    const digest = forge.md.sha256.create().update(asn1.toDer(tbs!).getBytes());
    expect((responder.publicKey as forge.pki.rsa.PublicKey).verify(digest.digest().getBytes(), (signature!.value as string).slice(1))).toBe(true);
    const [, , responses, extensions] = tbs!.value as forge.asn1.Asn1[];
    const certStatus = (((responses!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[1]!);
    expect(certStatus.tagClass).toBe(asn1.Class.CONTEXT_SPECIFIC);
    expect(certStatus.type).toBe(0); // good
    const nonce = ((extensions!.value as forge.asn1.Asn1[])[0]!.value as forge.asn1.Asn1[])[0]!;
    const [nonceOid, critical] = nonce.value as forge.asn1.Asn1[];
    expect(asn1.derToOid(nonceOid!.value as string)).toBe('1.3.6.1.5.5.7.48.1.2');
    expect(critical!.value).toBe('\xff');
  });
});

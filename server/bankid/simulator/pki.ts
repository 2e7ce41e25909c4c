/**
 * The simulator's PKI, made on first start and kept in the data folder:
 * one root CA that issues the HTTPS server certificate (127.0.0.1, ::1, localhost), the RP client
 * certificate (PKCS#12 with a random passphrase) and a bank chain for user signatures:
 * bank CA → customer CA → user certificates and the OCSP responder.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificatePolicy, issueCertificate, oids, toPkcs12, type KeyedCertificate } from './certificates.js';

export interface SimulatorPki {
  version: 1;
  root: KeyedCertificate;
  server: KeyedCertificate;
  rp: KeyedCertificate & { passphrase: string };
  bankCa: KeyedCertificate;
  customerCa: KeyedCertificate;
  ocspResponder: KeyedCertificate;
  /** One key pair shared by every simulated user's certificate. */
  userKeyPem: string;
}

export interface StoredPki {
  pki: SimulatorPki;
  caPath: string;
  rpPfxPath: string;
  rpPfx: Buffer;
}

const rpDisplayName = 'Sigill (BankID simulator)';

export function generateSimulatorPki(): SimulatorPki {
  const root = issueCertificate({
    subject: [
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: 'Sigill BankID Simulator' },
      { name: 'commonName', value: 'Sigill BankID Simulator Root CA v1' },
    ],
    ca: true,
  });
  const server = issueCertificate({
    subject: [{ name: 'commonName', value: 'localhost' }],
    issuer: root,
    extensions: [
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  const rp = issueCertificate({
    subject: [
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: 'Sigill' },
      { name: 'serialNumber', value: '5566304928' },
      { type: oids.name, value: rpDisplayName },
      { name: 'commonName', value: 'Sigill RP for the BankID simulator' },
    ],
    issuer: root,
    extensions: [{ name: 'keyUsage', digitalSignature: true }, { name: 'extKeyUsage', clientAuth: true }],
  });
  const bankCa = issueCertificate({
    subject: [
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: 'Simulated Bank AB (publ)' },
      { name: 'commonName', value: 'Simulated Bank CA v1 for BankID Simulator' },
    ],
    issuer: root,
    ca: true,
  });
  const customerCa = issueCertificate({
    subject: [
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: 'Simulated Bank AB (publ)' },
      { name: 'commonName', value: 'Simulated Bank Customer CA1 v1 for BankID Simulator' },
    ],
    issuer: bankCa,
    ca: true,
  });
  const ocspResponder = issueCertificate({
    subject: [
      { name: 'countryName', value: 'SE' },
      { name: 'organizationName', value: 'Simulated Bank AB (publ)' },
      { name: 'commonName', value: 'Simulated Bank Customer CA1 v1 for BankID Simulator OCSP Signing' },
    ],
    issuer: customerCa,
    extensions: [{ name: 'keyUsage', digitalSignature: true }, { name: 'extKeyUsage', [oids.ocspSigning]: true }],
  });
  const userKeyPem = issueCertificate({ subject: [{ name: 'commonName', value: 'key holder' }] }).keyPem;
  const passphrase = randomBytes(18).toString('base64url');
  return { version: 1, root, server, rp: { ...rp, passphrase }, bankCa, customerCa, ocspResponder, userKeyPem };
}

/** The user-certificate extensions BankID's test file BankID carries. */
export function userCertificateExtensions(): object[] {
  return [{ name: 'keyUsage', nonRepudiation: true, digitalSignature: true, critical: true }, certificatePolicy(oids.testBankIdOnFile)];
}

/**
 * Loads the PKI from `dataDir`, making and saving it on first use. Writes `ca.pem`, `rp.p12` and
 * `rp-passphrase.txt` next to `pki.json` for clients started elsewhere.
 */
export function loadOrCreatePki(dataDir: string): StoredPki {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pkiPath = join(dataDir, 'pki.json');
  const caPath = join(dataDir, 'ca.pem');
  const rpPfxPath = join(dataDir, 'rp.p12');
  let pki: SimulatorPki;
  if (existsSync(pkiPath)) {
    pki = JSON.parse(readFileSync(pkiPath, 'utf8')) as SimulatorPki;
    if (pki.version !== 1) throw new Error(`unsupported simulator PKI version in ${pkiPath}`);
  } else {
    pki = generateSimulatorPki();
    // Write then rename, so a simulator starting at the same time never reads half a file.
    const partialPath = `${pkiPath}.${process.pid}.partial`;
    writeFileSync(partialPath, JSON.stringify(pki, null, 2), { mode: 0o600 });
    renameSync(partialPath, pkiPath);
  }
  const rpPfx = toPkcs12(pki.rp, [pki.root.certPem], pki.rp.passphrase);
  writeFileSync(caPath, pki.root.certPem);
  writeFileSync(rpPfxPath, rpPfx, { mode: 0o600 });
  writeFileSync(join(dataDir, 'rp-passphrase.txt'), `${pki.rp.passphrase}\n`, { mode: 0o600 });
  return { pki, caPath, rpPfxPath, rpPfx };
}

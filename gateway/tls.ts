import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import type { GatewayProcessSettings } from './settings.js';

/**
 * The key and certificate STARTTLS offers: the configured PEM files, or on the
 * development defaults a self-signed pair made at start (only in memory).
 */
export function tlsOf(settings: Pick<GatewayProcessSettings, 'tlsKey' | 'tlsCert' | 'hostname'>): { key: string; cert: string } {
  if (settings.tlsKey) return { key: readFileSync(settings.tlsKey, 'utf8'), cert: readFileSync(settings.tlsCert, 'utf8') };
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(Date.now() - 60_000);
  certificate.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: settings.hostname }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([{ name: 'subjectAltName', altNames: [{ type: 2, value: settings.hostname }] }]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(certificate) };
}

/**
 * Who is calling the RP API: read from the TLS client certificate the connection was accepted
 * with. In-process calls without TLS get the simulator's own RP identity.
 */
import type { TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { RpIdentity } from './orders.js';

/** Subject DN in RFC 4514 order (most specific first), and its `name` attribute. */
export function rpIdentityFromCertificate(certPem: string | Buffer): RpIdentity {
  const certificate = new X509Certificate(certPem);
  const attributes = certificate.subject.split('\n').filter((line) => line.length > 0);
  const displayName = attributes.find((line) => line.startsWith('name='))?.slice('name='.length) ?? attributes.at(-1) ?? 'RP';
  return { fingerprint: certificate.fingerprint256, subject: [...attributes].reverse().join(', '), displayName };
}

/** The RP identity of a request's socket, or undefined when the socket is not an authorized TLS socket. */
export function rpIdentityFromSocket(socket: unknown): RpIdentity | undefined {
  const tlsSocket = socket as Partial<TLSSocket> | undefined;
  if (tlsSocket?.authorized !== true || typeof tlsSocket.getPeerCertificate !== 'function') return undefined;
  const peer = tlsSocket.getPeerCertificate();
  return peer.raw === undefined ? undefined : rpIdentityFromCertificate(peer.raw);
}

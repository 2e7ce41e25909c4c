/**
 * Reads the RP certificate's PKCS#12 into PEM key and certificate chain.
 *
 * Why not hand the PKCS#12 to Node (`pfx`)? Node adds every CA certificate inside a PKCS#12 to the
 * connection's *trusted* store, so a bundle that carries its own root would let a server signed
 * by that root through, next to the configured BankID CA. Reading it here keeps trust to `ca`
 * alone, and also reads legacy (RC2/3DES) bundles that OpenSSL 3 refuses without the legacy provider.
 * RSA keys only (as BankID issues them).
 */
import forge from 'node-forge';

export interface RpCredentials {
  keyPem: string;
  /** The RP certificate followed by its intermediates (no self-signed roots). */
  certificateChainPem: string;
}

function oid(name: string): string {
  const value = forge.pki.oids[name];
  if (value === undefined) throw new Error(`node-forge does not know ${name}`);
  return value;
}

export function readPkcs12(pfx: Uint8Array, passphrase: string): RpCredentials {
  const der = forge.util.createBuffer(Buffer.from(pfx).toString('binary'));
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), false, passphrase);
  const bags = (bagType: string): forge.pkcs12.Bag[] => p12.getBags({ bagType })[bagType] ?? [];
  const keyBags = [...bags(oid('pkcs8ShroudedKeyBag')), ...bags(oid('keyBag'))];
  const key = keyBags.find((bag) => bag.key !== undefined)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (key === undefined) throw new Error('no private key in the PKCS#12');
  const certificates = bags(oid('certBag')).flatMap((bag) => bag.cert ?? []);
  const leaf = certificates.find((certificate) => {
    const publicKey = certificate.publicKey as forge.pki.rsa.PublicKey;
    return publicKey.n !== undefined && publicKey.n.equals(key.n);
  });
  if (leaf === undefined) throw new Error('no certificate for the private key in the PKCS#12');
  const intermediates = certificates.filter((certificate) => certificate !== leaf && !certificate.isIssuer(certificate));
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certificateChainPem: [leaf, ...intermediates].map((certificate) => forge.pki.certificateToPem(certificate)).join(''),
  };
}

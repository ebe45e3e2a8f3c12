/**
 * Certificates the organisation code never makes but tests need: leaves with odd OUs, EKUs or
 * validity, issued by an org's real CA (read from its folder) or by a stranger's CA.
 */
import * as fs from 'node:fs';
import { generateP256, privateKeyPem, importPrivateKeyPem } from '../../../src/engine/crypto/p256Keys';
import { encodePem } from '../../../src/engine/crypto/pem';
import { backdatedNow, createCertificate, KeyUsage, randomSerial, type ExtKeyUsage } from '../../../src/engine/crypto/x509Writer';
import { goRdnSequence } from '../../../src/engine/crypto/x509Name';
import { parseCertificate } from '../../../src/engine/crypto/x509Reader';
import type { CaMaterial } from '../../../src/engine/msp/cryptogen';
import type { Organization } from '../../../src/engine/msp/organization';
import { encodeSerializedIdentity } from '../../../src/engine/msp/serializedIdentity';
import { decodeFirstPem } from '../../../src/engine/crypto/pem';

/** An org's signing CA as the org folder holds it. */
export function caOf(org: Organization): CaMaterial {
  const cert = parseCertificate((decodeFirstPem(fs.readFileSync(org.layout.caCert, 'utf8')) ?? { der: Buffer.alloc(0) }).der);
  return {
    name: `ca.${org.domain}`,
    certDer: cert.der,
    issuer: { subject: cert.subjectRaw, subjectKeyId: cert.subjectKeyId, privateKey: importPrivateKeyPem(fs.readFileSync(org.layout.caKey, 'utf8')) },
  };
}

export interface CustomLeaf {
  readonly commonName?: string;
  readonly ous?: readonly string[];
  readonly extKeyUsage?: readonly ExtKeyUsage[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly isCA?: boolean;
}

export function issueCustom(ca: CaMaterial, leaf: CustomLeaf = {}): { certPem: string; keyPem: string } {
  const keys = generateP256();
  const notBefore = leaf.notBefore ?? backdatedNow();
  const der = createCertificate(
    {
      serialNumber: randomSerial(),
      subject: goRdnSequence({
        country: ['US'],
        province: ['California'],
        locality: ['San Francisco'],
        organizationalUnit: leaf.ous ?? ['client'],
        commonName: leaf.commonName ?? 'custom',
      }),
      notBefore,
      notAfter: leaf.notAfter ?? new Date(notBefore.getTime() + 24 * 3600 * 1000),
      publicKey: keys.publicKey,
      isCA: leaf.isCA ?? false,
      keyUsage: KeyUsage.digitalSignature | (leaf.isCA ? KeyUsage.certSign : 0),
      extKeyUsage: leaf.extKeyUsage,
    },
    ca.issuer,
  );
  return { certPem: encodePem('CERTIFICATE', der), keyPem: privateKeyPem(keys.privateKey) };
}

export const serialized = (mspId: string, certPem: string): Buffer => encodeSerializedIdentity(mspId, certPem);

/**
 * Mutual TLS between the peer and net-mode chaincode, as Fabric 2.x does it
 * (core/chaincode/accesscontrol): an ephemeral CA per peer, a server certificate for the addresses
 * containers dial, and a client certificate per launch whose fingerprint is bound to the chaincode
 * id it was issued for — a REGISTER under another name on that connection is refused.
 */
import { X509Certificate } from 'crypto';
import { createCertificateAuthority, issueCertificate, KeyPairPem } from '../crypto/certificates';

export class TlsAuthority {
  private readonly issued = new Map<string, string>();

  private constructor(
    readonly ca: KeyPairPem,
    readonly server: KeyPairPem,
  ) {}

  static async create(hosts: readonly string[]): Promise<TlsAuthority> {
    const ca = await createCertificateAuthority('O=Chaincode Launcher, CN=chaincode-tls-ca');
    const server = await issueCertificate(ca, { subject: 'O=Chaincode Launcher, CN=peer0', usage: 'server', hosts });
    return new TlsAuthority(ca, server);
  }

  /** A fresh client certificate for one launch of `ccid`. */
  async issueClientCertificate(ccid: string): Promise<KeyPairPem> {
    const pair = await issueCertificate(this.ca, { subject: `O=Chaincode Launcher, CN=${ccid.replace(/[,=+<>#;"\\]/g, '_')}`, usage: 'client' });
    this.issued.set(new X509Certificate(pair.certPem).fingerprint256, ccid);
    return pair;
  }

  /** The chaincode id a client certificate was issued for, if we issued it. */
  chaincodeFor(fingerprint256: string): string | undefined {
    return this.issued.get(fingerprint256);
  }
}

/**
 * Mutual TLS between the peer and net-mode chaincode, as Fabric 2.x does it
 * (core/chaincode/accesscontrol): an ephemeral CA per peer, a server certificate for the addresses
 * containers dial, and a client certificate per launch whose fingerprint is bound to the chaincode
 * id it was issued for — a REGISTER under another name on that connection is refused.
 */
import { X509Certificate } from 'crypto';
import { createCertificateAuthority, issueCertificate, KeyPairPem } from '../crypto/certificates';

/** Fabric's accesscontrol keeps a certificate's hash → name mapping for 10 minutes. */
const CERTIFICATE_BINDING_TTL_MS = 10 * 60 * 1000;

export class TlsAuthority {
  /** fingerprint → the chaincode id it was issued for, until when it may register. */
  private readonly issued = new Map<string, { ccid: string; until: number }>();

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
    const now = Date.now();
    for (const [fingerprint, binding] of this.issued) if (binding.until < now) this.issued.delete(fingerprint);
    this.issued.set(new X509Certificate(pair.certPem).fingerprint256, { ccid, until: now + CERTIFICATE_BINDING_TTL_MS });
    return pair;
  }

  /** The chaincode id a client certificate was issued for, if we issued it and it has not expired. */
  chaincodeFor(fingerprint256: string): string | undefined {
    const binding = this.issued.get(fingerprint256);
    return binding && binding.until >= Date.now() ? binding.ccid : undefined;
  }

  /** Forget the certificates issued for `ccid` (it was stopped): they can no longer register. */
  revoke(ccid: string): void {
    for (const [fingerprint, binding] of this.issued) if (binding.ccid === ccid) this.issued.delete(fingerprint);
  }
}

/**
 * Fabric's `sanitizeCert` (`msp/mspimpl.go`, `msp/cert.go`): a certificate whose ECDSA signature
 * has a high S is re-encoded with the equivalent low-S signature before its id is computed, so the
 * same certificate has one identity whichever S its CA happened to produce. Ours are low-S already.
 */
import { bitString, children, readTlv, sequence } from '../crypto/der';
import { isLowS, parseDerSignature, signatureToLowS } from '../crypto/ecdsa';
import { ECDSA_WITH_SHA256, parseCertificate, type ParsedCertificate } from '../crypto/x509Reader';

export function sanitizeCertificate(cert: ParsedCertificate): ParsedCertificate {
  if (cert.signatureAlgorithm !== ECDSA_WITH_SHA256) return cert;
  if (isLowS(parseDerSignature(cert.signature).s)) return cert;
  const [tbs, algorithm] = children(readTlv(cert.der).content);
  return parseCertificate(sequence(tbs.raw, algorithm.raw, bitString(signatureToLowS(cert.signature))));
}

/**
 * Go's `x509.Certificate.Verify` as Fabric's MSP calls it (`msp/mspimplvalidate.go`
 * `getUniqueValidationChain` with `getValidityOptsForCert`): the time is the leaf's NotBefore plus
 * one second (so expiry is not checked here, FAB-3678), and `KeyUsages` is empty, which Go reads as
 * serverAuth: every certificate of the chain needs no EKU, or serverAuth, or anyExtendedKeyUsage.
 * A parent must be a CA (basic constraints) allowed to sign certificates (key usage), with the
 * issuer's name bytes and a signature that verifies.
 */
import { allowsServerAuth, isSignedBy, type ParsedCertificate } from '../crypto/x509Reader';
import { KeyUsage } from '../crypto/x509Writer';

const MAX_DEPTH = 8;

export interface ChainSearch {
  readonly chains: ParsedCertificate[][];
  /** Go's error text when there is none. */
  readonly error: string | null;
}

function validAt(cert: ParsedCertificate, at: Date): boolean {
  return cert.notBefore.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.getTime();
}

function canSign(parent: ParsedCertificate): boolean {
  return parent.basicConstraintsValid && parent.isCA && (parent.keyUsage === 0 || (parent.keyUsage & KeyUsage.certSign) !== 0);
}

/** The name Go's UnknownAuthorityError gives a candidate: its CN, else its first O, else its serial. */
function goCertName(c: ParsedCertificate): string {
  const attrs = c.subject.flat();
  return attrs.find((a) => a.type === 'CN')?.value || attrs.find((a) => a.type === 'O')?.value || `serial:${c.serialNumber}`;
}

/**
 * Every chain from `leaf` to one of `roots` (through `intermediates`), as Go's Verify builds them:
 * candidates by issuer name (roots, then intermediates), each checked for being allowed to sign,
 * then for the signature, then for validity at the verification time. A candidate out of its
 * validity fails the whole verification with that error; otherwise the first failure is the hint
 * in "signed by unknown authority". A leaf that is itself a root is its own chain.
 */
export function buildChains(leaf: ParsedCertificate, roots: readonly ParsedCertificate[], intermediates: readonly ParsedCertificate[]): ChainSearch {
  const at = new Date(leaf.notBefore.getTime() + 1000);
  if (!validAt(leaf, at)) return { chains: [], error: `x509: certificate has expired or is not yet valid: current time ${goTime(at)} is after ${goTime(leaf.notAfter)}` };
  const chains: ParsedCertificate[][] = roots.some((r) => r.der.equals(leaf.der)) ? [[leaf]] : [];
  let hint: { error: string; cert: ParsedCertificate } | null = null;
  // Go assigns a candidate's validity error to buildChains' own `err`, which Verify then returns
  // as it is (a signature failure only becomes the hint of "unknown authority").
  let validityError: string | null = null;
  const extend = (chain: ParsedCertificate[]): void => {
    const child = chain[chain.length - 1];
    const candidates = [...roots.map((c) => ({ c, root: true })), ...intermediates.map((c) => ({ c, root: false }))];
    for (const { c, root } of candidates) {
      if (!c.subjectRaw.equals(child.issuerRaw) || chain.some((x) => x.der.equals(c.der))) continue;
      let error: string | null = null;
      if (!canSign(c)) error = 'x509: invalid signature: parent certificate cannot sign this kind of certificate';
      else if (!isSignedBy(child, c.publicKey)) error = 'x509: ECDSA verification failure';
      else if (!validAt(c, at)) {
        const early = at < c.notBefore;
        error = `x509: certificate has expired or is not yet valid: current time ${goTime(at)} is ${early ? 'before' : 'after'} ${goTime(early ? c.notBefore : c.notAfter)}`;
        validityError = error;
      }
      if (error !== null) {
        hint ??= { error, cert: c };
        continue;
      }
      const next = [...chain, c];
      if (root) chains.push(next);
      else if (next.length < MAX_DEPTH) extend(next);
    }
  };
  if (chains.length === 0) extend([leaf]);
  if (validityError !== null) return { chains: [], error: validityError };
  if (chains.length === 0) {
    const h = hint as { error: string; cert: ParsedCertificate } | null;
    const detail = h ? ` (possibly because of ${JSON.stringify(h.error)} while trying to verify candidate authority certificate ${JSON.stringify(goCertName(h.cert))})` : '';
    return { chains, error: `x509: certificate signed by unknown authority${detail}` };
  }
  const usable = chains.filter((chain) => chain.every(allowsServerAuth));
  if (usable.length === 0) return { chains: [], error: 'x509: certificate specifies an incompatible key usage' };
  return { chains: usable, error: null };
}

/** Go's time.Time String() in UTC, as x509 errors print it (`2024-01-02T03:04:05Z` is RFC 3339). */
function goTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The id chaincode computes for its caller (fabric-chaincode-node's ClientIdentity, fabric-chaincode-go's
 * pkg/cid), so the editor and the records
 * can show what `ctx.clientIdentity.getID()` / `cid.GetID()` will return:
 * - Node (`fabric-shim` `ClientIdentity`, `@fidm/x509`): `x509::` + `/<short>=<value>` for every
 *   attribute in DER order + `::` + the issuer the same way; only the first `/` in a value becomes
 *   `\/`; types without a short name (other than C, ST, L, O, OU, CN, E) print as `/=value`.
 * - Go (`fabric-chaincode-go` `cid.GetID`): base64 of `x509::<subject>::<issuer>`, each DN rebuilt by
 *   `pkix.Name.ToRDNSequence` (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER, whatever the
 *   certificate's order; other types dropped), printed last to first, values of one type joined by
 *   `+`, `,+"\<>;` and leading `#`/space, trailing space escaped.
 */
import type { ParsedCertificate } from '../crypto/x509Reader';
import type { Rdn } from '../crypto/x509Name';

const NODE_SHORT_NAMES = new Set(['C', 'ST', 'L', 'O', 'OU', 'CN', 'E']);

function nodeDn(rdns: readonly Rdn[]): string {
  return rdns
    .flat()
    .map((a) => `/${NODE_SHORT_NAMES.has(a.type) ? a.type : ''}=${a.value.replace('/', '\\/')}`)
    .join('');
}

/** What Node's `ctx.clientIdentity.getID()` returns for this certificate. */
export function nodeClientIdentityId(cert: ParsedCertificate): string {
  return `x509::${nodeDn(cert.subject)}::${nodeDn(cert.issuer)}`;
}

const GO_ORDER = ['C', 'ST', 'L', 'STREET', 'POSTALCODE', 'O', 'OU', 'CN', 'SERIALNUMBER'] as const;

function goEscape(value: string): string {
  let out = '';
  const chars = [...value];
  chars.forEach((c, i) => {
    if ((i === 0 && (c === ' ' || c === '#')) || (i === chars.length - 1 && c === ' ') || ',+"\\<>;'.includes(c)) out += `\\${c}`;
    else out += c;
  });
  return out;
}

function goDn(rdns: readonly Rdn[]): string {
  const all = rdns.flat();
  const rebuilt: string[][] = [];
  for (const type of GO_ORDER) {
    // pkix.Name keeps one CommonName and one SerialNumber (the last one parsed).
    let values = all.filter((a) => a.type === type).map((a) => a.value);
    if ((type === 'CN' || type === 'SERIALNUMBER') && values.length) values = [values[values.length - 1]];
    if (values.length) rebuilt.push(values.map((v) => `${type}=${goEscape(v)}`));
  }
  return rebuilt
    .reverse()
    .map((rdn) => rdn.join('+'))
    .join(',');
}

/** `x509::<subject>::<issuer>` as Go's cid builds it, before base64. */
export function goClientIdentityIdText(cert: ParsedCertificate): string {
  return `x509::${goDn(cert.subject)}::${goDn(cert.issuer)}`;
}

/** What Go's `cid.GetID()` returns for this certificate. */
export function goClientIdentityId(cert: ParsedCertificate): string {
  return Buffer.from(goClientIdentityIdText(cert), 'utf8').toString('base64');
}

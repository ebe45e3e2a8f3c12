/**
 * ECDSA P-256 over SHA-256 as Fabric signs and checks it (`bccsp/sw/ecdsa.go`, `bccsp/utils/ecdsa.go`):
 * DER `SEQUENCE { r INTEGER, s INTEGER }`, S at most half the curve order ("low S"), both on the
 * sender's side (clients, endorsers, cryptogen's CA) and required by every verifier.
 *
 * node:crypto does the curve arithmetic synchronously; WebCrypto is several times slower per call,
 * because each call is a promise.
 */
import { KeyObject, sign as nodeSign, verify as nodeVerify } from 'crypto';
import { bigIntToBytes, bytesToBigInt, children, DerError, integer, readTlv, sequence, Tag } from './der';

/** The order of the P-256 group, and half of it (Fabric's `curveHalfOrders[elliptic.P256()]`). */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
export const P256_HALF_ORDER = P256_ORDER >> 1n;

/** A signature Fabric rejects, with Fabric's text (`msp/identities.go` `Verify`). */
export class SignatureError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SignatureError';
  }
}

export interface EcdsaSignature {
  readonly r: bigint;
  readonly s: bigint;
}

/**
 * Go's `asn1.Unmarshal` into `ECDSASignature{R, S}` plus bccsp's checks: bytes after the sequence,
 * and elements after S, are ignored (Go allows both); R and S must be positive.
 */
export function parseDerSignature(der: Uint8Array): EcdsaSignature {
  let items;
  try {
    const seq = readTlv(der);
    if (seq.tag !== Tag.SEQUENCE) throw new DerError("asn1: structure error: tags don't match");
    items = children(seq.content);
  } catch (err) {
    throw new SignatureError(`failed unmashalling signature [${(err as Error).message}]`, { cause: err });
  }
  const [r, s] = items.map((item) => {
    if (item.tag !== Tag.INTEGER) throw new SignatureError("failed unmashalling signature [asn1: structure error: tags don't match]");
    if (item.content.length === 0) throw new SignatureError('failed unmashalling signature [asn1: syntax error: empty integer]');
    if (item.content.length > 1 && ((item.content[0] === 0 && !(item.content[1] & 0x80)) || (item.content[0] === 0xff && item.content[1] & 0x80))) {
      throw new SignatureError('failed unmashalling signature [asn1: structure error: integer not minimally-encoded]');
    }
    return item.content[0] & 0x80 ? -1n : bytesToBigInt(item.content);
  });
  if (r === undefined || s === undefined) throw new SignatureError('failed unmashalling signature [asn1: syntax error: sequence truncated]');
  if (r <= 0n) throw new SignatureError('invalid signature, R must be larger than zero');
  if (s <= 0n) throw new SignatureError('invalid signature, S must be larger than zero');
  return { r, s };
}

export function encodeDerSignature(sig: EcdsaSignature): Buffer {
  return sequence(integer(sig.r), integer(sig.s));
}

export function isLowS(s: bigint): boolean {
  return s <= P256_HALF_ORDER;
}

/** Fabric's `SignatureToLowS`: the same signature with S replaced by N−S when S is high. */
export function signatureToLowS(der: Uint8Array): Buffer {
  const { r, s } = parseDerSignature(der);
  return encodeDerSignature({ r, s: isLowS(s) ? s : P256_ORDER - s });
}

/** Signs `message` (hashed with SHA-256 here) with a P-256 key: a low-S DER signature. */
export function signMessage(privateKey: KeyObject, message: Uint8Array): Buffer {
  const rs = nodeSign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const r = bytesToBigInt(rs.subarray(0, 32));
  const s = bytesToBigInt(rs.subarray(32));
  return encodeDerSignature({ r, s: isLowS(s) ? s : P256_ORDER - s });
}

/**
 * Verifies a Fabric signature over `message` with a P-256 public key; throws a SignatureError with
 * the text Fabric's MSP produces (`could not determine the validity of the signature: …` for a
 * malformed or high-S signature, `The signature is invalid` for a wrong one).
 */
export function verifyMessage(publicKey: KeyObject, message: Uint8Array, signature: Uint8Array): void {
  const wrap = (msg: string): SignatureError => new SignatureError(`could not determine the validity of the signature: ${msg}`);
  if (signature.length === 0) throw wrap('Invalid signature. Cannot be empty.');
  let sig: EcdsaSignature;
  try {
    sig = parseDerSignature(signature);
  } catch (err) {
    throw wrap(`Failed verifing with opts [<nil>]: Failed unmashalling signature [${(err as Error).message}]`);
  }
  if (!isLowS(sig.s)) {
    throw wrap(`Failed verifing with opts [<nil>]: Invalid S. Must be smaller than half the order [${sig.s}][${P256_HALF_ORDER}].`);
  }
  if (sig.r >= P256_ORDER || !nodeVerify('sha256', message, { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.concat([bigIntToBytes(sig.r, 32), bigIntToBytes(sig.s, 32)]))) {
    throw new SignatureError('The signature is invalid');
  }
}

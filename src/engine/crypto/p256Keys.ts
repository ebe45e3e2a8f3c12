/**
 * P-256 keys in the encodings Fabric uses (SubjectPublicKeyInfo, PKCS#8 as Go's
 * `x509.MarshalPKCS8PrivateKey` writes it) without OpenSSL's encoders: in Node 20 (OpenSSL 3) a
 * key's DER export and above all a PKCS#8 PEM import are many times slower than the JWK paths. The
 * DER around a P-256 key is fixed, so it is spliced here and keys go in and out as JWK. Anything that is not a plain P-256 key falls back to node:crypto's general parsers.
 */
import { createECDH, createPrivateKey, createPublicKey, KeyObject } from 'crypto';
import { decodeFirstPem, encodePem } from './pem';

/** SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (0 unused bits) … } up to the point. */
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
/** Go's PKCS#8: version 0, the same algorithm, ECPrivateKey{version 1, d, [1] public key}, no [0] curve. */
const PKCS8_HEAD = Buffer.from('308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420', 'hex');
const PKCS8_PUBLIC_TAG = Buffer.from('a144034200', 'hex');

export interface P256KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The uncompressed point 04‖x‖y (65 bytes). */
  readonly point: Buffer;
}

const b64u = (b: Buffer): string => b.toString('base64url');

/**
 * A new P-256 key pair. Made with ECDH (OpenSSL's EC key generation, the same RNG) and imported as
 * JWK rather than with `generateKeyPairSync`: in Node 20 the key generation job's destructor takes
 * the key's mutex, so a garbage collection that collects a finished job while its key is being
 * used (exported, signed with) on the main thread deadlocks the process. A test file hung on it in
 * CI; this path creates no such job.
 */
export function generateP256(): P256KeyPair {
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys();
  // OpenSSL gives the scalar without leading zeros; JWK's `d` is always 32 bytes.
  const d = Buffer.alloc(32);
  const scalar = ecdh.getPrivateKey();
  scalar.copy(d, 32 - scalar.length);
  const x = b64u(point.subarray(1, 33));
  const y = b64u(point.subarray(33));
  return {
    privateKey: createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64u(d), x, y }, format: 'jwk' }),
    publicKey: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' }),
    point,
  };
}

/** The uncompressed point of a P-256 public (or private) key. */
export function publicPoint(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error(`not a P-256 key (${jwk.kty} ${jwk.crv ?? ''})`);
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

export function spkiOf(point: Uint8Array): Buffer {
  return Buffer.concat([SPKI_PREFIX, point]);
}

/** PKCS#8 DER of a P-256 private key, byte for byte as Go's MarshalPKCS8PrivateKey (and OpenSSL) write it. */
export function pkcs8Of(privateKey: KeyObject): Buffer {
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'P-256' || !jwk.d || !jwk.x || !jwk.y) throw new Error('not a P-256 private key');
  return Buffer.concat([PKCS8_HEAD, Buffer.from(jwk.d, 'base64url'), PKCS8_PUBLIC_TAG, Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

export function privateKeyPem(privateKey: KeyObject): string {
  return encodePem('PRIVATE KEY', pkcs8Of(privateKey));
}

/** A public key from SubjectPublicKeyInfo DER. */
export function importSpki(spki: Uint8Array): KeyObject {
  const der = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength);
  if (der.length === 91 && der.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX) && der[SPKI_PREFIX.length] === 4) {
    const point = der.subarray(SPKI_PREFIX.length);
    return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
  }
  return createPublicKey({ key: der, format: 'der', type: 'spki' });
}

/** A private key from PEM (PKCS#8 as cryptogen and Fabric CA write it; other forms via OpenSSL). */
export function importPrivateKeyPem(pem: string): KeyObject {
  const block = decodeFirstPem(pem);
  const der = block?.der;
  if (block?.type === 'PRIVATE KEY' && der && der.length === 138 && der.subarray(0, PKCS8_HEAD.length).equals(PKCS8_HEAD) && der.subarray(68, 73).equals(PKCS8_PUBLIC_TAG)) {
    const d = der.subarray(PKCS8_HEAD.length, PKCS8_HEAD.length + 32);
    const point = der.subarray(73);
    if (point[0] === 4) {
      return createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64u(d), x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) }, format: 'jwk' });
    }
  }
  return createPrivateKey(pem);
}

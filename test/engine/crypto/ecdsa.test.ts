/**
 * ECDSA as Fabric signs and verifies (bccsp/sw/ecdsa.go, bccsp/utils/ecdsa.go): low-S DER signatures, Fabric's
 * rejection texts for high S, malformed DER and wrong signatures; PEM as Go writes and reads it;
 * P-256 keys in Go's PKCS#8 encoding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { integer, sequence } from '../../../src/engine/crypto/der';
import { encodeDerSignature, isLowS, P256_HALF_ORDER, P256_ORDER, parseDerSignature, signatureToLowS, signMessage, verifyMessage } from '../../../src/engine/crypto/ecdsa';
import { generateP256, importPrivateKeyPem, importSpki, pkcs8Of, privateKeyPem, publicPoint, spkiOf } from '../../../src/engine/crypto/p256Keys';
import { decodeFirstPem, encodePem } from '../../../src/engine/crypto/pem';

const keys = generateP256();
const msg = Buffer.from('signed bytes');

describe('ECDSA P-256 as Fabric uses it', () => {
  test('our signatures are DER, always low-S, and verify with OpenSSL', () => {
    for (let i = 0; i < 200; i++) {
      const sig = signMessage(keys.privateKey, msg);
      assert.ok(isLowS(parseDerSignature(sig).s));
      assert.ok(nodeVerify('sha256', msg, keys.publicKey, sig));
    }
  });

  test("a high-S signature (valid ECDSA) is rejected with Fabric's text; its low-S twin is accepted", () => {
    const low = signMessage(keys.privateKey, msg);
    const { r, s } = parseDerSignature(low);
    const high = encodeDerSignature({ r, s: P256_ORDER - s });
    assert.ok(nodeVerify('sha256', msg, keys.publicKey, high), 'the high-S form is mathematically valid');
    assert.throws(() => verifyMessage(keys.publicKey, msg, high), {
      name: 'SignatureError',
      message: `could not determine the validity of the signature: Failed verifing with opts [<nil>]: Invalid S. Must be smaller than half the order [${P256_ORDER - s}][${P256_HALF_ORDER}].`,
    });
    assert.deepEqual(signatureToLowS(high), low);
    assert.doesNotThrow(() => verifyMessage(keys.publicKey, msg, low));
  });

  test('wrong, empty and malformed signatures', () => {
    const other = generateP256();
    assert.throws(() => verifyMessage(keys.publicKey, msg, signMessage(other.privateKey, msg)), { message: 'The signature is invalid' });
    assert.throws(() => verifyMessage(keys.publicKey, Buffer.from('other bytes'), signMessage(keys.privateKey, msg)), { message: 'The signature is invalid' });
    assert.throws(() => verifyMessage(keys.publicKey, msg, Buffer.alloc(0)), { message: 'could not determine the validity of the signature: Invalid signature. Cannot be empty.' });
    assert.throws(() => verifyMessage(keys.publicKey, msg, Buffer.from([1, 2, 3])), /Failed unmashalling signature \[failed unmashalling signature \[/);
    assert.throws(() => verifyMessage(keys.publicKey, msg, sequence(integer(0), integer(5))), /Failed unmashalling signature \[invalid signature, R must be larger than zero\]/);
    assert.throws(() => verifyMessage(keys.publicKey, msg, Buffer.from('300702020005020105', 'hex')), /integer not minimally-encoded/);
    // Go ignores bytes after the signature's sequence.
    assert.doesNotThrow(() => verifyMessage(keys.publicKey, msg, Buffer.concat([signMessage(keys.privateKey, msg), Buffer.from([0, 0])])));
  });

  test('a signature made by OpenSSL directly is verified once normalised', () => {
    const { privateKey, publicKey } = generateP256();
    const raw = nodeSign('sha256', msg, privateKey);
    const sig = isLowS(parseDerSignature(raw).s) ? raw : signatureToLowS(raw);
    assert.doesNotThrow(() => verifyMessage(publicKey, msg, sig));
  });
});

describe('PEM and keys', () => {
  test("PEM: Go's 64-column layout with a trailing newline; the first block found anywhere", () => {
    const der = Buffer.alloc(100, 0xab);
    const pem = encodePem('CERTIFICATE', der);
    assert.match(pem, /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/]{64}\n[A-Za-z0-9+/]{64}\n[A-Za-z0-9+/=]{8}\n-----END CERTIFICATE-----\n$/);
    assert.deepEqual(decodeFirstPem(`noise\n${pem}`)?.der, der);
    assert.equal(decodeFirstPem(`noise ${pem}`), null, 'BEGIN must start a line');
    assert.equal(decodeFirstPem('-----BEGIN X-----\n!!!\n-----END X-----\n'), null, 'a bad body is not a block');
    assert.deepEqual(decodeFirstPem(`-----BEGIN X-----\n!!!\n-----END X-----\n${pem}`)?.der, der, 'the next good block is taken');
    assert.equal(decodeFirstPem(pem.replace('END CERTIFICATE', 'END OTHER')), null);
  });

  test('generated keys: the private and public halves belong together, and a scalar with leading zero bytes is padded to 32', () => {
    // About one scalar in 256 has a leading zero byte, which OpenSSL returns shortened; 3000 keys
    // make it all but certain that some do (and each one must still be a whole, consistent pair).
    let shortScalars = 0;
    for (let i = 0; i < 3000; i++) {
      const pair = generateP256();
      const d = Buffer.from(pair.privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
      assert.equal(d.length, 32);
      if (d[0] === 0) shortScalars++;
      assert.deepEqual(publicPoint(pair.privateKey), pair.point);
      assert.deepEqual(publicPoint(pair.publicKey), pair.point);
      assert.equal(pkcs8Of(pair.privateKey).length, 138);
    }
    assert.ok(shortScalars > 0, 'no scalar with a leading zero byte came up; the padding went untested');
    const fresh = generateP256();
    verifyMessage(fresh.publicKey, msg, signMessage(fresh.privateKey, msg));
  });

  test("PKCS#8 and SPKI encodings equal OpenSSL's, and keys read back through the fast path sign and verify", () => {
    const pem = privateKeyPem(keys.privateKey);
    assert.equal(pem, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    assert.deepEqual(pkcs8Of(keys.privateKey), keys.privateKey.export({ type: 'pkcs8', format: 'der' }));
    assert.deepEqual(spkiOf(publicPoint(keys.publicKey)), keys.publicKey.export({ type: 'spki', format: 'der' }));
    const back = importPrivateKeyPem(pem);
    const pub = importSpki(keys.publicKey.export({ type: 'spki', format: 'der' }));
    verifyMessage(pub, msg, signMessage(back, msg));
    // Other encodings go through OpenSSL.
    const sec1 = keys.privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    verifyMessage(keys.publicKey, msg, signMessage(importPrivateKeyPem(sec1), msg));
    assert.equal(createPrivateKey(pem).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  });
});

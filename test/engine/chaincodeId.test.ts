import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chaincodeId, chaincodeNameOf, chaincodeVersionOf } from '../../src/engine/chaincodeId';

describe('chaincode ids', () => {
  test('name:version, and back', () => {
    const ccid = chaincodeId('basic', '1.0');
    assert.equal(ccid, 'basic:1.0');
    assert.equal(chaincodeNameOf(ccid), 'basic');
    assert.equal(chaincodeVersionOf(ccid), '1.0');
  });

  test('a package id (label:hash) splits at its first colon; an id without one is all name', () => {
    assert.equal(chaincodeNameOf('basic_1.0:4ec191e793b27e953ff2ede5a8bcc63152cecb1e4c3f301a26e22692c61967ad'), 'basic_1.0');
    assert.equal(chaincodeVersionOf('lscc'), '');
    assert.equal(chaincodeNameOf('lscc'), 'lscc');
  });
});

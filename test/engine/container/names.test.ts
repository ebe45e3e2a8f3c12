import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { containerName, imageName, imageRef, InvalidImageNameError } from '../../../src/engine/container/docker/names';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

// Cases from Fabric 2.x's dockercontroller_test.go (TestGetVMName / TestGetVMNameForDocker).
describe('container names (Fabric 2.x GetVMName)', () => {
  test('network and peer id prefix the ccid; ":" and other refused characters become "-"', () => {
    assert.equal(containerName({ networkId: 'dev', peerId: 'peer0' }, 'mycc:1.0'), 'dev-peer0-mycc-1.0');
  });

  test('case is preserved', () => {
    assert.equal(containerName({ networkId: 'Dev', peerId: 'Peer0' }, 'myCC:1.0'), 'Dev-Peer0-myCC-1.0');
  });

  test('invalid characters in the ids are replaced too', () => {
    assert.equal(containerName({ networkId: 'Dev$dev', peerId: 'Peer*0' }, 'myCC:1.0'), 'Dev-dev-Peer-0-myCC-1.0');
  });

  test('empty network or peer id is left out', () => {
    assert.equal(containerName({ networkId: '', peerId: 'peer0' }, 'mycc:1.0'), 'peer0-mycc-1.0');
    assert.equal(containerName({ networkId: 'dev', peerId: '' }, 'mycc:1.0'), 'dev-mycc-1.0');
  });

  test('the §4 example: a 2.x package id on peer0.org1.example.com', () => {
    const ccid = 'mycc_1:5f3a9e';
    assert.equal(containerName({ networkId: 'dev', peerId: 'peer0.org1.example.com' }, ccid), 'dev-peer0.org1.example.com-mycc_1-5f3a9e');
  });
});

describe('image names (Fabric 2.x GetVMNameForDocker)', () => {
  test('lowercase sanitised name + "-" + sha256 of the unsanitised name with ":" → "-"', () => {
    assert.equal(imageName({ networkId: 'dev', peerId: 'peer0' }, 'mycc:1.0'), `dev-peer0-mycc-1.0-${sha256('dev-peer0-mycc-1.0')}`);
  });

  test('upper case ids: the hash keeps the case, the name does not', () => {
    assert.equal(imageName({ networkId: 'Dev', peerId: 'Peer0' }, 'myCC:1.0'), `dev-peer0-mycc-1.0-${sha256('Dev-Peer0-myCC-1.0')}`);
  });

  test('special characters: sanitised in the name, kept in the hash', () => {
    assert.equal(imageName({ networkId: 'Dev$dev', peerId: 'Peer*0' }, 'myCC:1.0'), `dev-dev-peer-0-mycc-1.0-${sha256('Dev$dev-Peer*0-myCC-1.0')}`);
  });

  test('no network id', () => {
    assert.equal(imageName({ networkId: '', peerId: 'peer0' }, 'mycc:1.0'), `peer0-mycc-1.0-${sha256('peer0-mycc-1.0')}`);
  });

  test('two ids that sanitise alike still get distinct images', () => {
    const naming = { networkId: 'dev', peerId: 'peer0' };
    assert.equal(containerName(naming, 'a$b:1'), containerName(naming, 'a*b:1'));
    assert.notEqual(imageName(naming, 'a$b:1'), imageName(naming, 'a*b:1'));
  });

  test("names breaking Docker's repository rule are refused, as Fabric does", () => {
    assert.throws(() => imageName({ networkId: 'dev', peerId: 'peer0' }, 'my--cc:1.0'), InvalidImageNameError);
  });

  test('image references carry the content tag, or latest', () => {
    const naming = { networkId: 'dev', peerId: 'peer0' };
    assert.match(imageRef(naming, 'mycc:1.0', 'ab12'), /^dev-peer0-mycc-1\.0-[0-9a-f]{64}:ab12$/);
    assert.match(imageRef(naming, 'mycc:1.0'), /:latest$/);
    assert.throws(() => imageRef(naming, 'mycc:1.0', 'bad tag'), InvalidImageNameError);
  });
});

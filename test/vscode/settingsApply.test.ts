/**
 * Which settings a running peer takes at once and which wait for a restart, and which setting an
 * error is about (so its "Open Settings" opens that one). The errors are the engine's own, made by
 * the engine's code where that is cheap.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { resolveConfig } from '../../src/engine/config';
import { DockerUnreachableError, ImageBuildError } from '../../src/engine/container/docker/errors';
import { dockerClientOptions } from '../../src/engine/container/docker/endpoint';
import { RESTART_SETTINGS } from '../../src/engine/engine';
import { ExternalAddressError } from '../../src/engine/launch/externalAddress';
import { ChannelNotFoundError } from '../../src/engine/peer/peer';
import { PortInUseError } from '../../src/engine/peer/server';
import { parsePolicy } from '../../src/engine/policy';
import { EndorsementPlanError } from '../../src/engine/transactions/endorsers';
import { POLICY_SETTING } from '../../src/vscode/endorsement/policyDefinitions';
import { engineConfigFrom, RESTART_ONLY_SETTINGS, settingOfError } from '../../src/vscode/engineSettings';
import { parseIdentityRef } from '../../src/vscode/identities/identityRef';
import { UnknownOrganizationError } from '../../src/vscode/identities/networkIdentities';

const REPO = path.resolve(__dirname, '..', '..', '..');
const config = resolveConfig({ baseImages: { node: 'example.test/node-base:2.5', java: 'example.test/java-base:2.5' } });
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return assert.fail('expected a throw');
};

describe('settings: live or at the next peer start', () => {
  it("the restart-only settings are exactly the engine's, and each is a contributed setting", () => {
    assert.deepEqual(Object.keys(RESTART_ONLY_SETTINGS).sort(), [...RESTART_SETTINGS].sort());
    const contributed = (
      JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
        contributes: { configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> } };
      }
    ).contributes.configuration.properties;
    for (const key of Object.values(RESTART_ONLY_SETTINGS)) {
      const setting = contributed[`chaincode.${key}`];
      assert.ok(setting, `chaincode.${key} is contributed`);
      assert.match(setting.markdownDescription ?? setting.description ?? '', /Takes effect when the peer restarts/, `chaincode.${key} says it applies after a restart`);
    }
    for (const [id, setting] of Object.entries(contributed)) {
      if (Object.values(RESTART_ONLY_SETTINGS).some((k) => `chaincode.${k}` === id)) continue;
      assert.doesNotMatch(setting.markdownDescription ?? setting.description ?? '', /when the peer restarts/, `${id} applies at once and does not ask for a restart`);
    }
  });
});

describe('settings: the one an error is about', () => {
  it('Docker unreachable (or not a valid endpoint): chaincode.docker.endpoint, also through a wrapper that kept only the cause or the text', () => {
    const unreachable = new DockerUnreachableError('tcp://127.0.0.1:1', new Error('connect ECONNREFUSED 127.0.0.1:1'));
    assert.equal(settingOfError(unreachable, config), 'chaincode.docker.endpoint');
    assert.equal(
      settingOfError(
        thrown(() => dockerClientOptions('ftp://x')),
        config,
      ),
      'chaincode.docker.endpoint',
    );
    assert.equal(
      settingOfError(new Error('Launching cc:1.0 failed', { cause: new Error('error starting container', { cause: unreachable }) }), config),
      'chaincode.docker.endpoint',
    );
    assert.equal(settingOfError(new Error(`error starting container: ${unreachable.message}`), config), 'chaincode.docker.endpoint');
  });

  it('a remote Docker engine: a TLS file names its own setting (or the folder), TLS off against a TLS daemon names tlsVerify, an external address names its setting', () => {
    const files = resolveConfig({ dockerTls: { verify: true, certPath: '/certs', keyFile: '/keys/key.pem' } });
    const fileError = (file: string, role: 'CA certificate' | 'client key'): DockerUnreachableError =>
      new DockerUnreachableError('tcp://h:2376', new Error('ENOENT: no such file or directory'), { kind: 'tls-file', role, file });
    assert.equal(settingOfError(fileError('/keys/key.pem', 'client key'), files), 'chaincode.docker.tlsKey');
    assert.equal(settingOfError(fileError('/certs/ca.pem', 'CA certificate'), files), 'chaincode.docker.certPath');
    assert.equal(settingOfError(new Error('Launching cc:1.0 failed', { cause: fileError('/keys/key.pem', 'client key') }), files), 'chaincode.docker.tlsKey');
    const plain = new DockerUnreachableError(
      'tcp://h:2376',
      Object.assign(new Error('(HTTP code 400) unexpected - Client sent an HTTP request to an HTTPS server.'), { statusCode: 400 }),
    );
    assert.equal(plain.failure.kind, 'tls');
    assert.equal(settingOfError(plain, config), 'chaincode.docker.tlsVerify');
    const handshake = new DockerUnreachableError('tcp://h:2376', Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }));
    assert.equal(settingOfError(handshake, resolveConfig({ dockerTls: { verify: true, caFile: '/ca.pem' } })), 'chaincode.docker.tlsCaCert');
    assert.equal(settingOfError(new ExternalAddressError('x', 'bad'), config), 'chaincode.peer.externalAddress');
  });

  it('the Docker TLS and external-address settings map onto the engine’s (empty = unset)', () => {
    const values: Record<string, unknown> = {
      'docker.tlsVerify': true,
      'docker.certPath': ' /certs ',
      'docker.tlsCaCert': '',
      'docker.tlsKey': '/k.pem',
      'peer.externalAddress': '192.0.2.10:7053',
    };
    const c = engineConfigFrom(<T>(k: string) => values[k] as T | undefined, '/storage');
    assert.deepEqual(c.dockerTls, { verify: true, certPath: '/certs', keyFile: '/k.pem' });
    assert.equal(c.peerExternalAddress, '192.0.2.10:7053');
    const unset = engineConfigFrom(<T>(k: string) => ({ 'peer.externalAddress': '' })[k] as T | undefined, '/storage');
    assert.deepEqual([unset.dockerTls, unset.peerExternalAddress], [{ verify: false }, undefined]);
  });

  it("the peer's port held: chaincode.peer.port", () => {
    const inUse = new PortInUseError('127.0.0.1', 7052, { pid: 42, command: 'node' }, 5000);
    assert.equal(settingOfError(new Error('cannot listen on 127.0.0.1:7052', { cause: inUse }), config), 'chaincode.peer.port');
  });

  it("a base image the build could not find: that language's base image setting", () => {
    const pull = new ImageBuildError('dev-peer0-cc-1.0:abc', "pull access denied for example.test/java-base, repository does not exist or may require 'docker login'", [
      'Step 1/4 : FROM example.test/java-base:2.5',
    ]);
    assert.equal(settingOfError(pull, config), 'chaincode.baseImage.java');
    const manifest = new ImageBuildError('dev-peer0-cc-1.0-deps:abc', 'manifest for example.test/node-base:2.5 not found', []);
    assert.equal(settingOfError(manifest, config), 'chaincode.baseImage.node');
    const other = new ImageBuildError('dev-peer0-cc-1.0:abc', "The command '/bin/sh -c npm ci' returned a non-zero code: 1", []);
    assert.equal(settingOfError(other, config), undefined, 'a build step failing is not about a setting');
  });

  it('timeouts, channels; and nothing for errors no setting helps with', () => {
    assert.equal(settingOfError(new Error('timeout expired while starting chaincode cc:1.0'), config), 'chaincode.startupTimeout');
    assert.equal(settingOfError(new Error('timeout expired while waiting for chaincode cc:1.0 to register (30 s)'), config), 'chaincode.startupTimeout');
    assert.equal(settingOfError(new Error('timeout expired while executing transaction (30 s)'), config), 'chaincode.executeTimeout');
    assert.equal(settingOfError(new ChannelNotFoundError('other'), config), 'chaincode.channel');
    assert.equal(settingOfError(new Error('The asset asset1 does not exist'), config), undefined);
    assert.equal(settingOfError('a string', config), undefined);
  });

  it('the calling identity and the endorsement policy: chaincode.identity, chaincode.endorsementPolicy', () => {
    assert.equal(
      settingOfError(
        thrown(() => parseIdentityRef('Org1MSP/', 'Org1MSP')),
        config,
      ),
      'chaincode.identity',
    );
    assert.equal(settingOfError(new UnknownOrganizationError("Org9MSP is not one of the network's organisations (Org1MSP, Org2MSP)"), config), 'chaincode.identity');
    assert.equal(
      settingOfError(
        thrown(() => parsePolicy("OR('Org1MSP.peer'", POLICY_SETTING)),
        config,
      ),
      'chaincode.endorsementPolicy',
    );
    assert.equal(
      settingOfError(
        thrown(() => parsePolicy("OR('Org1MSP.peer'", 'collections_config.json:3:5')),
        config,
      ),
      undefined,
      "a collection's policy is not the setting's",
    );
    assert.equal(settingOfError(new EndorsementPlanError('no combination of peers can be derived which satisfy the endorsement policy'), config), 'chaincode.endorsementPolicy');
  });
});

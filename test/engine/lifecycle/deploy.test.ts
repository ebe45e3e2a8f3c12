/**
 * Deploy end to end against the embedded two-org network: the real @hyperledger/fabric-gateway
 * client as Admin@org1 and Admin@org2 installs a lifecycle package through the Gateway, approves
 * for each org, checks commit readiness and commits through `_lifecycle`; the definition query
 * shows it and the pipeline then endorses with the committed policy. Answers are decoded with
 * fabric-protos' own classes; error texts are Fabric's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { peer as peerProtos } from '@hyperledger/fabric-protos';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { deploy, DeployError, type AdminIdentity, type DeployProgress } from '../../../src/engine/lifecycle/deploy';
import { LIFECYCLE_NAME } from '../../../src/engine/lifecycle/lifecycleState';
import { createLifecyclePackage } from '../../../src/engine/platforms/lifecyclePackage';
import { codecs } from '../../../src/engine/wire/codec';
import type { SystemChaincode } from '../../../src/engine/scc/inprocShim';
import { userCredentials, grpcClient, connectGateway } from '../../support/gatewayClient';
import { EXAMPLE_CHAINCODE } from '../../support/nodeChaincode';

const lifecycleProtos = peerProtos.lifecycle;

describe('deploy through _lifecycle on the embedded peer', () => {
  let dir: string;
  let engine: Engine;
  let org1: string;
  let org2: string;
  let packageBytes: Buffer;
  let client: ReturnType<typeof grpcClient>;
  const admin = (cryptoPath: string, mspId: string, user = 'Admin'): AdminIdentity => ({ mspId, ...userCredentials(cryptoPath, `${user}`) });
  const admins = (): AdminIdentity[] => [admin(org1, 'Org1MSP'), admin(org2, 'Org2MSP')];

  /** A `_lifecycle` evaluation as Admin@org1 (or `user`); the payload or the Gateway's error. */
  const evaluate = async (fn: string, arg: Buffer, user = 'Admin'): Promise<Uint8Array> => {
    const c = connectGateway({ cryptoPath: org1, port: engine.gateway!.server.port, user });
    try {
      return await c.gateway
        .getNetwork('mychannel')
        .getContract(LIFECYCLE_NAME)
        .evaluate(fn, { arguments: [arg] });
    } finally {
      c.close();
    }
  };

  /** Fabric's argument rule: the function name alone is one argument short. */
  const evaluateNoArg = async (): Promise<Uint8Array> => {
    const c = connectGateway({ cryptoPath: org1, port: engine.gateway!.server.port });
    try {
      return await c.gateway.getNetwork('mychannel').getContract(LIFECYCLE_NAME).evaluateTransaction('QueryChaincodeDefinitions');
    } finally {
      c.close();
    }
  };

  const startEngine = (): Promise<Engine> => Engine.start(resolveConfig({ dataDir: path.join(dir, 'data'), peerPort: 0, gatewayPort: 0, mode: 'dev' }));

  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-deploy-'));
    engine = await startEngine();
    org1 = engine.gateway!.org.cryptoPath;
    org2 = path.join(path.dirname(org1), 'org2.example.com');
    packageBytes = (await createLifecyclePackage({ folder: EXAMPLE_CHAINCODE, label: 'basic_1.0' })).bytes;
    client = grpcClient(org1, engine.gateway!.server.port);
  });

  after(async () => {
    client?.close();
    await engine?.dispose();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  test('install, approve (both orgs), check readiness, commit: the definition query shows it', async () => {
    const steps: DeployProgress[] = [];
    const result = await deploy(
      client,
      { packageBytes, channel: 'mychannel', name: 'basic', version: '1.0', sequence: 1, endorsementPolicy: "AND('Org1MSP.peer','Org2MSP.peer')" },
      admins(),
      (p) => steps.push(p),
    );
    assert.deepEqual(
      steps.map((s) => s.step),
      ['plan', 'installed', 'approved', 'approved', 'readiness', 'committed'],
    );
    const plan = steps[0].step === 'plan' ? steps[0].plan : assert.fail('no plan first');
    assert.match(plan.packageId, /^basic_1\.0:[0-9a-f]{64}$/);
    assert.equal(plan.endorsementPolicy, "AND('Org1MSP.peer','Org2MSP.peer')");
    assert.deepEqual(steps[4].step === 'readiness' && steps[4].approvals, { Org1MSP: true, Org2MSP: true });
    assert.deepEqual(result.committed, { sequence: 1, version: '1.0', approvals: { Org1MSP: true, Org2MSP: true } });

    // Read back with fabric-protos' classes: what a real client (the peer CLI, an SDK) would decode.
    const defs = lifecycleProtos.QueryChaincodeDefinitionsResult.deserializeBinary(await evaluate('QueryChaincodeDefinitions', Buffer.alloc(0)));
    const [def] = defs.getChaincodeDefinitionsList();
    assert.equal(def.getName(), 'basic');
    assert.equal(def.getSequence(), 1);
    assert.equal(def.getEndorsementPlugin(), 'escc');
    assert.equal(def.getValidationPlugin(), 'vscc');
    const policy = peerProtos.ApplicationPolicy.deserializeBinary(def.getValidationParameter_asU8());
    assert.equal(policy.getSignaturePolicy()?.getIdentitiesList().length, 2);
    const installed = lifecycleProtos.QueryInstalledChaincodesResult.deserializeBinary(await evaluate('QueryInstalledChaincodes', Buffer.alloc(0)));
    assert.deepEqual(
      installed.getInstalledChaincodesList().map((c) => [c.getPackageId(), c.getLabel()]),
      [[plan.packageId, 'basic_1.0']],
    );
    const approved = lifecycleProtos.QueryApprovedChaincodeDefinitionResult.deserializeBinary(
      await evaluate('QueryApprovedChaincodeDefinition', codecs.LifecycleQueryApprovedChaincodeDefinitionArgs.encode({ name: 'basic', sequence: 1 })),
    );
    assert.equal(approved.getSource()?.getLocalPackage()?.getPackageId(), plan.packageId);

    // The pipeline now endorses basic with the committed policy: both orgs' peers.
    const committed = engine.transactions.definitions.get('mychannel', 'basic');
    assert.equal(committed?.sequence, 1);
    assert.ok(committed?.endorsementPolicy, 'the committed signature policy');
  });

  test('a wrong sequence fails with Fabric message, before anything is committed', async () => {
    await assert.rejects(deploy(client, { packageBytes, channel: 'mychannel', name: 'basic', version: '2.0', sequence: 3 }, admins()), (err: unknown) => {
      assert.ok(err instanceof DeployError);
      assert.equal(err.step, 'approve');
      assert.match(err.message, /requested sequence 3 is larger than the next available sequence number 2/);
      return true;
    });
    const readiness = codecs.LifecycleCheckCommitReadinessArgs.encode({ name: 'basic', version: '2.0', sequence: 1 });
    await assert.rejects(evaluate('CheckCommitReadiness', readiness), /requested sequence is 1, but new definition must be sequence 2/);
    assert.equal(engine.transactions.definitions.get('mychannel', 'basic')?.sequence, 1);
  });

  test('the next sequence redefines it (version and policy), installing again is no error', async () => {
    const result = await deploy(client, { packageBytes, channel: 'mychannel', name: 'basic', version: '1.1', sequence: 2 }, admins());
    assert.equal(result.committed.sequence, 2);
    assert.equal(result.committed.version, '1.1');
    const def = engine.transactions.definitions.get('mychannel', 'basic');
    assert.equal(def?.version, '1.1');
    assert.equal(def?.endorsementPolicy, null, "no policy given: the channel's Endorsement policy");
  });

  test('commit without the other org approving: its peer refuses, in Fabric words', async () => {
    await assert.rejects(deploy(client, { packageBytes, channel: 'mychannel', name: 'other', version: '1.0', sequence: 1 }, [admin(org1, 'Org1MSP')]), (err: unknown) => {
      assert.ok(err instanceof DeployError);
      assert.equal(err.step, 'commit');
      assert.match(err.message, /chaincode definition not agreed to by this org \(Org2MSP\)/);
      assert.match(err.message, /not approved yet by Org2MSP/);
      return true;
    });
  });

  test('a non-admin identity cannot install or approve', async () => {
    await assert.rejects(deploy(client, { packageBytes, channel: 'mychannel', name: 'basic', version: '1.2', sequence: 3 }, [admin(org1, 'Org1MSP', 'User1')]), (err: unknown) => {
      assert.ok(err instanceof DeployError);
      assert.equal(err.step, 'install');
      assert.match(err.message, /Failed to authorize invocation due to failed ACL check: .*The identity is not an admin under this MSP \[Org1MSP\]/);
      return true;
    });
  });

  test('a file that is not a lifecycle package fails before anything is sent', async () => {
    await assert.rejects(
      deploy(client, { packageBytes: Buffer.from('not a package'), channel: 'mychannel', name: 'basic', version: '1.2', sequence: 3 }, admins()),
      (err: unknown) => {
        assert.ok(err instanceof DeployError);
        assert.equal(err.step, 'package');
        assert.match(err.message, /could not parse as a chaincode install package: error reading as gzip stream/);
        return true;
      },
    );
  });

  test('an unknown package ID is not installed; an unknown function is Fabric error', async () => {
    const arg = codecs.LifecycleQueryInstalledChaincodeArgs.encode({ package_id: 'nope:00' });
    await assert.rejects(evaluate('QueryInstalledChaincode', arg), /could not load chaincode package for package ID 'nope:00'/);
    await assert.rejects(evaluate('Frobnicate', Buffer.alloc(0)), /failed to invoke backing implementation of 'Frobnicate'/);
    await assert.rejects(evaluate('QueryChaincodeDefinition', codecs.LifecycleQueryChaincodeDefinitionArgs.encode({ name: 'missing' })), /namespace missing is not defined/);
    await assert.rejects(evaluateNoArg(), /lifecycle scc operations require exactly two arguments but received 1/);
  });

  test('a member (User1) lists the channel definitions; the installed packages are for admins only', async () => {
    const defs = lifecycleProtos.QueryChaincodeDefinitionsResult.deserializeBinary(await evaluate('QueryChaincodeDefinitions', Buffer.alloc(0), 'User1'));
    assert.deepEqual(
      defs.getChaincodeDefinitionsList().map((d) => [d.getName(), d.getSequence(), d.getVersion()]),
      [['basic', 2, '1.1']],
    );
    await assert.rejects(evaluate('QueryInstalledChaincodes', Buffer.alloc(0), 'User1'), /Failed to authorize invocation due to failed ACL check: .*\[Admins\]/);
  });

  test('after a restart the peer still has the package and the pipeline the committed definition', async () => {
    client.close();
    await engine.dispose();
    engine = await startEngine();
    client = grpcClient(org1, engine.gateway!.server.port);
    const def = engine.transactions.definitions.get('mychannel', 'basic');
    assert.deepEqual([def?.sequence, def?.version], [2, '1.1']);
    const installed = lifecycleProtos.QueryInstalledChaincodesResult.deserializeBinary(await evaluate('QueryInstalledChaincodes', Buffer.alloc(0)));
    assert.equal(installed.getInstalledChaincodesList().length, 1);
    const next = await deploy(client, { packageBytes, channel: 'mychannel', name: 'basic', version: '1.2', sequence: 3 }, admins());
    assert.equal(next.committed.sequence, 3);
  });
});

describe('a committed definition is what the pipeline validates against', () => {
  let dir: string;
  let engine: Engine;

  /** A chaincode that writes one key: enough to be validated against an endorsement policy. */
  const writer: SystemChaincode = {
    init: async () => ({ status: 200 }),
    invoke: async (stub) => {
      await stub.putState(stub.args[1].toString(), stub.args[2]);
      return { status: 200 };
    },
  };

  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-deploy-policy-'));
    engine = await Engine.start(resolveConfig({ dataDir: path.join(dir, 'data'), peerPort: 0, gatewayPort: 0, mode: 'dev' }));
    engine.registerSystemChaincode('writer', writer);
    await engine.launcher.launch({ kind: 'deployment', definition: { name: 'writer', version: '1.0', mode: 'system', language: 'node', path: 'writer' } });
  });

  after(async () => {
    await engine?.dispose();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  test("endorsed by Org1 alone: refused under the channel's default (both orgs), valid once OR('Org1MSP.peer') is committed", async () => {
    const put = (value: string) => engine.transactions.execute({ chaincode: 'writer', args: ['put', 'k', value], endorsingOrgs: ['Org1MSP'] });
    assert.equal((await put('before')).validation, 'ENDORSEMENT_POLICY_FAILURE');
    const org1 = engine.gateway!.org.cryptoPath;
    const org2 = path.join(path.dirname(org1), 'org2.example.com');
    const client = grpcClient(org1, engine.gateway!.server.port);
    try {
      const packageBytes = (await createLifecyclePackage({ folder: EXAMPLE_CHAINCODE, label: 'writer_1.0' })).bytes;
      await deploy(client, { packageBytes, channel: 'mychannel', name: 'writer', version: '1.0', sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')" }, [
        { mspId: 'Org1MSP', ...userCredentials(org1, 'Admin') },
        { mspId: 'Org2MSP', ...userCredentials(org2, 'Admin') },
      ]);
    } finally {
      client.close();
    }
    assert.equal((await put('after')).validation, 'VALID');
  });
});

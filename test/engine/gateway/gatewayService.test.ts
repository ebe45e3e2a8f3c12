/**
 * Evaluate, Endorse, Submit and CommitStatus with the real `@hyperledger/fabric-gateway` Node
 * client against the embedded peer running examples/asset-transfer in dev mode: results, commit
 * statuses, and each error as Fabric's gateway returns it (internal/pkg/gateway/api.go) and as the
 * client surfaces it (GatewayError, EndorseError, CommitStatusError with code and details).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { signers, type Contract, type GatewayError } from '@hyperledger/fabric-gateway';
import { createCertificateAuthority, issueCertificate } from '../../../src/engine/crypto/certificates';
import { generateP256 } from '../../../src/engine/crypto/p256Keys';
import { buildProposal } from '../../../src/engine/transactions/proposal';
import { codecs } from '../../../src/engine/wire/codec';
import * as path from 'path';
import { userCredentials } from '../../support/gatewayClient';
import { REPO_ROOT, startContractChaincode } from '../../support/nodeChaincode';
import { startGatewayPeer, type GatewayPeer } from '../../support/gatewayPeer';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

/** The error a promise rejects with (fails when it resolves). */
async function errorOf(promise: Promise<unknown>): Promise<GatewayError & { transactionId?: string }> {
  try {
    await promise;
  } catch (err) {
    return err as GatewayError & { transactionId?: string };
  }
  throw new assert.AssertionError({ message: 'expected the call to fail' });
}

describe('Gateway: the real Node client', { timeout: 180_000 }, () => {
  let peer: GatewayPeer;
  let contract: Contract;
  let address: string;

  before(async () => {
    peer = await startGatewayPeer();
    contract = peer.connect().gateway.getNetwork('mychannel').getContract('basic');
    address = `peer0.org1.example.com:${peer.port}`;
    await contract.submitTransaction('InitLedger');
  });

  after(async () => {
    await peer?.stop();
  });

  test('evaluate returns the chaincode result and commits nothing', async () => {
    const height = peer.engine.peer.ledger().height;
    const asset = JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'asset1')));
    assert.equal(asset.ID, 'asset1');
    assert.equal(peer.engine.peer.ledger().height, height);
  });

  test('submit commits; the record shows the calling application as the creator', async () => {
    const result = await contract.submitTransaction('CreateAsset', 'submit1', 'red', '3', 'Ana', '100');
    assert.equal(JSON.parse(text(result)).ID, 'submit1');
    const read = JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'submit1')));
    assert.equal(read.Owner, 'Ana');
    const record = peer.engine.transactions.transactions({ limit: 20 }).find((r) => r.fn === 'CreateAsset' && r.args[0] === 'submit1');
    assert.equal(record?.validation, 'VALID');
    assert.equal(record?.creator.mspId, 'Org1MSP');
    assert.match(record?.creator.subject ?? '', /User1@org1\.example\.com/);
  });

  test('submitAsync returns the result at once; getStatus gives VALID and the block number', async () => {
    const commit = await contract.submitAsync('TransferAsset', { arguments: ['asset2', 'Carla'] });
    assert.equal(text(commit.getResult()), 'Brad');
    const status = await commit.getStatus();
    assert.equal(status.successful, true);
    assert.equal(status.code, 0);
    assert.equal(status.transactionId, commit.getTransactionId());
    assert.equal(Number(status.blockNumber), peer.engine.peer.ledger().state.getTransaction(commit.getTransactionId())?.blockNum);
    // Asked again after the commit: answered at once, the same.
    const again = await commit.getStatus();
    assert.equal(again.blockNumber, status.blockNumber);
  });

  test("ctx.clientIdentity in the chaincode is the calling application's identity: User1, or another user with its attributes", async () => {
    const cc = 'identity:1.0';
    const chaincode = startContractChaincode(path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'identity'), cc, peer.engine.peer.address);
    try {
      await peer.engine.peer.waitForReady(cc, 30_000);
      const who = async (c: Contract): Promise<{ id: string; mspId: string; attrs: Record<string, string | null> }> =>
        JSON.parse(text(await c.evaluateTransaction('whoAmI', '["dept"]')));
      const asUser1 = await who(peer.connect().gateway.getNetwork('mychannel').getContract('identity'));
      assert.equal(asUser1.mspId, 'Org1MSP');
      assert.equal(
        asUser1.id,
        'x509::/C=US/ST=California/L=San Francisco/OU=client/CN=User1@org1.example.com::/C=US/ST=California/L=San Francisco/O=org1.example.com/CN=ca.org1.example.com',
      );
      const { identity: alice } = await peer.engine.gateway!.org.organization.ensureIdentity({ name: 'alice', type: 'client', attributes: { dept: 'sales' } });
      const asAlice = await who(peer.connect({ user: 'alice' }).gateway.getNetwork('mychannel').getContract('identity'));
      assert.match(asAlice.id, /^x509::\/.*CN=alice::/);
      assert.deepEqual(asAlice.attrs, { dept: 'sales' });
      assert.match(alice.subject, /CN=alice/);
    } finally {
      await chaincode.kill();
    }
  });

  test('an MVCC conflict: the second of two transactions endorsed on the same version commits as MVCC_READ_CONFLICT', async () => {
    const first = await contract.newProposal('TransferAsset', { arguments: ['asset3', 'Dan'] }).endorse();
    const second = await contract.newProposal('TransferAsset', { arguments: ['asset3', 'Eve'] }).endorse();
    assert.equal((await (await first.submit()).getStatus()).successful, true);
    const status = await (await second.submit()).getStatus();
    assert.equal(status.successful, false);
    assert.equal(status.code, 11); // MVCC_READ_CONFLICT
    assert.equal(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'asset3'))).Owner, 'Dan');
  });

  test('a chaincode error on evaluate: UNKNOWN, "evaluate call to endorser returned error: chaincode response 500, …", with details', async () => {
    const err = await errorOf(contract.evaluateTransaction('ReadAsset', 'nosuch'));
    assert.equal(err.name, 'GatewayError');
    assert.equal(err.code, 2);
    assert.equal(err.message, '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, The asset nosuch does not exist');
    assert.deepEqual(
      err.details.map((d) => ({ ...d })),
      [{ address, mspId: 'Org1MSP', message: 'chaincode response 500, The asset nosuch does not exist' }],
    );
  });

  test('a chaincode error on submit: EndorseError, ABORTED, "failed to endorse transaction, see attached details for more info"', async () => {
    const err = await errorOf(contract.submitTransaction('CreateAsset', 'asset1', 'x', '1', 'y', '1'));
    assert.equal(err.name, 'EndorseError');
    assert.equal(err.code, 10);
    assert.equal(err.message, '10 ABORTED: failed to endorse transaction, see attached details for more info');
    assert.deepEqual(
      err.details.map((d) => ({ ...d })),
      [{ address, mspId: 'Org1MSP', message: 'chaincode response 500, The asset asset1 already exists' }],
    );
    assert.match(err.transactionId ?? '', /^[0-9a-f]{64}$/);
  });

  test("an unknown chaincode or channel: FAILED_PRECONDITION in the gateway's words", async () => {
    const gateway = peer.connect().gateway;
    const evaluate = await errorOf(gateway.getNetwork('mychannel').getContract('nosuchcc').evaluateTransaction('Anything'));
    assert.equal(evaluate.code, 9);
    assert.equal(evaluate.message, '9 FAILED_PRECONDITION: no peers available to evaluate chaincode nosuchcc in channel mychannel');
    const submit = await errorOf(gateway.getNetwork('nosuchchannel').getContract('basic').submitTransaction('CreateAsset', 'z'));
    assert.equal(submit.name, 'EndorseError');
    assert.equal(submit.code, 9);
    assert.equal(
      submit.message,
      '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode basic in channel nosuchchannel',
    );
  });

  describe('a wrong identity is refused', () => {
    const denied = 'error validating proposal: access denied: channel [mychannel] creator org [Org1MSP]';

    test('a certificate from another CA', async () => {
      const ca = await createCertificateAuthority('C=US, O=org1.example.com, CN=ca.org1.example.com');
      const stranger = await issueCertificate(ca, { subject: 'C=US, OU=client, CN=User1@org1.example.com', usage: 'identity' });
      const gateway = peer.connect({
        identity: { mspId: 'Org1MSP', credentials: Buffer.from(stranger.certPem) },
        signer: signers.newPrivateKeySigner(crypto.createPrivateKey(stranger.keyPem)),
      }).gateway;
      const c = gateway.getNetwork('mychannel').getContract('basic');
      const evaluate = await errorOf(c.evaluateTransaction('ReadAsset', 'asset1'));
      assert.equal(evaluate.code, 9);
      assert.equal(evaluate.message, `9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${denied}`);
      const submit = await errorOf(c.submitTransaction('CreateAsset', 'stranger', 'x', '1', 'y', '1'));
      assert.equal(submit.name, 'EndorseError');
      assert.equal(submit.code, 10);
      assert.deepEqual(
        submit.details.map((d) => d.message),
        [denied],
      );
      await assert.rejects(contract.evaluateTransaction('ReadAsset', 'stranger'), /does not exist/);
    });

    test('an expired certificate from the org\'s own CA: "identity expired"', async () => {
      // Enrolled two years ago with Fabric CA's one-year validity.
      const { identity: old } = await peer.engine.gateway!.org.organization.ensureIdentity({ name: 'expired-user', type: 'client' }, Date.now() - 2 * 365 * 24 * 3600_000);
      assert.ok(old.notAfter.getTime() < Date.now());
      const key = crypto.createPrivateKey(fs.readFileSync(old.files!.keyFile));
      const gateway = peer.connect({ identity: { mspId: 'Org1MSP', credentials: Buffer.from(old.certPem) }, signer: signers.newPrivateKeySigner(key) }).gateway;
      const c = gateway.getNetwork('mychannel').getContract('basic');
      const evaluate = await errorOf(c.evaluateTransaction('ReadAsset', 'asset1'));
      assert.equal(evaluate.message, '9 FAILED_PRECONDITION: evaluate call to endorser returned error: error validating proposal: identity expired');
      const submit = await errorOf(c.submitTransaction('CreateAsset', 'expired', 'x', '1', 'y', '1'));
      assert.deepEqual(
        submit.details.map((d) => d.message),
        ['error validating proposal: identity expired'],
      );
    });

    test('a signature by another key', async () => {
      const { privateKey } = generateP256();
      const c = peer
        .connect({ signer: signers.newPrivateKeySigner(privateKey) })
        .gateway.getNetwork('mychannel')
        .getContract('basic');
      const err = await errorOf(c.evaluateTransaction('ReadAsset', 'asset1'));
      assert.equal(err.message, `9 FAILED_PRECONDITION: evaluate call to endorser returned error: ${denied}`);
      const commitErr = await errorOf(
        peer
          .connect({ signer: signers.newPrivateKeySigner(privateKey) })
          .gateway.getNetwork('mychannel')
          .getContract('basic')
          .submitTransaction('CreateAsset', 'badsig', 'x', '1', 'y', '1'),
      );
      assert.equal(commitErr.code, 10);
    });

    test('a transaction id that is not SHA-256(nonce ‖ creator), signed by the right key (offline signing)', async () => {
      const offline = peer.connect({ signer: null }).gateway;
      const unsigned = offline
        .getNetwork('mychannel')
        .getContract('basic')
        .newProposal('ReadAsset', { arguments: ['asset1'] });
      const proposed = codecs.ProposedTransaction.decode(unsigned.getBytes());
      const creator = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from(userCredentials(peer.cryptoPath).certPem) });
      const forged = buildProposal({
        channel: 'mychannel',
        chaincodeName: 'basic',
        args: ['ReadAsset', 'asset1'].map((a) => Buffer.from(a)),
        transient: {},
        isInit: false,
        creator,
        txId: 'f'.repeat(64),
      });
      const bytes = codecs.ProposedTransaction.encode({ ...proposed, transaction_id: forged.txId, proposal: { proposal_bytes: forged.signed.proposal_bytes } });
      const sign = signers.newPrivateKeySigner(crypto.createPrivateKey(userCredentials(peer.cryptoPath).keyPem));
      const signature = await sign(crypto.createHash('sha256').update(forged.signed.proposal_bytes).digest());
      const err = await errorOf(offline.newSignedProposal(bytes, signature).evaluate());
      assert.equal(err.code, 9);
      assert.equal(
        err.message,
        `9 FAILED_PRECONDITION: evaluate call to endorser returned error: error validating proposal: incorrectly computed txid '${'f'.repeat(64)}' -- expected '${crypto.createHash('sha256').update(forged.nonce).update(creator).digest('hex')}'`,
      );
    });

    test('a commit-status request signed by another key: CommitStatusError, PERMISSION_DENIED', async () => {
      const commit = await contract.submitAsync('TransferAsset', { arguments: ['asset1', 'Fay'] });
      const offline = peer.connect({ signer: null }).gateway;
      const { privateKey } = generateP256();
      const bytes = commit.getBytes();
      const signature = await signers.newPrivateKeySigner(privateKey)(commit.getDigest());
      const err = await errorOf(offline.newSignedCommit(bytes, signature).getStatus());
      assert.equal(err.name, 'CommitStatusError');
      assert.equal(err.code, 7);
      assert.equal(
        err.message,
        "7 PERMISSION_DENIED: failed evaluating policy on signed data during check policy [/Channel/Application/Readers]: [implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Readers' sub-policies to be satisfied]",
      );
      assert.equal((await commit.getStatus()).successful, true);
    });
  });

  test('a proposal without a channel: INVALID_ARGUMENT "failed to unpack transaction proposal: …"', async () => {
    const offline = peer.connect({ signer: null }).gateway;
    const unsigned = offline
      .getNetwork('mychannel')
      .getContract('basic')
      .newProposal('ReadAsset', { arguments: ['asset1'] });
    const proposed = codecs.ProposedTransaction.decode(unsigned.getBytes());
    const creator = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from(userCredentials(peer.cryptoPath).certPem) });
    const channelless = buildProposal({ channel: '', chaincodeName: 'basic', args: [Buffer.from('ReadAsset')], transient: {}, isInit: false, creator });
    const bytes = codecs.ProposedTransaction.encode({ ...proposed, transaction_id: channelless.txId, proposal: { proposal_bytes: channelless.signed.proposal_bytes } });
    const err = await errorOf(offline.newSignedProposal(bytes, Buffer.from('sig')).evaluate());
    assert.equal(err.code, 3);
    assert.equal(err.message, '3 INVALID_ARGUMENT: failed to unpack transaction proposal: no channel id provided');
  });

  test('the chaincode does not answer within the execute timeout: ABORTED, the endorser\'s "error in simulation" in the detail', async () => {
    const pid = peer.engine.launcher.running().find((c) => c.ccid === 'basic:1.0')?.process?.pid;
    assert.ok(pid);
    const timeout = peer.engine.peer.executeTimeoutMs;
    peer.engine.peer.executeTimeoutMs = 500;
    process.kill(-pid, 'SIGSTOP');
    let evaluate: GatewayError & { transactionId?: string };
    let endorse: GatewayError & { transactionId?: string };
    try {
      evaluate = await errorOf(contract.evaluateTransaction('ReadAsset', 'asset1'));
      endorse = await errorOf(contract.submitTransaction('CreateAsset', 'stuck', 'x', '1', 'y', '1'));
    } finally {
      process.kill(-pid, 'SIGCONT');
      peer.engine.peer.executeTimeoutMs = timeout;
    }
    assert.equal(evaluate.code, 10);
    assert.match(
      evaluate.message,
      /^10 ABORTED: evaluate call to endorser returned error: error in simulation: failed to execute transaction [0-9a-f]{64}: error sending: timeout expired while executing transaction/,
    );
    assert.equal(endorse.name, 'EndorseError');
    assert.equal(endorse.code, 10);
    assert.equal(endorse.message, '10 ABORTED: failed to endorse transaction, see attached details for more info');
    assert.match(
      endorse.details[0]?.message ?? '',
      new RegExp(`^error in simulation: failed to execute transaction ${endorse.transactionId}: error sending: timeout expired while executing transaction`),
    );
    await assert.rejects(contract.evaluateTransaction('ReadAsset', 'stuck'), /does not exist/);
  });

  test('a call whose deadline passes while the chaincode is stuck: DEADLINE_EXCEEDED; the peer carries on', async () => {
    const pid = peer.engine.launcher.running().find((c) => c.ccid === 'basic:1.0')?.process?.pid;
    assert.ok(pid, 'the launcher runs the chaincode as a process');
    // The whole process group: the chaincode may run under npm or the shim's CLI.
    process.kill(-pid, 'SIGSTOP');
    let err: GatewayError;
    try {
      err = await errorOf(contract.newProposal('ReadAsset', { arguments: ['asset1'] }).evaluate({ deadline: Date.now() + 500 }));
    } finally {
      process.kill(-pid, 'SIGCONT');
    }
    assert.equal(err.name, 'GatewayError');
    assert.equal(err.code, 4);
    assert.match(err.message, /^4 DEADLINE_EXCEEDED/);
    assert.equal(JSON.parse(text(await contract.evaluateTransaction('ReadAsset', 'asset1'))).ID, 'asset1');
  });
});

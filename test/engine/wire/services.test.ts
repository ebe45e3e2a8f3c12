/**
 * Our raw gRPC service definitions against fabric-protos' generated clients (google-protobuf
 * messages, their serializers): the paths, keys and streaming shapes must match, and the bytes our
 * codecs read and write must be what their clients send and expect. Also the error details trailer
 * as the fabric-gateway client decodes it (google.rpc.Status → Any → gateway.ErrorDetail).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { codecs } from '../../../src/engine/wire/codec';
import { Status, TxValidationCode } from '../../../src/engine/wire/messages';
import { errorDetailsOf, statusWithDetails, STATUS_DETAILS_KEY } from '../../../src/engine/wire/rpcStatus';
import { DELIVER_SERVICE, GATEWAY_SERVICE, type DeliverImplementation, type GatewayImplementation } from '../../../src/engine/wire/services';

/* eslint-disable @typescript-eslint/no-explicit-any -- google-protobuf classes are reached untyped, as in conformance.test.ts */
const FP: any = require('@hyperledger/fabric-protos');
const ANY_PB: any = require('google-protobuf/google/protobuf/any_pb');

function sameShape(ours: grpc.ServiceDefinition, theirs: grpc.ServiceDefinition): void {
  const shape = (s: grpc.ServiceDefinition): Record<string, unknown> =>
    Object.fromEntries(Object.entries(s).map(([k, m]) => [k, { path: m.path, requestStream: m.requestStream, responseStream: m.responseStream }]));
  assert.deepEqual(shape(ours), shape(theirs));
}

describe('gRPC service definitions', () => {
  test('gateway.Gateway and protos.Deliver have fabric-protos’ method keys, paths and streaming shapes', () => {
    sameShape(GATEWAY_SERVICE, FP.gateway.GatewayService);
    sameShape(DELIVER_SERVICE, FP.peer.DeliverService);
  });

  describe('served by grpc-js, called by fabric-protos’ clients', () => {
    let server: grpc.Server;
    let address: string;
    const seen: { cancelled?: boolean; deliverEnvelope?: Buffer } = {};

    before(async () => {
      server = new grpc.Server();
      const gateway: GatewayImplementation = {
        endorse: (call, callback) => {
          const request = codecs.EndorseRequest.decode(call.request);
          if (request.channel_id === 'fail') {
            callback(
              statusWithDetails(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info', [
                { address: 'peer0.org1.example.com:7051', msp_id: 'Org1MSP', message: 'chaincode response 500, asset1 does not exist' },
              ]),
            );
            return;
          }
          const payload = Buffer.concat([Buffer.from(request.transaction_id), request.proposed_transaction?.proposal_bytes ?? Buffer.alloc(0)]);
          callback(null, codecs.EndorseResponse.encode({ prepared_transaction: { payload } }));
        },
        submit: (_call, callback) => callback(null, codecs.SubmitResponse.encode({})),
        commitStatus: (call, callback) => {
          const request = codecs.CommitStatusRequest.decode(codecs.SignedCommitStatusRequest.decode(call.request).request);
          callback(null, codecs.CommitStatusResponse.encode({ result: TxValidationCode.MVCC_READ_CONFLICT, block_number: request.transaction_id.length }));
        },
        evaluate: (_call, callback) => callback(null, codecs.EvaluateResponse.encode({ result: { status: 200, payload: Buffer.from('{"ID":"asset1"}') } })),
        chaincodeEvents: (call) => {
          let block = 5;
          const timer = setInterval(
            () => call.write(codecs.ChaincodeEventsResponse.encode({ events: [{ event_name: 'Created', tx_id: `tx${block}` }], block_number: block++ })),
            5,
          );
          call.on('cancelled', () => {
            seen.cancelled = true;
            clearInterval(timer);
          });
        },
      };
      const deliver: DeliverImplementation = {
        deliver: (call) => {
          call.once('data', (envelope: Buffer) => {
            seen.deliverEnvelope = envelope;
            call.write(codecs.DeliverResponse.encode({ block: { header: { number: 7, data_hash: Buffer.alloc(32, 1) }, data: { data: [envelope] } } }));
            call.write(codecs.DeliverResponse.encode({ status: Status.SUCCESS }));
            call.end();
          });
        },
        deliverFiltered: (call) => call.end(),
        deliverWithPrivateData: (call) => call.end(),
      };
      server.addService(GATEWAY_SERVICE, gateway);
      server.addService(DELIVER_SERVICE, deliver);
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
      );
      address = `127.0.0.1:${port}`;
    });

    after(() => server.forceShutdown());

    const gatewayClient = (): any => new FP.gateway.GatewayClient(address, grpc.credentials.createInsecure());

    test('unary Endorse: their request decodes with our codec, our response decodes with their class', async () => {
      const client = gatewayClient();
      const proposal = new FP.peer.SignedProposal();
      proposal.setProposalBytes(Buffer.from([1, 2, 3]));
      const request = new FP.gateway.EndorseRequest();
      request.setTransactionId('tx1');
      request.setChannelId('mychannel');
      request.setProposedTransaction(proposal);
      const response: any = await new Promise((resolve, reject) => client.endorse(request, (err: Error | null, r: unknown) => (err ? reject(err) : resolve(r))));
      assert.deepEqual(Buffer.from(response.getPreparedTransaction().getPayload_asU8()), Buffer.from([...Buffer.from('tx1'), 1, 2, 3]));
      client.close();
    });

    test('CommitStatus: validation code and block number as their client reads them', async () => {
      const client = gatewayClient();
      const inner = new FP.gateway.CommitStatusRequest();
      inner.setTransactionId('abcdef');
      const request = new FP.gateway.SignedCommitStatusRequest();
      request.setRequest(inner.serializeBinary());
      const response: any = await new Promise((resolve, reject) => client.commitStatus(request, (err: Error | null, r: unknown) => (err ? reject(err) : resolve(r))));
      assert.equal(response.getResult(), FP.peer.TxValidationCode.MVCC_READ_CONFLICT);
      assert.equal(response.getBlockNumber(), 6);
      client.close();
    });

    test('an error with ErrorDetails: code, message and details decode as the fabric-gateway client decodes them', async () => {
      const client = gatewayClient();
      const request = new FP.gateway.EndorseRequest();
      request.setChannelId('fail');
      const err: grpc.ServiceError = await new Promise((resolve) => client.endorse(request, (e: grpc.ServiceError) => resolve(e)));
      assert.equal(err.code, grpc.status.ABORTED);
      assert.equal(err.details, 'failed to endorse transaction, see attached details for more info');
      // fabric-gateway node/src/gatewayerror.ts: Status.deserializeBinary(trailer), then any.unpack(ErrorDetail).
      const [raw] = err.metadata.get(STATUS_DETAILS_KEY);
      const status = FP.google.rpc.Status.deserializeBinary(raw);
      assert.equal(status.getCode(), grpc.status.ABORTED);
      assert.equal(status.getMessage(), 'failed to endorse transaction, see attached details for more info');
      const details = status.getDetailsList().map((a: any) => {
        assert.ok(a instanceof ANY_PB.Any);
        return a.unpack(FP.gateway.ErrorDetail.deserializeBinary, 'gateway.ErrorDetail');
      });
      assert.deepEqual(
        details.map((d: any) => [d.getAddress(), d.getMspId(), d.getMessage()]),
        [['peer0.org1.example.com:7051', 'Org1MSP', 'chaincode response 500, asset1 does not exist']],
      );
      assert.deepEqual(errorDetailsOf(err.metadata), [{ address: 'peer0.org1.example.com:7051', msp_id: 'Org1MSP', message: 'chaincode response 500, asset1 does not exist' }]);
      client.close();
    });

    test('server-streaming ChaincodeEvents: responses in order until the client cancels', async () => {
      const client = gatewayClient();
      const call = client.chaincodeEvents(new FP.gateway.SignedChaincodeEventsRequest());
      const blocks: number[] = [];
      await new Promise<void>((resolve) => {
        call.on('data', (r: any) => {
          blocks.push(r.getBlockNumber());
          assert.equal(r.getEventsList()[0].getEventName(), 'Created');
          if (blocks.length === 3) {
            call.cancel();
            resolve();
          }
        });
        call.on('error', () => undefined); // CANCELLED, expected
      });
      assert.deepEqual(blocks, [5, 6, 7]);
      const deadline = Date.now() + 2000;
      while (!seen.cancelled && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      assert.equal(seen.cancelled, true, 'the server saw the cancellation');
      client.close();
    });

    test('bidi Deliver: an envelope in, a block and a status out', async () => {
      const client = new FP.peer.DeliverClient(address, grpc.credentials.createInsecure());
      const call = client.deliver();
      const envelope = new FP.common.Envelope();
      envelope.setPayload(Buffer.from('seek'));
      envelope.setSignature(Buffer.from('sig'));
      const responses: any[] = [];
      await new Promise<void>((resolve, reject) => {
        call.on('data', (r: any) => responses.push(r));
        call.on('end', resolve);
        call.on('error', reject);
        call.write(envelope);
        call.end();
      });
      assert.deepEqual(seen.deliverEnvelope, Buffer.from(envelope.serializeBinary()));
      assert.equal(responses.length, 2);
      const block = responses[0].getBlock();
      assert.equal(block.getHeader().getNumber(), 7);
      assert.deepEqual(Buffer.from(block.getData().getDataList_asU8()[0]), Buffer.from(envelope.serializeBinary()));
      assert.equal(responses[1].getStatus(), FP.common.Status.SUCCESS);
      client.close();
    });
  });
});

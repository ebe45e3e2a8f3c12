/**
 * A connection to a Fabric network through one peer's Gateway, with the real
 * `@hyperledger/fabric-gateway` client: evaluate and submit transactions, chaincode events,
 * blocks (Deliver), the read/write set of a committed transaction (its block, from qscc
 * GetBlockByTxID), and the chaincodes defined on the channel (`_lifecycle`
 * QueryChaincodeDefinitions). What comes back has the embedded peer's shapes (result fields,
 * BlockView, read/write sets), so the CLI and the editor show a network as they show their own peer.
 *
 * The client and gRPC are loaded on the first connect, not with this module: activation and
 * commands that never connect do not pay for them.
 */
import type * as grpcTypes from '@grpc/grpc-js';
import type * as gatewayTypes from '@hyperledger/fabric-gateway';
import * as crypto from 'crypto';
import { readBlock, readTransaction, type BlockView, type BlockTransactionView } from '../ledger/blocks/blockReader';
import { decodeReadWriteSet, type FabricReadWriteSet } from '../ledger/blocks/rwsetEncoding';
import { codecs } from '../wire/codec';
import { TxValidationCode } from '../wire/messages';
import { probeEndpoint } from './endpointProbe';
import { chaincodeResponseOf, gatewayErrorText } from './gatewayErrors';
import { chaincodeDefinitionsArgs, readChaincodeDefinitions, type ChaincodeDefinitionSummary, LifecycleUnavailableError, isUnknownLifecycle } from './lifecycleQuery';
import { NetworkConnectionError, type ConnectionSpec } from './types';
import { validationName } from './validationCodes';

export interface ConnectOptions {
  /** How long reaching the peer may take (TCP + TLS handshake, then the first call). Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Deadline of each evaluate, endorse and submit. Default 30 s. */
  readonly callTimeoutMs?: number;
  /** Deadline of waiting for a submitted transaction's commit. Default 60 s. */
  readonly commitTimeoutMs?: number;
}

/** A transaction's outcome in the fields the CLI's result lines print (src/cli/results.ts). */
export interface NetworkTransactionResult {
  readonly txId: string;
  readonly channel: string;
  /** The chaincode's response status: 200 when it succeeded; its own status (≥ 400) when it failed. */
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  /** Fabric's TxValidationCode name once committed; NOT_VALIDATED for an evaluation; NOT_COMMITTED when endorsement failed. */
  readonly validation: string;
  readonly event: { readonly chaincodeId: string; readonly txId: string; readonly eventName: string; readonly payload: Buffer } | null;
  readonly blockNumber: number | null;
}

export interface NetworkChaincodeEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly chaincodeId: string;
  readonly eventName: string;
  readonly payload: Buffer;
}

/** A committed transaction as its block holds it, with its read/write set. */
export interface CommittedTransaction {
  readonly txId: string;
  readonly blockNumber: number;
  readonly validation: string;
  readonly transaction: BlockTransactionView;
  /** The read/write set of each chaincode action (clients send one). */
  readonly readWriteSets: readonly { readonly chaincode: string; readonly rwset: FabricReadWriteSet }[];
}

/** A stream of events or blocks; `close` ends it (and the gRPC call). */
export interface EventStream<T> extends AsyncIterable<T> {
  close(): void;
}

export { LifecycleUnavailableError, type ChaincodeDefinitionSummary };

/** A call through the Gateway failed: the gateway's words and details, kept whole. */
export class GatewayCallError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'GatewayCallError';
  }
}

export class NetworkConnection {
  private constructor(
    readonly spec: ConnectionSpec,
    private readonly gateway: gatewayTypes.Gateway,
    private readonly client: grpcTypes.Client,
    private readonly network: gatewayTypes.Network,
  ) {}

  /**
   * Reaches the peer (bounded by connectTimeoutMs), then asks qscc for the channel's height as the
   * identity: a wrong endpoint, TLS CA, channel or identity fails here, with what to fix.
   */
  static async connect(spec: ConnectionSpec, options: ConnectOptions = {}): Promise<NetworkConnection> {
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    await probeEndpoint(spec, connectTimeoutMs);
    /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first connect (see the module comment) */
    const grpc = require('@grpc/grpc-js') as typeof grpcTypes;
    const fabric = require('@hyperledger/fabric-gateway') as typeof gatewayTypes;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const credentials = spec.tls ? grpc.credentials.createSsl(Buffer.from(spec.tls.caPem)) : grpc.credentials.createInsecure();
    const client = new grpc.Client(spec.endpoint, credentials, spec.hostAlias ? { 'grpc.ssl_target_name_override': spec.hostAlias } : {});
    const callTimeout = options.callTimeoutMs ?? 30_000;
    const deadline = (ms: number) => () => ({ deadline: Date.now() + ms });
    let gateway: gatewayTypes.Gateway;
    try {
      gateway = fabric.connect({
        client,
        identity: { mspId: spec.identity.mspId, credentials: Buffer.from(spec.identity.certPem) },
        signer: fabric.signers.newPrivateKeySigner(crypto.createPrivateKey(spec.identity.keyPem)),
        hash: fabric.hash.sha256,
        evaluateOptions: deadline(callTimeout),
        endorseOptions: deadline(callTimeout),
        submitOptions: deadline(callTimeout),
        commitStatusOptions: deadline(options.commitTimeoutMs ?? 60_000),
      });
    } catch (err) {
      client.close();
      throw new NetworkConnectionError(`cannot use the identity ${spec.identity.certFile} / ${spec.identity.keyFile}: ${(err as Error).message}`, { cause: err });
    }
    const connection = new NetworkConnection(spec, gateway, client, gateway.getNetwork(spec.channel));
    try {
      await connection.chainHeight(connectTimeoutMs);
    } catch (err) {
      connection.close();
      throw new NetworkConnectionError(
        `the Gateway at ${spec.endpoint} refused ${spec.identity.mspId}'s identity ${spec.identity.certFile} on channel ${spec.channel}: ${gatewayErrorText(err)}`,
        { cause: err },
      );
    }
    return connection;
  }

  get channel(): string {
    return this.spec.channel;
  }

  /** The channel's height (qscc GetChainInfo): the number of the next block. */
  async chainHeight(timeoutMs?: number): Promise<number> {
    const proposal = this.network.getContract('qscc').newProposal('GetChainInfo', { arguments: [this.spec.channel] });
    const bytes = await proposal.evaluate(timeoutMs === undefined ? undefined : { deadline: Date.now() + timeoutMs });
    return Number(codecs.BlockchainInfo.decode(bytes).height ?? 0);
  }

  /** Runs a transaction function without committing it (Fabric's evaluate). A chaincode failure is a result, not a throw. */
  async evaluate(chaincode: string, args: readonly (string | Uint8Array)[], transient?: Record<string, string | Uint8Array>): Promise<NetworkTransactionResult> {
    const [fn, ...rest] = args;
    const proposal = this.network.getContract(chaincode).newProposal(asText(fn), { arguments: rest, ...(transient ? { transientData: transient } : {}) });
    const txId = proposal.getTransactionId();
    try {
      const payload = Buffer.from(await proposal.evaluate());
      return { txId, channel: this.spec.channel, status: 200, message: '', payload, validation: 'NOT_VALIDATED', event: null, blockNumber: null };
    } catch (err) {
      return this.failedResult(txId, err, 'NOT_VALIDATED');
    }
  }

  /** Endorses, submits and waits for the commit (Fabric's submit). A chaincode failure is a result, not a throw. */
  async submit(chaincode: string, args: readonly (string | Uint8Array)[], transient?: Record<string, string | Uint8Array>): Promise<NetworkTransactionResult> {
    const [fn, ...rest] = args;
    const proposal = this.network.getContract(chaincode).newProposal(asText(fn), { arguments: rest, ...(transient ? { transientData: transient } : {}) });
    const txId = proposal.getTransactionId();
    let transaction: gatewayTypes.Transaction;
    try {
      transaction = await proposal.endorse();
    } catch (err) {
      return this.failedResult(txId, err, 'NOT_COMMITTED');
    }
    const prepared = preparedTransaction(transaction.getBytes());
    const action = prepared.actions[0];
    let status: gatewayTypes.Status;
    try {
      status = await (await transaction.submit()).getStatus();
    } catch (err) {
      throw new GatewayCallError(`transaction ${txId} on ${chaincode}: ${gatewayErrorText(err)}`, { cause: err });
    }
    return {
      txId,
      channel: this.spec.channel,
      status: action?.response.status ?? 200,
      message: action?.response.message ?? '',
      payload: Buffer.from(transaction.getResult()),
      validation: validationName(status.code),
      event: action?.event ?? null,
      blockNumber: Number(status.blockNumber),
    };
  }

  /** Chaincode events of `chaincode` from `startBlock` (default: the next commit), as the Gateway streams them. */
  async chaincodeEvents(chaincode: string, startBlock?: number): Promise<EventStream<NetworkChaincodeEvent>> {
    const events = await this.call('chaincode events', () => this.network.getChaincodeEvents(chaincode, startBlock === undefined ? {} : { startBlock: BigInt(startBlock) }));
    return mapStream(events, (e) => ({
      blockNumber: Number(e.blockNumber),
      txId: e.transactionId,
      chaincodeId: e.chaincodeName,
      eventName: e.eventName,
      payload: Buffer.from(e.payload),
    }));
  }

  /** Blocks from `startBlock` (default: the next one committed), through Deliver, read as the embedded peer reads its own. */
  async blocks(startBlock?: number): Promise<EventStream<BlockView>> {
    const blocks = await this.call('block events', () => this.network.getBlockEvents(startBlock === undefined ? {} : { startBlock: BigInt(startBlock) }));
    return mapStream(blocks, (b) => readBlock(b.serializeBinary()));
  }

  /** The committed transaction `txId` from its block (qscc GetBlockByTxID), with its read/write sets. */
  async committedTransaction(txId: string): Promise<CommittedTransaction> {
    const bytes = await this.call(`GetBlockByTxID ${txId}`, () => this.network.getContract('qscc').evaluate('GetBlockByTxID', { arguments: [this.spec.channel, txId] }));
    const block = readBlock(bytes);
    const transaction = block.transactions.find((t) => t.header?.txId === txId);
    if (!transaction) throw new GatewayCallError(`block ${block.number}, which qscc gave for ${txId}, does not hold it`);
    return {
      txId,
      blockNumber: block.number,
      validation: validationName(transaction.validationCode),
      transaction,
      readWriteSets: transaction.actions.map((a) => ({ chaincode: a.chaincodeId.name, rwset: decodeReadWriteSet(this.spec.channel, a.results) })),
    };
  }

  /** Block `number` of the channel as the peer stores it (qscc GetBlockByNumber): a marshalled common.Block. */
  async blockBytes(number: number): Promise<Uint8Array> {
    return this.call(`GetBlockByNumber ${number}`, () => this.network.getContract('qscc').evaluate('GetBlockByNumber', { arguments: [this.spec.channel, String(number)] }));
  }

  /** The chaincodes defined on the channel (`_lifecycle` QueryChaincodeDefinitions, evaluated through the Gateway). */
  async chaincodeDefinitions(): Promise<ChaincodeDefinitionSummary[]> {
    let bytes: Uint8Array;
    try {
      bytes = await this.network.getContract('_lifecycle').evaluate('QueryChaincodeDefinitions', { arguments: [chaincodeDefinitionsArgs()] });
    } catch (err) {
      if (isUnknownLifecycle(err)) {
        throw new LifecycleUnavailableError(
          `the peer at ${this.spec.endpoint} does not serve _lifecycle on channel ${this.spec.channel}, so it cannot list the chaincodes defined there: ${gatewayErrorText(err)}`,
          {
            cause: err,
          },
        );
      }
      throw new GatewayCallError(`_lifecycle QueryChaincodeDefinitions on ${this.spec.channel}: ${gatewayErrorText(err)}`, { cause: err });
    }
    return readChaincodeDefinitions(bytes);
  }

  close(): void {
    this.gateway.close();
    this.client.close();
  }

  private failedResult(txId: string, err: unknown, validation: string): NetworkTransactionResult {
    const response = chaincodeResponseOf(err);
    if (!response) throw new GatewayCallError(`transaction ${txId}: ${gatewayErrorText(err)}`, { cause: err });
    return { txId, channel: this.spec.channel, status: response.status, message: response.message, payload: Buffer.alloc(0), validation, event: null, blockNumber: null };
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new GatewayCallError(`${what} on ${this.spec.channel}: ${gatewayErrorText(err)}`, { cause: err });
    }
  }
}

function asText(fn: string | Uint8Array | undefined): string {
  if (fn === undefined) throw new GatewayCallError('a transaction needs a function name');
  return typeof fn === 'string' ? fn : Buffer.from(fn).toString('utf8');
}

/** The Gateway's prepared transaction (gateway.PreparedTransaction{transaction_id = 1, envelope = 2}): its endorsed action. */
function preparedTransaction(bytes: Uint8Array): BlockTransactionView {
  const envelope = preparedEnvelope(bytes);
  return readTransaction(envelope, 0, TxValidationCode.NOT_VALIDATED);
}

function preparedEnvelope(bytes: Uint8Array): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the client's own protos, loaded with it
  const { gateway } = require('@hyperledger/fabric-protos') as typeof import('@hyperledger/fabric-protos');
  const envelope = gateway.PreparedTransaction.deserializeBinary(bytes).getEnvelope();
  if (!envelope) throw new GatewayCallError('the Gateway endorsed a transaction without an envelope');
  return envelope.serializeBinary();
}

function mapStream<A, B>(source: gatewayTypes.CloseableAsyncIterable<A>, map: (a: A) => B): EventStream<B> {
  return {
    close: () => source.close(),
    async *[Symbol.asyncIterator]() {
      for await (const item of source) yield map(item);
    },
  };
}

/**
 * The Gateway of one peer: its services over the peer's pipeline and ledgers, on their own TLS
 * port, named as the organisation's peer0 (`peer0.org1.example.com:<port>` in error details, the
 * TLS certificate's host name).
 */
import type { Peer } from '../peer/peer';
import type { TransactionPipeline } from '../transactions/pipeline';
import type { BlockSources } from './blockSource';
import type { CallerVerifier } from './callers';
import { ChaincodeEventsService } from './chaincodeEvents';
import { DeliverService } from './deliverService';
import { GatewayServer } from './gatewayServer';
import type { Endpoints } from './gatewayErrors';
import { GatewayService, type GatewayBackend } from './gatewayService';

export interface PeerGatewayOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 = an ephemeral port. */
  readonly port: number;
  /** The peer's TLS server certificate and key (PEM). */
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  /** The peer's name in its organisation, e.g. `peer0.org1.example.com`. */
  readonly peerName: string;
  readonly mspId: string;
  readonly verifier: CallerVerifier;
  readonly blocks: BlockSources;
  /**
   * Where another org's peer serves its Gateway (`host:port`, as error details name it), once it
   * listens; without it, or before, the peer's name alone.
   */
  readonly addressOf?: (peerName: string) => string | undefined;
}

/** The pipeline and the peer, as the Gateway asks about them. */
export function peerBackend(peer: Peer, pipeline: TransactionPipeline): GatewayBackend {
  return {
    pipeline,
    hasChannel: (channel) => peer.ledgers().some((l) => l.channel === channel),
    hasChaincode: (chaincode) =>
      peer.readyHandler(chaincode).then(
        () => true,
        () => false,
      ),
    // The block store indexes every transaction in a block, valid or not (Fabric's GetTransactionByID).
    isOnLedger: (channel, txId) =>
      peer
        .ledgers()
        .find((l) => l.channel === channel)
        ?.blocks.findTransaction(txId) !== undefined,
  };
}

export class PeerGateway {
  private constructor(
    private readonly server: GatewayServer,
    readonly peerName: string,
  ) {}

  static async start(peer: Peer, pipeline: TransactionPipeline, options: PeerGatewayOptions): Promise<PeerGateway> {
    let port = options.port;
    // Error details name the peer as clients know it; the port is known once bound.
    const endpoints: Endpoints = {
      self: {
        get address(): string {
          return `${options.peerName}:${port}`;
        },
        mspId: options.mspId,
      },
      of: (peerName, mspId) => ({ address: options.addressOf?.(peerName) ?? peerName, mspId }),
    };
    const services = {
      gateway: new GatewayService(peerBackend(peer, pipeline), options.verifier, endpoints),
      chaincodeEvents: new ChaincodeEventsService(options.verifier, options.blocks),
      deliver: new DeliverService(options.verifier, options.blocks, (channel, creator) => pipeline.privateDataRecipient(channel, creator)),
    };
    const server = await GatewayServer.start({ host: options.host, port: options.port, tls: options.tls }, services);
    port = server.port;
    return new PeerGateway(server, options.peerName);
  }

  get port(): number {
    return this.server.port;
  }

  /** `host:port` it listens on. */
  get address(): string {
    return this.server.address;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

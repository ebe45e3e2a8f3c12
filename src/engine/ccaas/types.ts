/**
 * The chaincode's side of chaincode as a service: a chaincode served from this machine for a peer
 * (a real network's, or the embedded one) to dial. What the CLI's `serve` prints and the editor's
 * Chaincodes view shows about it.
 */
import type { Language } from '../platforms/types';

/**
 * starting: the chaincode's own server is not listening yet (its process or debuggee is starting);
 * serving: a peer that dials the address reaches the chaincode;
 * stopped: it was stopped, or its process ended (`lastError` says how).
 */
export type ServingStatus = 'starting' | 'serving' | 'stopped';

/** The TLS a dialling peer meets: none, the server's certificate, or that plus a client certificate it must present. */
export type ServingTls = 'off' | 'tls' | 'mutual';

/** One connection a peer opened: Fabric's peer opens one per `protos.Chaincode/Connect` stream. */
export interface PeerConnection {
  readonly id: number;
  /** `host:port` of the peer, as this machine sees it. */
  readonly remote: string;
  readonly since: number;
  /** With client authentication: the subject of the certificate the peer presented. */
  readonly clientSubject?: string;
}

export interface ServedChaincodeInfo {
  /** The id the chaincode registers with: the package ID the peer installed (`label:hash`). */
  readonly packageId: string;
  readonly language: Language;
  readonly folder: string;
  /** `host:port` peers dial (as bound: a port 0 is the port the system chose). */
  readonly address: string;
  readonly tls: ServingTls;
  readonly status: ServingStatus;
  readonly since: number;
  /** Connections open now. */
  readonly connections: readonly PeerConnection[];
  /** The chaincode process we started (absent when a debugger runs it). */
  readonly pid?: number;
  readonly lastError?: string;
}

/** PEM material of the address peers dial. */
export interface ServingTlsMaterial {
  /** The server certificate (chain) peers verify against the `root_cert` of their connection.json. */
  readonly certPem: string;
  readonly keyPem: string;
  /** Present: peers must present a certificate this CA issued (`client_auth_required`). */
  readonly clientCaPem?: string;
}

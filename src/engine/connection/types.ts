/**
 * A connection to a Fabric network as the Gateway client needs it: one peer's Gateway endpoint
 * (with the TLS CA its certificate chains to and the host name it carries), the identity that
 * signs, and the channel. Every form the user can give (connection fields, a connection profile, a
 * test-network `organizations/` folder) is read into this one shape; the files it names are read
 * once, so what follows never touches the disk again.
 */

/** The user's certificate and private key, with the MSP id of the org whose CA issued it. */
export interface ConnectionIdentity {
  readonly mspId: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** The files they came from (for messages). */
  readonly certFile: string;
  readonly keyFile: string;
}

export interface ConnectionSpec {
  /** `host:port` of the peer's Gateway (no scheme). */
  readonly endpoint: string;
  /**
   * PEM of the CA the peer's TLS certificate chains to, and where it came from; null for a
   * plaintext endpoint (a profile's `grpc://` url).
   */
  readonly tls: { readonly caPem: string; readonly caFile: string } | null;
  /** The name the peer's TLS certificate carries, when it is not the endpoint's host (Fabric's `ssl-target-name-override`). */
  readonly hostAlias?: string;
  readonly identity: ConnectionIdentity;
  readonly channel: string;
  /** What the connection was read from (the file, and the form), for messages. */
  readonly source: string;
}

/** Where a connection's description lives: a field of a file. Errors name both. */
export class ConnectionConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConnectionConfigError';
  }
}

/** The network could not be reached, or refused the connection (TLS, identity): what failed and why. */
export class NetworkConnectionError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'NetworkConnectionError';
  }
}

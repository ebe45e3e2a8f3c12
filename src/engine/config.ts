/**
 * Every setting of the engine, in one typed object shared by the CLI (flags / config file) and the
 * editor (the `chaincode.*` settings). Defaults follow Fabric's core.yaml where Fabric has one.
 */
import { DEFAULT_BASE_IMAGES, type BaseImages } from './platforms/types';

export type ChaincodeMode = 'dev' | 'net';
export type NetworkMode = 'host' | 'bridge-host-gateway';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
export type LedgerDurability = 'process' | 'disk';

/**
 * The TLS files of a `tcp://` Docker endpoint, named as the Docker CLI names them. TLS is on when
 * `verify` is, when DOCKER_TLS_VERIFY is set (as the Docker CLI reads it) or for an `https://`
 * endpoint; the daemon's certificate is then always verified against the CA.
 */
export interface DockerTlsSettings {
  /** Docker's `--tlsverify`. */
  readonly verify: boolean;
  /** Docker's DOCKER_CERT_PATH: the folder of ca.pem, cert.pem and key.pem; default DOCKER_CERT_PATH, else ~/.docker. */
  readonly certPath?: string;
  /** Docker's `--tlscacert`, `--tlscert`, `--tlskey`: a file instead of the folder's. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

export interface EngineConfig {
  /** Address the peer's chaincode server listens on; loopback by default (network safety). */
  readonly peerHost: string;
  /** 0 = an ephemeral port. Fabric's default chaincode port is 7052. */
  readonly peerPort: number;
  /**
   * The Fabric Gateway's port (gateway.Gateway and Deliver, server TLS), where client applications
   * connect as to a peer's main port; it listens on peerHost. 0 = an ephemeral port; null = no
   * Gateway. The CLI and the editor offer DEFAULT_GATEWAY_PORT; an engine made in code (tests,
   * tools) has none unless it asks, so two of them never race for one port.
   */
  readonly gatewayPort: number | null;
  /** Where the world state, transaction records, identities and the chaincode registry live. */
  readonly dataDir: string;
  readonly mode: ChaincodeMode;
  /** Fabric's chaincode.startuptimeout (ms). */
  readonly startupTimeoutMs: number;
  /** Fabric's chaincode.executetimeout (ms). */
  readonly executeTimeoutMs: number;
  /** Fabric's vm.endpoint: a unix socket path, or a `tcp://` or `ssh://user@host` URL of the Docker engine. */
  readonly dockerEndpoint: string;
  readonly dockerTls: DockerTlsSettings;
  /**
   * `HOST:PORT` net-mode containers dial to reach the peer's TLS listener, for a Docker engine on
   * another machine; the listener then listens on PORT (0: any free port, which containers are
   * told). Unset: containers dial the listener where it listens, on the peer's host.
   */
  readonly peerExternalAddress?: string;
  /** Base image per language (net mode). */
  readonly baseImages: BaseImages;
  /** How containers reach the peer: host networking (Linux) or host.docker.internal. */
  readonly networkMode: NetworkMode;
  /**
   * The organisations of the network, by MSP id (`Org3MSP` → org3.example.com): each gets its own
   * CA, peer, chaincode instances and copy of the ledger, as on Fabric's test network. The first is
   * the one the editor and the CLI talk to.
   */
  readonly orgs: readonly string[];
  /** The MSP id of the calling identity's organisation (one of `orgs`). */
  readonly mspId: string;
  /** The default channel transactions run on. */
  readonly channel: string;
  /** The channels every peer joins (the default channel always). */
  readonly channels: readonly string[];
  readonly logLevel: LogLevel;
  /** Mutual TLS between peer and chaincode containers in net mode (Fabric's default). */
  readonly netModeTls: boolean;
  /**
   * When a commit counts as done: `process`, written to the ledger's log (a crash or kill of the
   * editor or CLI loses nothing; the disk sync follows within 10 ms), or `disk`, synced to disk
   * first (a power loss loses nothing either; each commit waits for the disk).
   */
  readonly ledgerDurability: LedgerDurability;
}

/** A Fabric peer's main port, where fabric-samples applications look for the Gateway. */
export const DEFAULT_GATEWAY_PORT = 7051;

export const DEFAULT_CONFIG: EngineConfig = {
  peerHost: '127.0.0.1',
  peerPort: 7052,
  gatewayPort: null,
  dataDir: '.chaincode',
  mode: 'dev',
  startupTimeoutMs: 300_000,
  executeTimeoutMs: 30_000,
  dockerEndpoint: 'unix:///var/run/docker.sock',
  dockerTls: { verify: false },
  baseImages: DEFAULT_BASE_IMAGES,
  networkMode: 'host',
  orgs: ['Org1MSP', 'Org2MSP'],
  mspId: 'Org1MSP',
  channel: 'mychannel',
  channels: ['mychannel'],
  logLevel: 'info',
  netModeTls: true,
  ledgerDurability: 'process',
};

/** Merge partial settings over the defaults (nested baseImages and dockerTls merged key by key). */
export function resolveConfig(
  partial: Partial<Omit<EngineConfig, 'baseImages' | 'dockerTls'>> & { baseImages?: Partial<EngineConfig['baseImages']>; dockerTls?: Partial<DockerTlsSettings> } = {},
): EngineConfig {
  return {
    ...DEFAULT_CONFIG,
    ...partial,
    baseImages: { ...DEFAULT_CONFIG.baseImages, ...(partial.baseImages ?? {}) },
    dockerTls: { ...DEFAULT_CONFIG.dockerTls, ...(partial.dockerTls ?? {}) },
  };
}

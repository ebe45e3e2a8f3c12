/**
 * The `chaincode.*` settings mapped onto the engine's EngineConfig (seconds in settings, ms in the
 * engine). Pure: config.ts feeds it VS Code's configuration; unit tests feed it a map.
 */
import { ChaincodeMode, DEFAULT_CONFIG, EngineConfig, LedgerDurability, LogLevel, NetworkMode, resolveConfig } from '../engine/config';

/** Reads one setting (key without the `chaincode.` prefix); undefined = not set. */
export type SettingReader = <T>(key: string) => T | undefined;

const MODES: readonly ChaincodeMode[] = ['dev', 'net'];
const NETWORK_MODES: readonly NetworkMode[] = ['host', 'bridge-host-gateway'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error'];
const DURABILITIES: readonly LedgerDurability[] = ['process', 'disk'];

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

function nonEmpty(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : fallback;
}

function seconds(value: unknown, fallbackMs: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : fallbackMs;
}

/** `defaultDataDir` is used when `chaincode.dataDir` is empty (the extension's workspace storage). */
export function engineConfigFrom(get: SettingReader, defaultDataDir: string): EngineConfig {
  const port = get<number>('peer.port');
  return resolveConfig({
    peerHost: nonEmpty(get('peer.host'), DEFAULT_CONFIG.peerHost),
    peerPort: typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : DEFAULT_CONFIG.peerPort,
    dataDir: nonEmpty(get('dataDir'), defaultDataDir),
    mode: oneOf(get('mode'), MODES, DEFAULT_CONFIG.mode),
    startupTimeoutMs: seconds(get('startupTimeout'), DEFAULT_CONFIG.startupTimeoutMs),
    executeTimeoutMs: seconds(get('executeTimeout'), DEFAULT_CONFIG.executeTimeoutMs),
    dockerEndpoint: nonEmpty(get('docker.endpoint'), DEFAULT_CONFIG.dockerEndpoint),
    networkMode: oneOf(get('docker.networkMode'), NETWORK_MODES, DEFAULT_CONFIG.networkMode),
    netModeTls: typeof get('docker.tls') === 'boolean' ? (get<boolean>('docker.tls') as boolean) : DEFAULT_CONFIG.netModeTls,
    mspId: nonEmpty(get('mspId'), DEFAULT_CONFIG.mspId),
    channel: nonEmpty(get('channel'), DEFAULT_CONFIG.channel),
    logLevel: oneOf(get('logLevel'), LOG_LEVELS, DEFAULT_CONFIG.logLevel),
    ledgerDurability: oneOf(get('ledger.durability'), DURABILITIES, DEFAULT_CONFIG.ledgerDurability),
    baseImages: {
      node: nonEmpty(get('baseImage.node'), DEFAULT_CONFIG.baseImages.node),
      golang: nonEmpty(get('baseImage.golang'), DEFAULT_CONFIG.baseImages.golang),
      golangRuntime: nonEmpty(get('baseImage.golangRuntime'), DEFAULT_CONFIG.baseImages.golangRuntime),
      java: nonEmpty(get('baseImage.java'), DEFAULT_CONFIG.baseImages.java),
    },
  });
}

/**
 * Settings the running engine read when it started (the peer, the launcher's timeouts, the Docker VM,
 * the net-mode recipes with base images and TLS): a change applies after a peer restart. Only
 * `chaincode.mode` (the default in the Launch prompt) is read afresh each time.
 */
export const PEER_SETTINGS = [
  'peer.host', 'peer.port', 'dataDir', 'mspId', 'channel', 'startupTimeout', 'executeTimeout', 'logLevel',
  'docker.endpoint', 'docker.networkMode', 'docker.tls', 'baseImage', 'ledger.durability',
];

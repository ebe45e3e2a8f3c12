/**
 * The `chaincode.*` settings mapped onto the engine's EngineConfig (seconds in settings, ms in the
 * engine). Pure: config.ts feeds it VS Code's configuration; unit tests feed it a map.
 */
import { inspect } from 'util';
import {
  ChaincodeMode,
  DEFAULT_CONFIG,
  DEFAULT_GATEWAY_PORT,
  type DockerTlsSettings,
  EngineConfig,
  LedgerDurability,
  LogLevel,
  NetworkMode,
  resolveConfig,
} from '../engine/config';
import type { RestartSetting } from '../engine/engine';
import type { BaseImages } from '../engine/platforms/types';

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

function names(value: unknown, fallback: readonly string[]): readonly string[] {
  const list = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
  return list.length > 0 ? [...new Set(list)] : fallback;
}

function optional(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function seconds(value: unknown, fallbackMs: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : fallbackMs;
}

/** `defaultDataDir` is used when `chaincode.dataDir` is empty (the extension's workspace storage). */
export function engineConfigFrom(get: SettingReader, defaultDataDir: string): EngineConfig {
  const port = get<number>('peer.port');
  const gatewayPort = get<number | null>('gateway.port');
  return resolveConfig({
    peerHost: nonEmpty(get('peer.host'), DEFAULT_CONFIG.peerHost),
    peerPort: typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535 ? port : DEFAULT_CONFIG.peerPort,
    // null turns the Gateway off; a setting that is not a port keeps the default.
    gatewayPort:
      gatewayPort === null
        ? null
        : typeof gatewayPort === 'number' && Number.isInteger(gatewayPort) && gatewayPort >= 0 && gatewayPort <= 65535
          ? gatewayPort
          : DEFAULT_GATEWAY_PORT,
    dataDir: nonEmpty(get('dataDir'), defaultDataDir),
    mode: oneOf(get('mode'), MODES, DEFAULT_CONFIG.mode),
    startupTimeoutMs: seconds(get('startupTimeout'), DEFAULT_CONFIG.startupTimeoutMs),
    executeTimeoutMs: seconds(get('executeTimeout'), DEFAULT_CONFIG.executeTimeoutMs),
    dockerEndpoint: nonEmpty(get('docker.endpoint'), DEFAULT_CONFIG.dockerEndpoint),
    dockerTls: dockerTlsFrom(get),
    peerExternalAddress: optional(get('peer.externalAddress')),
    networkMode: oneOf(get('docker.networkMode'), NETWORK_MODES, DEFAULT_CONFIG.networkMode),
    netModeTls: typeof get('docker.tls') === 'boolean' ? get<boolean>('docker.tls') : DEFAULT_CONFIG.netModeTls,
    orgs: names(get('orgs'), DEFAULT_CONFIG.orgs),
    mspId: nonEmpty(get('mspId'), DEFAULT_CONFIG.mspId),
    channel: nonEmpty(get('channel'), DEFAULT_CONFIG.channel),
    channels: names(get('channels'), DEFAULT_CONFIG.channels),
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

/** `chaincode.docker.tlsVerify`, `.certPath`, `.tlsCaCert`, `.tlsCert`, `.tlsKey`: the Docker CLI's flags, without environment variables. */
function dockerTlsFrom(get: SettingReader): DockerTlsSettings {
  const files = {
    certPath: optional(get('docker.certPath')),
    caFile: optional(get('docker.tlsCaCert')),
    certFile: optional(get('docker.tlsCert')),
    keyFile: optional(get('docker.tlsKey')),
  };
  return { verify: get('docker.tlsVerify') === true, ...Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) };
}

/**
 * The settings a running engine read once, when it started (engine.ts RESTART_SETTINGS): a change
 * applies after a peer restart. Every other `chaincode.*` setting applies to a running engine at once
 * (Engine.reconfigure) or is read afresh where it is used (`chaincode.mode`, the Launch prompt's default).
 */
export const RESTART_ONLY_SETTINGS: Readonly<Record<RestartSetting, string>> = {
  peerHost: 'peer.host',
  peerPort: 'peer.port',
  peerExternalAddress: 'peer.externalAddress',
  gatewayPort: 'gateway.port',
  dataDir: 'dataDir',
  orgs: 'orgs',
  mspId: 'mspId',
  channel: 'channel',
  channels: 'channels',
  ledgerDurability: 'ledger.durability',
};

/** An error in a cause chain: its name, message, and the part of the way to Docker that failed (DockerUnreachableError's). */
interface ChainedError {
  readonly name: string;
  readonly message: string;
  readonly dockerFailure?: { readonly kind?: unknown; readonly file?: unknown };
}

/** An error's name and message, and those of its causes. */
function causeChain(err: unknown): ChainedError[] {
  const chain: ChainedError[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 10; e = (e as { cause?: unknown }).cause) {
    const failure = (e as { failure?: unknown }).failure;
    const dockerFailure = typeof failure === 'object' && failure !== null ? (failure as ChainedError['dockerFailure']) : undefined;
    chain.push(
      e instanceof Error ? { name: e.name, message: e.message, ...(dockerFailure ? { dockerFailure } : {}) } : { name: '', message: typeof e === 'string' ? e : inspect(e) },
    );
    if (!(e instanceof Error)) break;
  }
  return chain;
}

/** `chaincode.baseImage.<key>` for each key of the engine's base images. */
const BASE_IMAGE_SETTINGS = (Object.keys(DEFAULT_CONFIG.baseImages) as (keyof BaseImages)[]).map((key) => [key, `baseImage.${key}`] as const);

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `message` names `image` (with or without its tag) as a word, e.g. "pull access denied for repo," or "FROM repo:tag". */
function namesImage(message: string, image: string): boolean {
  const repository = image.replace(/:[^/:]+$/, '');
  return [image, repository].some((name) => new RegExp(`(^|[\\s"'(=])${escape(name)}($|[\\s"',:)@])`).test(message));
}

/**
 * The setting an error is about, as `chaincode.<key>`, so "Open Settings" opens that one: matched on
 * the error's class name (not `instanceof`: the engine is a bundle of its own) and its causes', and
 * on the values the settings hold (the base image a build could not find). Undefined when no setting
 * would help.
 */
export function settingOfError(err: unknown, config: EngineConfig): string | undefined {
  const key = settingKeyOf(causeChain(err), config);
  return key === undefined ? undefined : `chaincode.${key}`;
}

/** The setting behind a TLS file or handshake failure: the file's own setting when it names that file, else the folder. */
function dockerTlsSettingKey(failure: NonNullable<ChainedError['dockerFailure']>, message: string, config: EngineConfig): string | undefined {
  const tls = config.dockerTls;
  if (failure.kind === 'tls-file') {
    const own = (
      [
        ['tlsCaCert', tls.caFile],
        ['tlsCert', tls.certFile],
        ['tlsKey', tls.keyFile],
      ] as const
    ).find(([, file]) => file !== undefined && file === failure.file);
    return `docker.${own ? own[0] : 'certPath'}`;
  }
  // A daemon that speaks TLS to a client that did not: TLS is to be turned on.
  if (failure.kind === 'tls' && /this connection did not/.test(message)) return 'docker.tlsVerify';
  if (failure.kind === 'tls') return tls.caFile !== undefined ? 'docker.tlsCaCert' : 'docker.certPath';
  return undefined;
}

function settingKeyOf(chain: readonly ChainedError[], config: EngineConfig): string | undefined {
  const any = (test: (e: ChainedError) => boolean): boolean => chain.some(test);
  // By name, and by the typed errors' own words where a wrapper kept only the message.
  const docker = chain.find((e) => e.name === 'DockerUnreachableError' && e.dockerFailure);
  const tlsKey = docker?.dockerFailure ? dockerTlsSettingKey(docker.dockerFailure, docker.message, config) : undefined;
  if (tlsKey) return tlsKey;
  if (any((e) => e.name === 'DockerUnreachableError' || /(^|: )Docker is not reachable at /.test(e.message))) return 'docker.endpoint';
  if (any((e) => e.name === 'ExternalAddressError')) return 'peer.externalAddress';
  if (any((e) => e.name === 'PortInUseError' || /\bEADDRINUSE\b/.test(e.message))) return 'peer.port';
  if (any((e) => /\b(EADDRNOTAVAIL|ENOTFOUND)\b/.test(e.message) && /listen|bind|address added/i.test(e.message))) return 'peer.host';
  if (any((e) => e.name === 'ChannelNotFoundError' || e.name === 'InvalidChannelNameError')) return 'channel';
  // The calling identity the editor reads from its setting (identities/), and the policy no set of the network's peers satisfies.
  if (any((e) => e.name === 'IdentityRefError' || e.name === 'UnknownOrganizationError')) return 'identity';
  if (any((e) => e.name === 'EndorsementPlanError' || (e.name === 'PolicyParseError' && e.message.includes('chaincode.endorsementPolicy')))) return 'endorsementPolicy';
  if (any((e) => e.name === 'ImageBuildError' || e.name === 'ImageMissingError' || /building (dependencies )?image \S+ failed|does not exist and no builder/.test(e.message))) {
    const image = BASE_IMAGE_SETTINGS.find(([language]) => any((e) => namesImage(e.message, config.baseImages[language])));
    if (image) return image[1];
  }
  if (any((e) => /timeout expired while (starting|waiting for) chaincode/.test(e.message))) return 'startupTimeout';
  if (any((e) => /timeout expired while executing transaction/.test(e.message))) return 'executeTimeout';
  return undefined;
}

/**
 * The chaincode process's argv, environment and files, as the Fabric 2.x peer passes them
 * (core/container/dockercontroller/dockercontroller.go `GetArgs`/`GetEnv`, the TLS files uploaded
 * before start as `dockercontroller.go` `Start` does).
 */
import type { ContainerFile } from '../container/types';
import { platformFor } from './table';
import type { Language } from './types';

export const TLS_DIR = '/etc/hyperledger/fabric';
export const TLS_PATHS = {
  /** base64 of the PEM: what the Node, Java and 1.x Go shims read (`CORE_TLS_CLIENT_KEY_PATH`). */
  clientKey: `${TLS_DIR}/client.key`,
  clientCert: `${TLS_DIR}/client.crt`,
  /** Raw PEM: what the Go v2 shim prefers (`CORE_TLS_CLIENT_KEY_FILE`). */
  clientKeyPem: `${TLS_DIR}/client_pem.key`,
  clientCertPem: `${TLS_DIR}/client_pem.crt`,
  /** Raw PEM of the CA of the peer's chaincode server. */
  rootCert: `${TLS_DIR}/peer.crt`,
} as const;

export interface ChaincodeTLSMaterial {
  readonly clientKeyPem: string;
  readonly clientCertPem: string;
  readonly rootCertPem: string;
}

/** Where the chaincode process finds its TLS files (Fabric's container paths, or files on the host). */
export type TLSFilePaths = { readonly [K in keyof typeof TLS_PATHS]: string };

/** What decides a chaincode's environment: who it is, which peer it is for, and how that peer is set up. */
export interface ChaincodeEnvInput {
  readonly ccid: string;
  /** The MSP id of the peer the chaincode runs for (`stub.getMspID()` / `GetMSPID()` read it). */
  readonly mspId: string;
  /** Absent: TLS off (the variable is still set; the Go shim refuses to start without it). */
  readonly tlsFiles?: TLSFilePaths;
  /** Fabric's `chaincode.logging.level`; default INFO. */
  readonly logLevel?: string;
}

/**
 * The environment a Fabric 2.x peer gives every chaincode it starts (core/container/dockercontroller/
 * dockercontroller.go `GetEnv`), in every runtime: container, local process, debugger.
 */
export function chaincodeEnv(input: ChaincodeEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    CORE_CHAINCODE_ID_NAME: input.ccid,
    CORE_PEER_TLS_ENABLED: input.tlsFiles ? 'true' : 'false',
    CORE_PEER_LOCALMSPID: input.mspId,
    CORE_CHAINCODE_LOGGING_LEVEL: normaliseLogLevel(input.logLevel ?? 'INFO'),
    // Fabric's `chaincode.logging.shim` default: the shim's own chatter stays out of the logs.
    CORE_CHAINCODE_LOGGING_SHIM: 'WARNING',
  };
  if (input.tlsFiles) {
    Object.assign(env, {
      CORE_TLS_CLIENT_KEY_PATH: input.tlsFiles.clientKey,
      CORE_TLS_CLIENT_CERT_PATH: input.tlsFiles.clientCert,
      CORE_TLS_CLIENT_KEY_FILE: input.tlsFiles.clientKeyPem,
      CORE_TLS_CLIENT_CERT_FILE: input.tlsFiles.clientCertPem,
      CORE_PEER_TLS_ROOTCERT_FILE: input.tlsFiles.rootCert,
    });
  }
  return env;
}

export interface LaunchParameterInput extends Omit<ChaincodeEnvInput, 'tlsFiles'> {
  readonly language: Language;
  /** host:port of the peer's chaincode endpoint as seen from the container. */
  readonly peerAddress: string;
  /** Absent: TLS off. */
  readonly tls?: ChaincodeTLSMaterial;
  /** More argv after the peer address (e.g. a debug flag). */
  readonly extraArgs?: readonly string[];
}

export interface LaunchParameters {
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly files: ContainerFile[];
}

/** A container's argv, environment and files (the TLS files at Fabric's paths). */
export function launchParameters(input: LaunchParameterInput): LaunchParameters {
  const platform = platformFor(input.language);
  const { language: _language, peerAddress, tls, extraArgs, ...envInput } = input;
  const env = { ...platform.processEnv, ...chaincodeEnv({ ...envInput, tlsFiles: tls ? TLS_PATHS : undefined }) };
  const files: ContainerFile[] = [];
  if (tls) {
    const base64 = (pem: string): Buffer => Buffer.from(Buffer.from(pem, 'utf8').toString('base64'), 'utf8');
    // 0644: Fabric's images run the chaincode as an unprivileged user; the key is a per-launch one.
    files.push(
      { path: TLS_PATHS.clientKey, content: base64(tls.clientKeyPem), mode: 0o644 },
      { path: TLS_PATHS.clientCert, content: base64(tls.clientCertPem), mode: 0o644 },
      { path: TLS_PATHS.clientKeyPem, content: Buffer.from(tls.clientKeyPem, 'utf8'), mode: 0o644 },
      { path: TLS_PATHS.clientCertPem, content: Buffer.from(tls.clientCertPem, 'utf8'), mode: 0o644 },
      { path: TLS_PATHS.rootCert, content: Buffer.from(tls.rootCertPem, 'utf8'), mode: 0o644 },
    );
  }
  const args = platform.chaincodeArgs(peerAddress, extraArgs);
  return { args, env, files };
}

/** Fabric's level names, which every shim understands (Node maps only these; "warn" would be INFO). */
const LEVELS: Record<string, string> = {
  debug: 'DEBUG',
  info: 'INFO',
  notice: 'INFO',
  warn: 'WARNING',
  warning: 'WARNING',
  error: 'ERROR',
  critical: 'CRITICAL',
  fatal: 'CRITICAL',
  panic: 'CRITICAL',
};

export function normaliseLogLevel(level: string): string {
  const name = LEVELS[level.trim().toLowerCase()];
  if (!name) throw new RangeError(`unknown chaincode log level '${level}' (use DEBUG, INFO, WARNING, ERROR or CRITICAL)`);
  return name;
}

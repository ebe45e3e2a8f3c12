/**
 * Debug configurations for chaincode in dev mode: one base class, one subclass per language (as the
 * IBM Blockchain Platform extension does). Each turns a `chaincode` launch configuration into the
 * configuration of that language's own debugger (js-debug, Delve, the Java debugger) with
 * CORE_CHAINCODE_ID_NAME, the peer address in the form that language's shim reads, and TLS off; and
 * gives the same start without a debugger (Launch Chaincode in dev mode runs it as a child process).
 * No vscode here: unit-tested outside VS Code.
 */
import type { LogLevel } from '../../engine/config';
import type { DetectedChaincode } from '../../engine/workspace/detect';

export type DebugLanguage = 'node' | 'typescript' | 'golang' | 'java';

/** The `chaincode` debug type's launch configuration, as the user writes it (all optional). */
export interface ChaincodeLaunchConfig {
  readonly type: string;
  readonly request: string;
  readonly name: string;
  readonly mode?: 'dev';
  readonly language?: DebugLanguage;
  readonly chaincodeName?: string;
  readonly version?: string;
  readonly folder?: string;
  readonly program?: string;
  readonly package?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly channel?: string;
  readonly preLaunchTask?: string;
  readonly outFiles?: readonly string[];
  readonly [key: string]: unknown;
}

/** What the provider knows when it resolves: the folder's chaincode and the running peer. */
export interface ResolveInput {
  readonly config: ChaincodeLaunchConfig;
  readonly chaincode: DetectedChaincode;
  /** `host:port` of the embedded peer. */
  readonly peerAddress: string;
  readonly logLevel: LogLevel;
}

/** A configuration for another debugger (`type: node`, `go`, `java`). */
export interface DebuggerConfig {
  readonly type: string;
  readonly request: 'launch';
  readonly name: string;
  readonly [key: string]: unknown;
}

/** How to run the chaincode without a debugger. */
export interface ProcessPlan {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The private field that marks our configurations: the pause tracker finds the chaincode id of a
 * debug session through it (on the session or, for js-debug's child sessions, its parent).
 */
export const CHAINCODE_ID_FIELD = '__chaincodeId';
export const CHAINCODE_FOLDER_FIELD = '__chaincodeFolder';
/** The chaincode's language as the launcher knows it (node, golang, java). */
export const CHAINCODE_LANGUAGE_FIELD = '__chaincodeLanguage';

export class DebugConfigError extends Error {}

const SHIM_LOG_LEVEL: Record<LogLevel, string> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', error: 'ERROR' };

export abstract class ChaincodeDebugConfiguration {
  abstract readonly language: DebugLanguage;
  /** The debugger that runs the chaincode, e.g. `node` (js-debug), `go` (Delve), `java`. */
  abstract readonly debuggerType: string;
  /** The extension that provides that debugger, for a helpful error when it is missing. */
  abstract readonly debuggerExtension: string | undefined;

  chaincodeId(input: ResolveInput): string {
    const name = input.config.chaincodeName || input.chaincode.name;
    const version = input.config.version || input.chaincode.version;
    return `${name}:${version}`;
  }

  /** The environment every shim needs in dev mode, then the user's own variables on top. */
  env(input: ResolveInput): Record<string, string> {
    return {
      CORE_CHAINCODE_ID_NAME: this.chaincodeId(input),
      CORE_PEER_TLS_ENABLED: 'false',
      CORE_CHAINCODE_LOGGING_LEVEL: SHIM_LOG_LEVEL[input.logLevel],
      CORE_CHAINCODE_LOGGING_SHIM: SHIM_LOG_LEVEL[input.logLevel],
      CORE_PEER_ADDRESS: input.peerAddress,
      ...(input.config.env ?? {}),
    };
  }

  /** The configuration handed to the language's debugger. */
  resolve(input: ResolveInput): DebuggerConfig {
    const ccid = this.chaincodeId(input);
    const own = this.debuggerConfig(input, this.env(input));
    const passThrough: Record<string, unknown> = {};
    for (const key of ['preLaunchTask', 'postDebugTask', 'presentation', 'internalConsoleOptions', 'noDebug']) {
      if (input.config[key] !== undefined) passThrough[key] = input.config[key];
    }
    return { ...passThrough, ...own, type: this.debuggerType, request: 'launch', name: input.config.name, [CHAINCODE_ID_FIELD]: ccid, [CHAINCODE_FOLDER_FIELD]: input.chaincode.folder, [CHAINCODE_LANGUAGE_FIELD]: input.chaincode.language };
  }

  protected abstract debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'>;
  abstract processPlan(input: ResolveInput): ProcessPlan;
}

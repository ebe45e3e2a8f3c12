/**
 * Debug configurations for chaincode in dev mode: one base class, one subclass per language (as the
 * IBM Blockchain Platform extension does). Each turns a `chaincode` launch configuration into the
 * configuration of that language's own debugger (js-debug, Delve, the Java debugger): the
 * environment a Fabric peer gives every chaincode, and the peer address in the form that language's
 * shim reads, as the engine's dev-mode start does (engine/launch/devStart.ts): with or without a
 * debugger, a chaincode starts the same way. No vscode here: unit-tested outside VS Code.
 */
import type { LogLevel } from '../../engine/config';
import type { SourceLanguage } from '../../engine/platforms/types';
import { devEnv } from '../../engine/launch/devStart';
import type { DetectedChaincode } from '../../engine/workspace/detect';
import { chaincodeId } from '../../engine/chaincodeId';

/** The `chaincode` debug type's launch configuration, as the user writes it (all optional). */
export interface ChaincodeLaunchConfig {
  readonly type: string;
  readonly request: string;
  readonly name: string;
  readonly mode?: 'dev';
  readonly language?: SourceLanguage;
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
  /** The MSP id of that peer. */
  readonly mspId: string;
  readonly logLevel: LogLevel;
}

/** A configuration for another debugger (`type: node`, `go`, `java`). */
export interface DebuggerConfig {
  readonly type: string;
  readonly request: 'launch';
  readonly name: string;
  readonly [key: string]: unknown;
}

/**
 * The private field that marks our configurations: the pause tracker finds the chaincode id of a
 * debug session through it (on the session or, for js-debug's child sessions, its parent).
 */
export const CHAINCODE_ID_FIELD = '__chaincodeId';
export const CHAINCODE_FOLDER_FIELD = '__chaincodeFolder';
/** The chaincode's language as the launcher knows it (node, golang, java). */
export const CHAINCODE_LANGUAGE_FIELD = '__chaincodeLanguage';

export class DebugConfigError extends Error {
  override readonly name = 'DebugConfigError';
}

export abstract class ChaincodeDebugConfiguration {
  abstract readonly language: SourceLanguage;
  /** The debugger that runs the chaincode, e.g. `node` (js-debug), `go` (Delve), `java`. */
  abstract readonly debuggerType: string;
  /** The extension that provides that debugger, for a helpful error when it is missing. */
  abstract readonly debuggerExtension: string | undefined;

  chaincodeId(input: ResolveInput): string {
    const name = input.config.chaincodeName || input.chaincode.name;
    const version = input.config.version || input.chaincode.version;
    return chaincodeId(name, version);
  }

  /** The environment a Fabric peer gives a chaincode in dev mode, then the user's own variables on top. */
  env(input: ResolveInput): Record<string, string> {
    return {
      ...devEnv({ ccid: this.chaincodeId(input), peerAddress: input.peerAddress, mspId: input.mspId, logLevel: input.logLevel }),
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
    return {
      ...passThrough,
      ...own,
      type: this.debuggerType,
      request: 'launch',
      name: input.config.name,
      [CHAINCODE_ID_FIELD]: ccid,
      [CHAINCODE_FOLDER_FIELD]: input.chaincode.folder,
      [CHAINCODE_LANGUAGE_FIELD]: input.chaincode.language,
    };
  }

  protected abstract debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'>;
}

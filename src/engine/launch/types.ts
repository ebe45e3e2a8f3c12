/**
 * The launch engine's vocabulary: what a chaincode is (its definition), how it runs (mode), and
 * what the engine reports about each one it manages.
 */
import type { Language } from '../config';

/**
 * dev: the user runs the chaincode (e.g. under a debugger) and it registers by itself.
 * net: packaged into a Docker image and run as a container that registers back.
 * system: built into the peer, run in-process.
 * external: chaincode as a service; the peer dials it.
 */
export type LaunchMode = 'dev' | 'net' | 'system' | 'external';

export interface ChaincodeDefinition {
  readonly name: string;
  readonly version: string;
  readonly mode: LaunchMode;
  readonly language: Language;
  /** The chaincode's folder (dev and net mode), or the system chaincode's registered path. */
  readonly path: string;
  /** Chaincode-as-a-service address (`host:port`) for external mode. */
  readonly address?: string;
}

export function chaincodeIdOf(def: Pick<ChaincodeDefinition, 'name' | 'version'>): string {
  return `${def.name}:${def.version}`;
}

/**
 * Fabric's two spec kinds: a deployment carries the definition (and maybe the code package);
 * an invocation only names the chaincode, and the definition comes from the registry (our LSCC).
 */
export type LaunchSpec =
  | { readonly kind: 'deployment'; readonly definition: ChaincodeDefinition; readonly codePackage?: Buffer }
  | { readonly kind: 'invocation'; readonly chaincodeId: string };

export type ChaincodeStatus = 'launching' | 'registered' | 'ready' | 'failed' | 'stopped';

export interface ContainerInfo {
  readonly name: string;
  readonly id?: string;
  readonly image?: string;
  readonly status: string;
}

/** What the engine knows about one chaincode it launched (the editor's Chaincodes view). */
export interface RunningChaincode {
  readonly ccid: string;
  readonly definition: ChaincodeDefinition;
  readonly status: ChaincodeStatus;
  readonly since: number;
  readonly handlerId?: string;
  readonly container?: ContainerInfo;
  readonly lastError?: string;
}

export interface LaunchOptions {
  readonly signal?: AbortSignal;
  /** Honest steps for a progress indicator ("building image", "waiting for registration"…). */
  readonly onProgress?: (step: string) => void;
}

export interface ChaincodeLog {
  readonly ccid: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  /** The transaction id when the line names one (shims print the first 8 hex chars). */
  readonly txId?: string;
}

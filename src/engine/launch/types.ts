/**
 * The launch engine's vocabulary: what a chaincode is (its definition), how it runs (mode), and
 * what the engine reports about each one it manages.
 */
import type { ChaincodeServerDial } from '../platforms/ccaasConnection';
import type { Language } from '../platforms/types';

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
  /** Chaincode-as-a-service address (`host:port`) for external mode: plaintext, Fabric's dial timeout. */
  readonly address?: string;
  /** External mode: how to dial, as a connection.json says (TLS, dial timeout); wins over `address`. */
  readonly connection?: ChaincodeServerDial;
  /**
   * Node only: written in TypeScript (workspace/detect.ts), so it runs what its build compiled. The
   * runtime language stays `node`; views say `typescript`.
   */
  readonly typescript?: boolean;
}

/**
 * Fabric's two spec kinds: a deployment carries the definition (and maybe the code package);
 * an invocation only names the chaincode, and the definition comes from the registry (our LSCC).
 */
export type LaunchSpec =
  { readonly kind: 'deployment'; readonly definition: ChaincodeDefinition; readonly codePackage?: Buffer } | { readonly kind: 'invocation'; readonly chaincodeId: string };

/**
 * launching: its runtime is starting (or the user is starting it) and it has not registered yet.
 * waiting for registration: a dev-mode chaincode whose process is gone (a debugger restart, a crash):
 * the peer takes its REGISTER whenever it comes back, and transactions wait for it (Fabric 2.x).
 */
export type ChaincodeStatus = 'launching' | 'waiting for registration' | 'ready' | 'failed' | 'stopped';

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
  /** The local process of a dev-mode chaincode the launcher started. */
  readonly process?: ProcessInfo;
  readonly lastError?: string;
}

export interface ProcessInfo {
  readonly pid?: number;
  readonly status: string;
}

export interface LaunchOptions {
  readonly signal?: AbortSignal;
  /** Honest steps for a progress indicator ("building image", "waiting for registration"…). */
  readonly onProgress?: (step: string) => void;
  /**
   * Dev mode: the user starts the chaincode (a debugger, or by hand), so the launcher starts nothing
   * and waits for it to register (Fabric's UserRunsCC). Otherwise the launcher runs it as a process.
   */
  readonly userRunsChaincode?: boolean;
}

export interface ChaincodeLog {
  readonly ccid: string;
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
  /** The transaction id when the line names one (shims print the first 8 hex chars). */
  readonly txId?: string;
}

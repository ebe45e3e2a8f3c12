/**
 * Shared by the New Project tests and the bench: write a project into a temp folder, install it,
 * and launch it in dev mode against a fresh embedded peer, the way the CLI's `launch` does (the
 * launcher starts the chaincode as a process and waits for it to register).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import type { ExecuteResult } from '../../../src/engine/transactions/types';
import { installDependencies, writeProject, type NewProject, type ScaffoldLanguage } from '../../../src/engine/scaffold';
import { detectChaincode } from '../../../src/engine/workspace/detect';
import { findOnPath, isCI } from '../../support/toolchains';
import { chaincodeId } from '../../../src/engine/chaincodeId';

/** The tools each language's install, tests and dev-mode start need on PATH. */
const TOOLS: Readonly<Record<ScaffoldLanguage, readonly string[]>> = {
  node: ['npm'],
  typescript: ['npm'],
  go: ['go'],
  java: ['mvn', 'java'],
};

/**
 * node:test's `skip` for a language: the reason when a tool is missing, else false. Under CI=true
 * it never skips: the test runs and fails on the missing tool (ToolFailedError: "… not found on PATH").
 */
export function toolchainSkip(language: ScaffoldLanguage): string | false {
  if (isCI()) return false;
  const missing = TOOLS[language].filter((t) => !findOnPath(t));
  return missing.length ? `no ${missing.join(', ')} on PATH for ${language} projects` : false;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a project and installs it; every output line is kept for failure messages. */
export async function installedProject(language: ScaffoldLanguage, folder: string, name?: string): Promise<{ project: NewProject; lines: string[] }> {
  const project = await writeProject({ folder, language, name });
  const lines: string[] = [];
  await installDependencies(project.folder, language, { onStep: (s) => lines.push(`$ ${s.commandLine}`), onLine: (l) => lines.push(l.line) });
  return { project, lines };
}

export interface LaunchedProject {
  readonly engine: Engine;
  readonly ccid: string;
  /** The chaincode process's output so far. */
  output(): string;
  invoke(...args: string[]): Promise<ExecuteResult>;
  stop(): Promise<void>;
}

/** Starts a peer (port 0, its own data folder) and the project's chaincode in dev mode; resolves once READY. */
export async function launchDevMode(folder: string, dataDir: string, timeoutMs = 120_000): Promise<LaunchedProject> {
  const cc = detectChaincode(folder);
  if (!cc) throw new Error(`${folder} is not detected as chaincode`);
  const ccid = chaincodeId(cc.name, cc.version);
  const engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, mode: 'dev', startupTimeoutMs: timeoutMs, executeTimeoutMs: 30_000 }));
  const lines: string[] = [];
  const logs = engine.launcher.onLog((l) => l.ccid === ccid && lines.push(l.line));
  const launching = engine.launcher.launch({ kind: 'deployment', definition: { name: cc.name, version: cc.version, mode: 'dev', language: cc.language, path: folder } });
  const launched: LaunchedProject = {
    engine,
    ccid,
    output: () => lines.slice(-60).join('\n'),
    invoke: (...args) => engine.transactions.execute({ chaincode: ccid, args }),
    stop: async () => {
      logs.dispose();
      await engine.dispose();
    },
  };
  try {
    await launching;
  } catch (err) {
    await launched.stop();
    throw new Error(`${ccid} did not become ready: ${(err as Error).message}\n${lines.slice(-60).join('\n')}`, { cause: err });
  }
  return launched;
}

/**
 * Chaincode processes the editor starts itself in dev mode (Launch Chaincode without a debugger):
 * a child process per chaincode with the shim's environment, its output in the chaincode's output
 * channel, stopped with its process group.
 */
import type { ChildProcess } from 'child_process';
import { spawnTiedToParent } from '../engine/launch/devProcess';
import * as vscode from 'vscode';
import type { ProcessPlan } from './debug/chaincodeDebug';
import type { ChaincodeLogs } from './logs';

export class DevProcesses implements vscode.Disposable {
  private readonly children = new Map<string, ChildProcess>();
  private readonly exited = new vscode.EventEmitter<{ ccid: string; code: number | null; signal: NodeJS.Signals | null }>();
  readonly onDidExit = this.exited.event;

  constructor(private readonly logs: ChaincodeLogs, private readonly inFlight: (ccid: string) => readonly string[]) {}

  has(ccid: string): boolean {
    return this.children.has(ccid);
  }

  start(ccid: string, plan: ProcessPlan): ChildProcess {
    this.stop(ccid);
    this.logs.append(ccid, `$ ${plan.command} ${plan.args.join(' ')}   (in ${plan.cwd})`);
    // Tied to the extension host: if it dies without deactivating, the chaincode dies too.
    const child = spawnTiedToParent(plan.command, plan.args, { cwd: plan.cwd, env: { ...process.env, ...plan.env } });
    this.children.set(ccid, child);
    const feed = (stream: NodeJS.ReadableStream): void => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        const i = buf.lastIndexOf('\n');
        if (i < 0) return;
        this.logs.append(ccid, buf.slice(0, i), { inFlight: this.inFlight(ccid) });
        buf = buf.slice(i + 1);
      });
      stream.on('end', () => {
        if (buf) this.logs.append(ccid, buf, { inFlight: this.inFlight(ccid) });
      });
    };
    if (child.stdout) feed(child.stdout);
    if (child.stderr) feed(child.stderr);
    child.on('error', (err) => this.logs.append(ccid, `cannot start ${plan.command}: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (this.children.get(ccid) === child) this.children.delete(ccid);
      this.logs.append(ccid, `process exited (${signal ?? `code ${code}`})`);
      this.exited.fire({ ccid, code, signal });
    });
    return child;
  }

  stop(ccid: string): void {
    const child = this.children.get(ccid);
    if (!child) return;
    this.children.delete(ccid);
    try {
      if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }

  dispose(): void {
    for (const ccid of [...this.children.keys()]) this.stop(ccid);
    this.exited.dispose();
  }
}

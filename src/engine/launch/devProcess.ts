/**
 * Runs a chaincode folder as a local process, the way a developer does in dev mode (the CLI's
 * `launch --mode dev`; the editor uses the language's debugger instead). TLS is off on loopback.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Language } from '../config';
import { NPM_START_ENV } from '../platforms/node';

export interface DevProcessCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
}

/** The command each language's shim is started with, with the peer address in the form it reads. */
export function devProcessCommand(language: Language, folder: string, ccid: string, peerAddress: string): DevProcessCommand {
  const env = { CORE_CHAINCODE_ID_NAME: ccid, CORE_PEER_TLS_ENABLED: 'false', CORE_PEER_ADDRESS: peerAddress };
  switch (language) {
    case 'node': {
      const pkg = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
      if (pkg.scripts?.start) {
        return { command: 'npm', args: ['start', '--silent', '--', '--peer.address', peerAddress], env: { ...NPM_START_ENV, ...env }, cwd: folder };
      }
      const cli = path.join(folder, 'node_modules', 'fabric-shim', 'cli.js');
      return { command: process.execPath, args: [cli, 'start', '--peer.address', peerAddress], env, cwd: folder };
    }
    case 'golang':
      // The v2 Go shim reads the address only from the flag.
      return { command: 'go', args: ['run', '.', `-peer.address=${peerAddress}`], env, cwd: folder };
    case 'java': {
      const jar = findJar(folder);
      if (!jar) throw new Error(`no chaincode jar under ${folder}/target or build/libs: build it first (mvn package or gradle build)`);
      return { command: 'java', args: ['-jar', jar, '--peerAddress', peerAddress], env, cwd: folder };
    }
  }
}

function findJar(folder: string): string | undefined {
  for (const dir of ['target', path.join('build', 'libs')]) {
    const full = path.join(folder, dir);
    if (!fs.existsSync(full)) continue;
    const jars = fs.readdirSync(full).filter((f) => f.endsWith('.jar') && !f.startsWith('original-')).sort();
    if (jars.length) return path.join(full, jars[jars.length - 1]);
  }
  return undefined;
}

export interface DevProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Keeps the chaincode (and whatever `npm start` spawns) tied to us: on POSIX a small sh wrapper
 * leads a new process group, runs the command in it, and kills the group when its stdin (our pipe)
 * closes — so if the editor or CLI dies without stopping it, the chaincode does not live on as an
 * orphan (fabric-shim then spins on its broken output pipe). Background jobs of a non-interactive
 * sh read /dev/null, hence the pipe is kept on fd 3 for the watcher only.
 */
const TIE_TO_PARENT = 'exec 3<&0; "$@" 3<&- & cc=$!; { cat <&3 >/dev/null; kill -TERM -$$ 2>/dev/null; } & exec 3<&-; wait $cc';

export function spawnTiedToParent(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  if (process.platform === 'win32') return spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = spawn('/bin/sh', ['-c', TIE_TO_PARENT, 'chaincode', command, ...args], { ...options, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined); // the wrapper may be gone before we close its stdin
  child.on('exit', () => child.stdin?.end());
  return child;
}

export function startDevProcess(cmd: DevProcessCommand, onLine: (stream: 'stdout' | 'stderr', line: string) => void): DevProcess {
  const child = spawnTiedToParent(cmd.command, cmd.args, { cwd: cmd.cwd, env: { ...process.env, ...cmd.env } });
  for (const stream of ['stdout', 'stderr'] as const) {
    let rest = '';
    child[stream]?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) onLine(stream, line);
    });
  }
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', (err) => {
      onLine('stderr', `cannot start ${cmd.command}: ${err.message}`);
      resolve(null);
    });
  });
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // npm start runs the shim in a child: signal the whole process group.
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}

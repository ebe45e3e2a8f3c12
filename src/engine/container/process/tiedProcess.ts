/**
 * A child process in a process group of its own, tied to ours: stopped as a group (whatever
 * `npm start` or `go run` spawned goes with it), and gone when we are, even if we die without
 * stopping it. An orphaned fabric-shim spins on its broken output pipe.
 */
import { ChildProcess, spawn } from 'child_process';

/**
 * On POSIX a small sh wrapper leads a new process group, runs the command in it, and kills the group
 * when its stdin (our pipe) closes, which happens when we exit for any reason. Background jobs of a
 * non-interactive sh read /dev/null, hence the pipe is kept on fd 3 for the watcher only; a command
 * that ignores SIGTERM is killed 5 s later. The wrapper
 * outlives a SIGTERM to the group (a trap, which the command does not inherit, unlike an ignored
 * signal) until the command has exited, and exits with its status: our child's exit is the command's.
 */
const TIE_TO_PARENT = [
  'exec 3<&0',
  '"$@" 3<&- & cc=$!',
  // The watcher: when our pipe closes, SIGTERM to the group, SIGKILL to what is left 5 s later.
  '{ trap : TERM; cat <&3 >/dev/null; kill -TERM -$$; sleep 5; kill -KILL -$$; } >/dev/null 2>&1 & exec 3<&-',
  'trap : TERM',
  'wait $cc; s=$?',
  'while kill -0 $cc 2>/dev/null; do wait $cc; s=$?; done',
  'exit $s',
].join('\n');

export function spawnTiedToParent(command: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv }): ChildProcess {
  if (process.platform === 'win32') return spawn(command, [...args], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const child = spawn('/bin/sh', ['-c', TIE_TO_PARENT, 'chaincode', command, ...args], { ...options, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => undefined); // the wrapper may be gone before we close its stdin
  child.on('exit', () => child.stdin?.end());
  return child;
}

/** Signals the child's whole process group (the child leads it); false when it is gone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): boolean {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
    else child.kill(signal);
    return true;
  } catch {
    return false;
  }
}

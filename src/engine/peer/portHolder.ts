/**
 * Which process listens on a TCP port, when the system can say: `ss` (Linux's iproute2) or `lsof`
 * (macOS and most Unixes). Best effort: neither tool may exist, and both hide other users' processes
 * from an unprivileged caller, so "unknown" (undefined) is an ordinary answer.
 */
import { execFile } from 'child_process';

export interface PortHolder {
  readonly pid: number;
  /** The process's command name as the tool reports it, e.g. `node`, `code-server`. */
  readonly command: string;
}

const TOOL_TIMEOUT_MS = 2000;

function run(command: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: TOOL_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/** `ss -ltnp` lines: `LISTEN 0 511 127.0.0.1:7052 0.0.0.0:* users:(("node",pid=1234,fd=21))`. */
export function holderFromSs(output: string, port: number): PortHolder | undefined {
  for (const line of output.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (!fields[3]?.endsWith(`:${port}`)) continue;
    const m = /users:\(\("((?:[^"\\]|\\.)*)",pid=(\d+)/.exec(line);
    if (m) return { command: m[1], pid: Number(m[2]) };
  }
  return undefined;
}

/** `lsof -F pc` output: a `p<pid>` line, then `c<command>`. */
export function holderFromLsof(output: string): PortHolder | undefined {
  const pid = /^p(\d+)$/m.exec(output);
  const command = /^c(.*)$/m.exec(output);
  return pid ? { pid: Number(pid[1]), command: command?.[1] ?? '' } : undefined;
}

export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  if (process.platform === 'win32') return undefined;
  const ss = await run('ss', ['-ltnp', `sport = :${port}`]);
  const fromSs = ss === undefined ? undefined : holderFromSs(ss, port);
  if (fromSs) return fromSs;
  const lsof = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc']);
  return lsof === undefined ? undefined : holderFromLsof(lsof);
}

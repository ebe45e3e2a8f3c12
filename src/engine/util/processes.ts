/** Whether a process with this pid exists: signal 0 checks without sending anything (EPERM: it exists, it is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

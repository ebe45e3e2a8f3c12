/** Typed errors of New Project: what went wrong, in words a user can act on. */

/** The project could not be written (bad name, folder not empty, a write failed); nothing was left behind. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A tool (npm, go, mvn) exited with an error; `lastLines` is the end of its output. */
export class ToolFailedError extends Error {
  override readonly name = 'ToolFailedError';
  constructor(
    /** The command line as a user would type it, e.g. `npm install`. */
    readonly commandLine: string,
    readonly folder: string,
    /** The exit code, or null when a signal ended the tool or it could not start. */
    readonly exitCode: number | null,
    readonly lastLines: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(
      `${commandLine} failed in ${folder}` + (exitCode === null ? '' : ` (exit code ${exitCode})`) + (lastLines.length ? `; its last output lines:\n${lastLines.join('\n')}` : ''),
      options,
    );
  }
}

/** The tool was stopped because the caller aborted (a Cancel button, Ctrl-C). */
export class ToolCancelledError extends Error {
  override readonly name = 'ToolCancelledError';
  constructor(
    readonly commandLine: string,
    readonly folder: string,
  ) {
    super(`${commandLine} in ${folder} was cancelled`);
  }
}

/**
 * The TypeScript compiler's diagnostics, read from its output as it prints them without colours
 * (`--pretty false`, tsc's default when its output is not a terminal): `file(line,col): error
 * TS1005: ';' expected.`, indented continuation lines for a message chain, and `error TS5083: …`
 * for a problem with no place in a file. Other lines (npm's banner, watch-mode timestamps) are not
 * diagnostics. The editor shows these in Problems; the CLI prints them as `file:line:col`.
 */
import * as path from 'path';

export type DiagnosticSeverity = 'error' | 'warning' | 'message';

export interface BuildDiagnostic {
  /** Absolute path; undefined for a diagnostic about the build as a whole (a bad tsconfig option). */
  readonly file?: string;
  /** 1-based, as tsc prints it. */
  readonly line?: number;
  /** 1-based. */
  readonly column?: number;
  readonly severity: DiagnosticSeverity;
  /** `TS1005`; the error's name when the build could not run at all. */
  readonly code: string;
  readonly message: string;
}

const IN_FILE = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;
const GLOBAL = /^(error|warning|message) (TS\d+): (.*)$/;

/** Reads diagnostics off tsc's output lines; relative paths are resolved against `cwd`, where tsc ran. */
export class DiagnosticReader {
  private readonly found: BuildDiagnostic[] = [];
  private last: { -readonly [K in keyof BuildDiagnostic]: BuildDiagnostic[K] } | undefined;

  constructor(private readonly cwd: string) {}

  line(text: string): void {
    const located = IN_FILE.exec(text);
    const global = located ? undefined : GLOBAL.exec(text);
    if (located) {
      const [, file, line, column, severity, code, message] = located;
      this.push({ file: path.resolve(this.cwd, file), line: Number(line), column: Number(column), severity: severity as DiagnosticSeverity, code, message });
    } else if (global) {
      const [, severity, code, message] = global;
      this.push({ severity: severity as DiagnosticSeverity, code, message });
    } else if (this.last && /^\s+\S/.test(text)) {
      this.last.message += `\n${text.trim()}`; // a message chain's next link
    } else {
      this.last = undefined;
    }
  }

  /** The diagnostics read so far; starts afresh. */
  take(): BuildDiagnostic[] {
    const out = this.found.splice(0);
    this.last = undefined;
    return out;
  }

  private push(d: BuildDiagnostic): void {
    this.last = { ...d };
    this.found.push(this.last);
  }
}

export function parseDiagnostics(lines: readonly string[], cwd: string): BuildDiagnostic[] {
  const reader = new DiagnosticReader(cwd);
  for (const l of lines) reader.line(l);
  return reader.take();
}

/** `src/a.ts:3:7 - error TS1005: ';' expected.` (relative to `from`), as compilers print for terminals. */
export function diagnosticText(d: BuildDiagnostic, from: string): string {
  const where = d.file ? `${path.relative(from, d.file) || d.file}${d.line !== undefined ? `:${d.line}:${d.column ?? 1}` : ''} - ` : '';
  return `${where}${d.severity} ${d.code}: ${d.message}`;
}

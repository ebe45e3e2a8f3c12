/**
 * Output of processes and containers, line by line: the one splitter every reader of a byte stream
 * uses (a multi-byte character split between chunks survives), and the one ANSI stripper.
 */
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part.endsWith('\r') ? part.slice(0, -1) : part);
  }

  flush(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    if (rest !== '') this.onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
  }

  /** A Writable sink feeding this splitter (for `demuxStream`). */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.push(chunk);
        callback();
      },
      final: (callback) => {
        this.flush();
        callback();
      },
    });
  }
}

/** Terminal colour and cursor codes (shims log through winston with colours; npm draws progress). */
// eslint-disable-next-line no-control-regex -- ESC (0x1b) starts every such code: matching it is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

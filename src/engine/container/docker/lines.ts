/** Turns a byte stream into lines; a partial last line is delivered on flush. */
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

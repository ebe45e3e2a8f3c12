/**
 * (a) The wire's physical limit here: bidirectional-stream ping-pong with `@grpc/grpc-js` on
 * loopback, Buffers passed through untouched. The server runs in this process (where our peer
 * runs) and the client in a child process (where a shim runs), as in every transaction.
 */
import * as grpc from '@grpc/grpc-js';
import { spawn } from 'child_process';
import * as path from 'path';
import { rawBidiMethod } from '../src/engine/peer/server';
import { Summary, summarize } from './stats';

export const PING_SERVICE: grpc.ServiceDefinition = {
  pingPong: rawBidiMethod('/bench.Ping/PingPong'),
};

/** About the size of a GET_STATE request or its RESPONSE. */
export const PING_BYTES = 100;

interface ClientReport {
  readonly rates: number[];
}

/** Echo server on 127.0.0.1; the child client measures round trips and reports its rates. */
export async function measurePingPong(runs: number, durationMs: number): Promise<Summary> {
  const server = new grpc.Server();
  server.addService(PING_SERVICE, {
    pingPong: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('data', (b: Buffer) => call.write(b));
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  try {
    const client = spawn(process.execPath, [path.join(__dirname, 'pingPongClient.js'), String(port), String(runs), String(durationMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    client.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    client.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => client.on('exit', (c) => resolve(c)));
    if (code !== 0) throw new Error(`ping-pong client exited with ${String(code)}: ${err.trim()}`);
    const report = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ClientReport;
    return summarize(report.rates);
  } finally {
    server.forceShutdown();
  }
}

/**
 * The client half of the ping-pong benchmark, run as a child process by pingPong.ts:
 * `node pingPongClient.js PORT RUNS DURATION_MS`. Prints one JSON line: round trips per second per run.
 */
import * as grpc from '@grpc/grpc-js';
import { PING_BYTES, PING_SERVICE } from './pingPong';

async function main(): Promise<void> {
  const [port, runs, durationMs] = process.argv.slice(2).map(Number);
  if (!port || !runs || !durationMs) throw new Error('usage: pingPongClient PORT RUNS DURATION_MS');
  const Client = grpc.makeGenericClientConstructor(PING_SERVICE, 'Ping');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const call = (client as unknown as { pingPong(): grpc.ClientDuplexStream<Buffer, Buffer> }).pingPong();
  const payload = Buffer.alloc(PING_BYTES, 7);
  let onEcho: () => void = () => undefined;
  call.on('data', () => onEcho());
  call.on('error', () => undefined);
  /** Round trips per second, one at a time, for about `ms`. */
  const roundTrips = (ms: number): Promise<number> =>
    new Promise((resolve) => {
      const start = performance.now();
      let count = 0;
      onEcho = () => {
        count++;
        const elapsed = performance.now() - start;
        if (elapsed >= ms) resolve((count * 1000) / elapsed);
        else call.write(payload);
      };
      call.write(payload);
    });
  await roundTrips(durationMs / 2); // warm-up: connection, JIT
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) rates.push(await roundTrips(durationMs));
  call.end();
  client.close();
  process.stdout.write(`${JSON.stringify({ rates })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

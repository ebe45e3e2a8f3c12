/**
 * The client application of the Gateway benchmark, in its own process as a real application is:
 * the real `@hyperledger/fabric-gateway` client connected as the samples connect, driven by
 * gateway.ts over IPC. `node gatewayClientProcess.js CRYPTO_PATH PORT`; each message names a
 * measurement, each reply carries its figures.
 */
import * as crypto from 'crypto';
import { signers } from '@hyperledger/fabric-gateway';
import { connectGateway, userCredentials } from '../test/support/gatewayClient';
import { median } from './stats';
import { throughput } from './transactions';

export type ClientCommand =
  | { readonly op: 'submit'; readonly ms: number; readonly inFlight: number; readonly firstIndex: number }
  | { readonly op: 'evaluate'; readonly count: number }
  | { readonly op: 'profile'; readonly count: number; readonly firstIndex: number }
  | { readonly op: 'close' };

export type ClientReply =
  | { readonly op: 'submit'; readonly count: number; readonly ms: number }
  | { readonly op: 'evaluate'; readonly p50Ms: number }
  | { readonly op: 'profile'; readonly endorse: number; readonly submit: number; readonly commitStatus: number; readonly sign: number; readonly roundTrip: number }
  | { readonly op: 'error'; readonly message: string };

/** The transaction the bench runs both ways: a new asset (a read, a write and an event; no conflicts). */
export function createAssetArgs(prefix: string, i: number): string[] {
  return [`${prefix}${i}`, 'blue', '5', 'Tomoko', '300'];
}

async function main(): Promise<void> {
  const [cryptoPath, port] = process.argv.slice(2);
  if (!cryptoPath || !port) throw new Error('usage: gatewayClientProcess CRYPTO_PATH PORT');
  const connection = connectGateway({ cryptoPath, port: Number(port) });
  const contract = connection.gateway.getNetwork('mychannel').getContract('basic');
  const reply = (r: ClientReply): void => void process.send?.(r);
  const timed = async (n: number, call: () => Promise<unknown>): Promise<number> => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await call();
      samples.push(performance.now() - start);
    }
    return median(samples);
  };
  process.on('message', (command: ClientCommand) => {
    const run = async (): Promise<ClientReply | null> => {
      switch (command.op) {
        case 'submit': {
          const submit = async (i: number): Promise<void> => void (await contract.submitTransaction('CreateAsset', ...createAssetArgs('g', i)));
          const r = await throughput(submit, command.firstIndex, command.ms, command.inFlight);
          return { op: 'submit', count: r.count, ms: r.ms };
        }
        case 'evaluate':
          return { op: 'evaluate', p50Ms: await timed(command.count, () => contract.evaluateTransaction('ReadAsset', 'asset1')) };
        case 'profile': {
          const steps = { endorse: [] as number[], submit: [] as number[], commitStatus: [] as number[] };
          for (let i = 0; i < command.count; i++) {
            const proposal = contract.newProposal('CreateAsset', { arguments: createAssetArgs('p', command.firstIndex + i) });
            let start = performance.now();
            const transaction = await proposal.endorse();
            steps.endorse.push(performance.now() - start);
            start = performance.now();
            const commit = await transaction.submit();
            steps.submit.push(performance.now() - start);
            start = performance.now();
            await commit.getStatus();
            steps.commitStatus.push(performance.now() - start);
          }
          // One bare Gateway round trip: the status of a committed transaction, its request signed once.
          const committed = await contract.submitAsync('CreateAsset', { arguments: createAssetArgs('rt', command.firstIndex) });
          await committed.getStatus();
          const roundTrip = await timed(300, () => committed.getStatus());
          const sign = signers.newPrivateKeySigner(crypto.createPrivateKey(userCredentials(cryptoPath).keyPem));
          const digest = crypto.createHash('sha256').update('bench').digest();
          return {
            op: 'profile',
            endorse: median(steps.endorse),
            submit: median(steps.submit),
            commitStatus: median(steps.commitStatus),
            sign: await timed(200, () => sign(digest)),
            roundTrip,
          };
        }
        case 'close':
          connection.close();
          process.disconnect?.();
          return null;
      }
    };
    run().then(
      (r) => r && reply(r),
      (err: unknown) => reply({ op: 'error', message: (err as Error).stack ?? String(err) }),
    );
  });
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}

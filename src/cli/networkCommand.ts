/**
 * `chaincode-launcher network --network FILE …`: the same transactions, results and ledger views
 * as `launch`, against a Fabric network reached through a peer's Gateway (src/engine/connection).
 * Stdout has one JSON line per result, read/write set, chaincode definition, block or event;
 * stderr says where it connected and what failed.
 */
import { parseArgs } from 'util';
import type { BlockView } from '../engine/ledger/blocks/blockReader';
import type { FabricReadWriteSet } from '../engine/ledger/blocks/rwsetEncoding';
import { readNetworkFile } from '../engine/connection/networkFile';
import { ConnectionConfigError, NetworkConnectionError } from '../engine/connection/types';
import { validationName } from '../engine/connection/validationCodes';
import type { NetworkConnection, EventStream } from '../engine/connection/networkConnection';
import { parseTransaction, type TransactionStep } from './options';
import { errorLine, isFailure, printedPayload, resultLine, type ErrorLine, type ResultLine } from './results';

export const NETWORK_USAGE = `Usage:
  chaincode-launcher network --network FILE [--channel C] [--chaincode NAME]
                             [--tx TX | --query TX]... [--rwset TXID]... [--chaincodes]
                             [--blocks | --events] [--start-block N] [--limit N] [--connect-timeout S]

Connects to a Fabric network through a peer's Gateway, as a client application does, and runs
what the flags ask, in this order:
  --tx TX, --query TX  transactions on --chaincode (as launch runs them; the same result lines)
  --rwset TXID         the committed transaction's block, validation and read/write set
  --chaincodes         the chaincodes defined on the channel (_lifecycle QueryChaincodeDefinitions)
  --blocks             blocks from --start-block, one line each (Deliver)
  --events             chaincode events of --chaincode from --start-block
                       --start-block defaults to the block of this run's first --tx, else 0; the
                       stream runs until --limit lines were printed, or Ctrl-C

--network FILE is JSON or YAML (paths relative to it), one of:
  endpoint: localhost:7051           tlsCaCert: …/peers/peer0.org1.example.com/tls/ca.crt
  hostAlias: peer0.org1.example.com  mspId: Org1MSP   channel: mychannel
  cert: …/users/User1@org1.example.com/msp/signcerts  key: …/msp/keystore   (files or their folders)
or  profile: connection-org1.yaml  (a Fabric connection profile; org, peer pick among its entries;
    cert, key as above, or User1 beside it in test-network's layout)
or  organizations: ./organizations (test-network's folder: mspId, default Org1MSP, picks the org's
    peer0, its TLS CA and User1; endpoint, or the org's connection-*.json)
or a connection profile itself, or an organizations/ folder given directly.

Exit codes: 0 ok; 1 a transaction or query failed; 2 usage error or unreadable network file;
4 the network could not be reached or refused the identity.`;

export const NETWORK_EXIT = { ok: 0, failed: 1, usage: 2, unavailable: 4 } as const;

class NetworkUsageError extends Error {
  override readonly name = 'NetworkUsageError';
}

const FLAGS = {
  network: { type: 'string' },
  channel: { type: 'string' },
  chaincode: { type: 'string' },
  tx: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  rwset: { type: 'string', multiple: true },
  chaincodes: { type: 'boolean' },
  blocks: { type: 'boolean' },
  events: { type: 'boolean' },
  'start-block': { type: 'string' },
  limit: { type: 'string' },
  'connect-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface NetworkCommand {
  readonly networkFile: string;
  readonly channel?: string;
  readonly chaincode?: string;
  readonly steps: readonly TransactionStep[];
  readonly rwsets: readonly string[];
  readonly chaincodes: boolean;
  readonly stream: 'blocks' | 'events' | null;
  readonly startBlock?: number;
  readonly limit?: number;
  readonly connectTimeoutMs: number;
}

function count(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new NetworkUsageError(`--${flag} must be a whole number ≥ ${min}, got ${value}`);
  return Number(value);
}

/** Steps in command-line order, as launch orders them (results.ts' index). */
function stepsOf(tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>): TransactionStep[] {
  const steps: TransactionStep[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || (t.name !== 'tx' && t.name !== 'query') || t.value === undefined) continue;
    steps.push({ index: steps.length, kind: t.name === 'tx' ? 'invoke' : 'query', args: parseTransaction(t.value, t.name) });
  }
  return steps;
}

export function parseNetworkCommand(argv: readonly string[]): NetworkCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: FLAGS, tokens: true });
  } catch (err) {
    throw new NetworkUsageError((err as Error).message, { cause: err });
  }
  const { values: v, positionals, tokens } = parsed;
  if (v.help) return 'help';
  if (positionals.length) throw new NetworkUsageError(`unexpected arguments: ${positionals.join(' ')}`);
  if (!v.network) throw new NetworkUsageError('network needs --network FILE: how to reach the network (see below)');
  let steps: TransactionStep[];
  try {
    steps = stepsOf(tokens);
  } catch (err) {
    throw new NetworkUsageError((err as Error).message, { cause: err });
  }
  if (v.blocks && v.events) throw new NetworkUsageError('--blocks and --events are two streams: give one per run');
  const stream = v.blocks ? 'blocks' : v.events ? 'events' : null;
  if ((steps.length || stream === 'events') && !v.chaincode) throw new NetworkUsageError(`${steps.length ? '--tx and --query' : '--events'} need --chaincode NAME`);
  const actions = steps.length + (v.rwset?.length ?? 0) + (v.chaincodes ? 1 : 0) + (stream ? 1 : 0);
  if (actions === 0) throw new NetworkUsageError('nothing to do: give --tx, --query, --rwset, --chaincodes, --blocks or --events');
  const timeout = v['connect-timeout'] === undefined ? 10 : Number(v['connect-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new NetworkUsageError(`--connect-timeout must be a positive number of seconds, got ${v['connect-timeout']}`);
  const startBlock = count('start-block', v['start-block'], 0);
  const limit = count('limit', v.limit, 1);
  if ((startBlock !== undefined || limit !== undefined) && !stream) throw new NetworkUsageError('--start-block and --limit go with --blocks or --events');
  return {
    networkFile: v.network,
    ...(v.channel ? { channel: v.channel } : {}),
    ...(v.chaincode ? { chaincode: v.chaincode } : {}),
    steps,
    rwsets: v.rwset ?? [],
    chaincodes: v.chaincodes ?? false,
    stream,
    ...(startBlock !== undefined ? { startBlock } : {}),
    ...(limit !== undefined ? { limit } : {}),
    connectTimeoutMs: Math.round(timeout * 1000),
  };
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);
const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);

/** Runs the command; resolves with the exit code. */
export async function runNetworkCommand(argv: readonly string[]): Promise<number> {
  let cmd: NetworkCommand | 'help';
  try {
    cmd = parseNetworkCommand(argv);
  } catch (err) {
    log(`error: ${(err as Error).message}\n\n${NETWORK_USAGE}`);
    return NETWORK_EXIT.usage;
  }
  if (cmd === 'help') {
    process.stdout.write(`${NETWORK_USAGE}\n`);
    return NETWORK_EXIT.ok;
  }
  let connection: NetworkConnection;
  try {
    const spec = readNetworkFile(cmd.networkFile, cmd.channel ? { channel: cmd.channel } : {});
    // The Gateway client is loaded here, on the first connect (networkConnection.ts).
    const { NetworkConnection: Connection } = await import('../engine/connection/networkConnection');
    connection = await Connection.connect(spec, { connectTimeoutMs: cmd.connectTimeoutMs });
    log(
      `connected to ${spec.endpoint}${spec.hostAlias ? ` (TLS host name ${spec.hostAlias})` : ''}, channel ${spec.channel}, as ${spec.identity.mspId} (${spec.identity.certFile})`,
    );
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    if (err instanceof ConnectionConfigError) return NETWORK_EXIT.usage;
    if (err instanceof NetworkConnectionError) return NETWORK_EXIT.unavailable;
    throw err;
  }
  try {
    return await runOnNetwork(connection, cmd);
  } finally {
    connection.close();
  }
}

async function runOnNetwork(connection: NetworkConnection, cmd: NetworkCommand): Promise<number> {
  let failed = false;
  let firstBlock: number | undefined;
  for (const step of cmd.steps) {
    let line: ResultLine | ErrorLine;
    try {
      const chaincode = cmd.chaincode ?? '';
      const r = step.kind === 'invoke' ? await connection.submit(chaincode, step.args) : await connection.evaluate(chaincode, step.args);
      if (firstBlock === undefined && r.blockNumber !== null) firstBlock = r.blockNumber;
      line = resultLine(step, r);
    } catch (err) {
      line = errorLine(step, err);
    }
    failed ||= isFailure(line);
    print(line);
  }
  for (const txId of cmd.rwsets) {
    try {
      const tx = await connection.committedTransaction(txId);
      for (const { chaincode, rwset } of tx.readWriteSets) print({ kind: 'rwset', txId, blockNumber: tx.blockNumber, validation: tx.validation, chaincode, ...rwsetFields(rwset) });
    } catch (err) {
      failed = true;
      print({ kind: 'rwset', txId, error: (err as Error).message });
    }
  }
  if (cmd.chaincodes) {
    try {
      for (const d of await connection.chaincodeDefinitions()) print({ kind: 'chaincode', ...d });
    } catch (err) {
      failed = true;
      print({ kind: 'chaincodes', error: (err as Error).message });
    }
  }
  if (cmd.stream) {
    const start = cmd.startBlock ?? firstBlock ?? 0;
    try {
      if (cmd.stream === 'blocks') await follow(await connection.blocks(start), blockLine, cmd.limit);
      else await follow(await connection.chaincodeEvents(cmd.chaincode ?? '', start), eventLine, cmd.limit);
    } catch (err) {
      failed = true;
      print({ kind: cmd.stream === 'blocks' ? 'block' : 'event', error: (err as Error).message });
    }
  }
  return failed ? NETWORK_EXIT.failed : NETWORK_EXIT.ok;
}

/** Prints the stream's items until `limit` were printed, or Ctrl-C. */
async function follow<T>(stream: EventStream<T>, line: (item: T) => object, limit: number | undefined): Promise<void> {
  const stop = (): void => stream.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let printed = 0;
  try {
    for await (const item of stream) {
      print(line(item));
      if (limit !== undefined && ++printed >= limit) break;
    }
  } catch (err) {
    // Ctrl-C closes the stream: the gRPC call ends CANCELLED, which is how the user asked it to end.
    if (!/CANCELLED/.test((err as Error).message)) throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    stream.close();
  }
}

function blockLine(block: BlockView): object {
  return {
    kind: 'block',
    number: block.number,
    transactions: block.transactions.map((t) => ({
      index: t.index,
      txId: t.header?.txId ?? null,
      validation: validationName(t.validationCode),
      chaincodes: t.actions.map((a) => a.chaincodeId.name),
      events: t.actions.flatMap((a) => (a.event ? [a.event.eventName] : [])),
    })),
  };
}

function eventLine(e: { blockNumber: number; txId: string; chaincodeId: string; eventName: string; payload: Buffer }): object {
  return { kind: 'event', blockNumber: e.blockNumber, txId: e.txId, chaincode: e.chaincodeId, name: e.eventName, ...printedPayload(e.payload) };
}

function rwsetFields(rwset: FabricReadWriteSet): object {
  return {
    reads: rwset.reads.map((r) => ({ chaincode: r.chaincode, collection: r.collection, key: r.key, version: r.version })),
    writes: rwset.writes.map((w) => ({
      chaincode: w.chaincode,
      collection: w.collection,
      key: w.key,
      ...(w.value === null ? { delete: true } : printedPayload(w.value)),
    })),
  };
}

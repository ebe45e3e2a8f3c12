/** Shared fixtures for the ledger tests: temporary directories and compact commit requests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { CommitRequest, CommitResult } from '../../../src/engine/ledger/blockPlan';
import { WorldState } from '../../../src/engine/ledger/worldState';
import type { MetadataWrite, Namespace, ReadEntry, ReadWriteSet, TransactionRecord, WriteEntry } from '../../../src/engine/ledger/types';
import { endorse, transactionPayload } from '../../../src/engine/transactions/endorsement';
import { buildProposal } from '../../../src/engine/transactions/proposal';
import { codecs } from '../../../src/engine/wire/codec';

export const NS: Namespace = { channel: 'mychannel', chaincode: 'basic' };

export function tempDir(label = 'ledger'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ccl-${label}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function put(key: string, value: string | Buffer | null, collection = '', ns: Namespace = NS): WriteEntry {
  return { ...ns, collection, key, value: typeof value === 'string' ? Buffer.from(value) : value };
}

export function meta(key: string, metakey: string, value: string, collection = '', ns: Namespace = NS): MetadataWrite {
  return { ...ns, collection, key, metakey, value: Buffer.from(value) };
}

export function record(txId: string, rwset: ReadWriteSet, over: Partial<TransactionRecord> = {}): Omit<TransactionRecord, 'validation' | 'blockNum'> {
  return {
    txId,
    channel: NS.channel,
    chaincode: NS.chaincode,
    fn: 'invoke',
    args: ['a', 'b'],
    kind: 'invoke',
    creator: { mspId: 'Org1MSP', subject: 'CN=user1' },
    startedAt: 1_700_000_000_000,
    durationMs: 3,
    status: 200,
    message: '',
    payload: Buffer.from('ok'),
    rwset,
    event: null,
    ...over,
  };
}

export function tx(txId: string, writes: WriteEntry[], extra: { reads?: ReadEntry[]; metadataWrites?: MetadataWrite[]; timestamp?: number } = {}): CommitRequest {
  const rwset: ReadWriteSet = { reads: extra.reads ?? [], writes, metadataWrites: extra.metadataWrites ?? [] };
  return { txId, timestamp: extra.timestamp ?? 1_700_000_000_000, rwset, record: record(txId, rwset) };
}

export function text(b: Buffer | undefined): string | undefined {
  return b === undefined ? undefined : b.toString('utf8');
}

/** Commits one transaction as a block of its own (what the orderer does when it is idle). */
export async function commit(ws: WorldState, request: CommitRequest): Promise<CommitResult> {
  return (await ws.commitBlock([request])).results[0];
}

/** Whether a state directory holds a snapshot (the log was compacted into one). */
export function hasSnapshot(stateDir: string): boolean {
  return fs.readdirSync(stateDir).some((f) => f.startsWith('snapshot-'));
}

/**
 * Commits public filler until a world state opened with a small `compactAfterBytes` has written a
 * snapshot, closes it, and opens it again: from that snapshot. Throws if none was written.
 */
export async function reopenFromSnapshot(ws: WorldState, dir: string): Promise<WorldState> {
  for (let i = 0; i < 40; i++) await commit(ws, tx(`filler${i}`, [put(`filler${i}`, 'v'.repeat(100))]));
  await ws.close();
  if (!hasSnapshot(dir)) throw new Error(`no snapshot was written in ${dir}`);
  return WorldState.open(dir);
}

const creator = codecs.SerializedIdentity.encode({ mspid: 'Org1MSP', id_bytes: Buffer.from('-----BEGIN CERTIFICATE-----\nc\n-----END CERTIFICATE-----\n') });

/** A commit request with the envelope the pipeline would make for it. */
export function withEnvelope(request: CommitRequest, ns: Namespace = NS): CommitRequest {
  const proposal = buildProposal({ channel: ns.channel, chaincodeName: ns.chaincode, args: [Buffer.from('put')], transient: {}, isInit: false, creator, txId: request.txId });
  const endorsed = endorse(proposal, { response: { status: 200, message: '', payload: Buffer.alloc(0) }, failure: null, event: null, rwset: request.rwset }, '1.0', {
    serialized: creator,
  });
  return { ...request, envelope: codecs.Envelope.encode({ payload: transactionPayload(proposal, endorsed.payload, [endorsed.endorsement]) }) };
}

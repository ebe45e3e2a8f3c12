/**
 * qscc, the ledger query system chaincode (Fabric's core/scc/qscc/query.go `LedgerQuerier`):
 * chain info, blocks by number, hash or transaction id, and transactions by id, answered from a
 * channel's blocks, with Fabric's function names, arguments and error texts. It runs in process
 * (../scc/inprocVM.ts), launched like any system chaincode, and clients reach it through the
 * Gateway's Evaluate as on a real peer: `contract('qscc').evaluateTransaction('GetChainInfo', 'mychannel')`.
 */
import type { BlockSource, BlockSources } from '../gateway/blockSource';
import { codecs } from '../wire/codec';
import type { ChaincodeResponse, SystemChaincode, SystemStub } from './inprocShim';

export const QSCC_NAME = 'qscc';

const GET_CHAIN_INFO = 'GetChainInfo';
const UINT64_MAX = 18446744073709551615n;

const success = (payload: Buffer): ChaincodeResponse => ({ status: 200, payload });
const failure = (message: string): ChaincodeResponse => ({ status: 500, message });

/** protoutil.InvokedChaincodeName: the chaincode the client's proposal addressed. */
function invokedChaincodeName(proposalBytes: Uint8Array): string {
  const step = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
    }
  };
  const proposal = step('could not unmarshal proposal', () => codecs.Proposal.decode(proposalBytes));
  const payload = step('could not unmarshal chaincode proposal payload', () => codecs.ChaincodeProposalPayload.decode(proposal.payload));
  const spec = step('could not unmarshal chaincode invocation spec', () => codecs.ChaincodeInvocationSpec.decode(payload.input)).chaincode_spec;
  if (!spec) throw new Error('chaincode spec is nil');
  if (!spec.chaincode_id) throw new Error('chaincode id is nil');
  return spec.chaincode_id.name ?? '';
}

/** Go's strconv.ParseUint(s, 10, 64), with its error text. */
function parseUint64(text: string): bigint {
  if (!/^[0-9]+$/.test(text)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: invalid syntax`);
  const n = BigInt(text);
  if (n > UINT64_MAX) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(text)}: value out of range`);
  return n;
}

export class LedgerQuerier implements SystemChaincode {
  constructor(private readonly blocks: BlockSources) {}

  async init(): Promise<ChaincodeResponse> {
    return { status: 200 };
  }

  async invoke(stub: SystemStub): Promise<ChaincodeResponse> {
    const args = stub.args;
    if (args.length < 2) return failure(`Incorrect number of arguments, ${args.length}`);
    const fname = args[0].toString('utf8');
    const cid = args[1].toString('utf8');
    if (!stub.signedProposal) return failure(`Failed getting signed proposal from stub, ${cid}: the proposal is missing`);
    let name: string;
    try {
      name = invokedChaincodeName(stub.signedProposal.proposal_bytes);
    } catch (err) {
      return failure(`Failed to identify the called chaincode: ${(err as Error).message}`);
    }
    if (name !== QSCC_NAME) return failure(`Rejecting invoke of QSCC from another chaincode because of potential for deadlocks, original invocation for '${name}'`);
    if (fname !== GET_CHAIN_INFO && args.length < 3) return failure(`missing 3rd argument for ${fname}`);
    const ledger = this.blocks(cid);
    if (!ledger) return failure(`Invalid chain ID, ${cid}`);
    // The channel's Readers ACL: the Gateway has verified the creator as a member of a channel org.
    switch (fname) {
      case GET_CHAIN_INFO:
        return getChainInfo(ledger);
      case 'GetBlockByNumber':
        return getBlockByNumber(ledger, args[2].toString('utf8'));
      case 'GetBlockByHash':
        return getBlockByHash(ledger, args[2]);
      case 'GetTransactionByID':
        return getTransactionByID(ledger, args[2].toString('utf8'));
      case 'GetBlockByTxID':
        return getBlockByTxID(ledger, args[2].toString('utf8'));
      default:
        return failure(`Requested function ${fname} not found.`);
    }
  }
}

function getChainInfo(ledger: BlockSource): ChaincodeResponse {
  const info = ledger.chainInfo;
  return success(codecs.BlockchainInfo.encode({ height: info.height, currentBlockHash: info.currentBlockHash, previousBlockHash: info.previousBlockHash }));
}

async function getBlockByNumber(ledger: BlockSource, text: string): Promise<ChaincodeResponse> {
  let requested: bigint;
  try {
    requested = parseUint64(text);
  } catch (err) {
    return failure(`Failed to parse block number with error ${(err as Error).message}`);
  }
  // blockfile_mgr.go retrieveBlockByNumber: MaxUint64 asks for the last block.
  const number = requested === UINT64_MAX ? BigInt(ledger.height - 1) : requested;
  if (number < 0n || number >= BigInt(ledger.height)) return failure(`Failed to get block number ${requested}, error no such block number [${number}] in index`);
  return success(await ledger.getBlock(Number(number)));
}

async function getBlockByHash(ledger: BlockSource, hash: Buffer): Promise<ChaincodeResponse> {
  const block = await ledger.getBlockByHash(hash);
  if (!block) return failure(`Failed to get block hash ${hash.toString('utf8')}, error no such block hash [${hash.toString('hex')}] in index`);
  return success(block);
}

async function getTransactionByID(ledger: BlockSource, txId: string): Promise<ChaincodeResponse> {
  const found = await ledger.getTransaction(txId);
  if (!found) return failure(`Failed to get transaction with id ${txId}, error no such transaction ID [${txId}] in index`);
  return success(codecs.ProcessedTransaction.encode({ transactionEnvelope: codecs.Envelope.decode(found.envelope), validationCode: found.validationCode }));
}

async function getBlockByTxID(ledger: BlockSource, txId: string): Promise<ChaincodeResponse> {
  const found = await ledger.getTransaction(txId);
  if (!found) return failure(`Failed to get block for txID ${txId}, error no such transaction ID [${txId}] in index`);
  return success(await ledger.getBlock(found.blockNumber));
}

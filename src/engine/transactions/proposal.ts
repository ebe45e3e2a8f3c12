/**
 * Proposals, both ways: the SignedProposal the engine builds for its own callers (the editor, the
 * CLI, replay), and what the peer reads out of one a client sent (the Gateway), with the hash and
 * header bytes endorsement and transaction assembly need. The shapes are Fabric's
 * (protoutil/proputils.go, core/endorser/msgvalidation.go UnpackProposal).
 */
import { createHash, randomBytes } from 'crypto';
import { codecs, timestampOf } from '../wire/codec';
import { ChaincodeSpecType, HeaderType, SignedProposal } from '../wire/messages';

/** Who signs a proposal, an endorsement or a transaction: an MSP identity with its key. */
export interface Signer {
  readonly mspId: string;
  /** The marshalled msp.SerializedIdentity (creator or endorser bytes). */
  readonly serialized: Buffer;
  /** ECDSA over SHA-256 of `message`, DER, low S (as Fabric's MSP signs). */
  sign(message: Buffer): Buffer;
}

/** A proposal, read: everything the endorser, the assembler and the records need. */
export interface Proposal {
  readonly signed: SignedProposal;
  readonly txId: string;
  readonly channel: string;
  readonly chaincodeName: string;
  readonly args: readonly Buffer[];
  readonly transient: Readonly<Record<string, Buffer>>;
  readonly isInit: boolean;
  /** The SignatureHeader's creator: a marshalled msp.SerializedIdentity. */
  readonly creator: Buffer;
  readonly nonce: Buffer;
  readonly timestampMs: number;
  /** The Header as the client marshalled it: the prepared transaction's payload carries it verbatim. */
  readonly headerBytes: Buffer;
  readonly signatureHeaderBytes: Buffer;
  /** ChaincodeProposalPayload without the transient map (protoutil.GetBytesProposalPayloadForTx). */
  readonly payloadForTx: Buffer;
  /** SHA-256(channel header ‖ signature header ‖ payloadForTx): protoutil.GetProposalHash1. */
  readonly hash: Buffer;
}

/** A proposal that cannot be read; the message says what is wrong, as Fabric's UnpackProposal does. */
export class MalformedProposalError extends Error {
  override readonly name = 'MalformedProposalError';
}

export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

export interface ProposalInput {
  readonly channel: string;
  readonly chaincodeName: string;
  readonly args: readonly Uint8Array[];
  readonly transient: Readonly<Record<string, Uint8Array>>;
  readonly isInit: boolean;
  /** The creator's marshalled SerializedIdentity. */
  readonly creator: Buffer;
  /** Signs the proposal bytes; absent for the engine's in-process callers, whom nobody else could verify. */
  readonly signer?: Signer;
  /** A given txid; otherwise Fabric's hex(SHA-256(nonce ‖ creator)). */
  readonly txId?: string;
  readonly timestampMs?: number;
}

/**
 * Builds a proposal as the Fabric client libraries do: an endorser transaction channel header with a
 * timestamp and the chaincode name, a signature header with the creator and a fresh nonce, and a
 * ChaincodeProposalPayload with the invocation and the transient map.
 */
export function buildProposal(input: ProposalInput): Proposal {
  const nonce = randomBytes(24);
  const txId = input.txId ?? computeTxId(nonce, input.creator);
  const timestampMs = input.timestampMs ?? Date.now();
  const extension = codecs.ChaincodeHeaderExtension.encode({ chaincode_id: { name: input.chaincodeName } });
  const channelHeader = codecs.ChannelHeader.encode({
    type: HeaderType.ENDORSER_TRANSACTION,
    version: 0,
    timestamp: timestampOf(timestampMs),
    channel_id: input.channel,
    tx_id: txId,
    epoch: 0,
    extension,
  });
  const signatureHeader = codecs.SignatureHeader.encode({ creator: input.creator, nonce });
  const header = codecs.Header.encode({ channel_header: channelHeader, signature_header: signatureHeader });
  const invocation = codecs.ChaincodeInvocationSpec.encode({
    chaincode_spec: {
      type: ChaincodeSpecType.UNDEFINED,
      chaincode_id: { name: input.chaincodeName },
      input: { args: input.args as Uint8Array[], is_init: input.isInit },
    },
  });
  const payloadForTx = codecs.ChaincodeProposalPayload.encode({ input: invocation });
  const hasTransient = Object.keys(input.transient).length > 0;
  const payload = hasTransient ? codecs.ChaincodeProposalPayload.encode({ input: invocation, TransientMap: { ...input.transient } }) : payloadForTx;
  const proposalBytes = codecs.Proposal.encode({ header, payload });
  const signature = input.signer ? input.signer.sign(proposalBytes) : Buffer.alloc(0);
  return {
    signed: { proposal_bytes: proposalBytes, signature },
    txId,
    channel: input.channel,
    chaincodeName: input.chaincodeName,
    args: input.args.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    transient: Object.fromEntries(Object.entries(input.transient).map(([k, v]) => [k, Buffer.from(v.buffer, v.byteOffset, v.byteLength)])),
    isInit: input.isInit,
    creator: input.creator,
    nonce,
    timestampMs,
    headerBytes: header,
    signatureHeaderBytes: signatureHeader,
    payloadForTx,
    hash: proposalHash(channelHeader, signatureHeader, payloadForTx),
  };
}

/**
 * Reads a SignedProposal a client sent (UnpackProposal): an endorser transaction for a chaincode,
 * with a creator and a nonce. Checks the shape only; who signed it is the MSP's business.
 */
export function parseSignedProposal(signed: SignedProposal): Proposal {
  const decode = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw new MalformedProposalError(`error unmarshalling ${what}: ${(err as Error).message}`, { cause: err });
    }
  };
  if (!signed.proposal_bytes?.length) throw new MalformedProposalError('the signed proposal has no proposal bytes');
  const proposal = decode('Proposal', () => codecs.Proposal.decode(signed.proposal_bytes));
  const header = decode('Header', () => codecs.Header.decode(proposal.header));
  const channelHeader = decode('ChannelHeader', () => codecs.ChannelHeader.decode(header.channel_header));
  const signatureHeader = decode('SignatureHeader', () => codecs.SignatureHeader.decode(header.signature_header));
  if (channelHeader.type !== HeaderType.ENDORSER_TRANSACTION) {
    throw new MalformedProposalError(`invalid header type ${HeaderType[channelHeader.type] ?? channelHeader.type}: only ENDORSER_TRANSACTION proposals are endorsed`);
  }
  if (!signatureHeader.nonce?.length) throw new MalformedProposalError('invalid signature header: nonce is empty');
  if (!signatureHeader.creator?.length) throw new MalformedProposalError('invalid signature header: creator is empty');
  const extension = decode('ChaincodeHeaderExtension', () => codecs.ChaincodeHeaderExtension.decode(channelHeader.extension));
  const chaincodeName = extension.chaincode_id?.name ?? '';
  if (!chaincodeName) throw new MalformedProposalError('ChaincodeHeaderExtension.ChaincodeId is nil');
  const payload = decode('ChaincodeProposalPayload', () => codecs.ChaincodeProposalPayload.decode(proposal.payload));
  const invocation = decode('ChaincodeInvocationSpec', () => codecs.ChaincodeInvocationSpec.decode(payload.input));
  const input = invocation.chaincode_spec?.input;
  if (!input) throw new MalformedProposalError('the chaincode invocation has no input');
  const payloadForTx = codecs.ChaincodeProposalPayload.encode({ input: payload.input });
  const seconds = Number(channelHeader.timestamp?.seconds ?? 0);
  const nanos = Number(channelHeader.timestamp?.nanos ?? 0);
  return {
    signed,
    txId: channelHeader.tx_id,
    channel: channelHeader.channel_id,
    chaincodeName,
    args: (input.args ?? []).map((a) => Buffer.from(a)),
    transient: Object.fromEntries(Object.entries(payload.TransientMap ?? {}).map(([k, v]) => [k, Buffer.from(v)])),
    isInit: !!input.is_init,
    creator: Buffer.from(signatureHeader.creator),
    nonce: Buffer.from(signatureHeader.nonce),
    timestampMs: seconds * 1000 + Math.floor(nanos / 1e6),
    headerBytes: Buffer.from(proposal.header),
    signatureHeaderBytes: Buffer.from(header.signature_header),
    payloadForTx,
    hash: proposalHash(header.channel_header, header.signature_header, payloadForTx),
  };
}

function proposalHash(channelHeader: Uint8Array, signatureHeader: Uint8Array, payloadForTx: Uint8Array): Buffer {
  return createHash('sha256').update(channelHeader).update(signatureHeader).update(payloadForTx).digest();
}

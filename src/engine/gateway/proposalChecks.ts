/**
 * A client's SignedProposal, read and checked as Fabric reads and checks it, in two steps:
 *
 * 1. The gateway reads which channel and chaincode it is for (internal/pkg/gateway/api.go
 *    `getChannelAndChaincodeFromSignedProposal`); a proposal it cannot read is the client's
 *    mistake (INVALID_ARGUMENT, "failed to unpack transaction proposal: …").
 * 2. The endorser validates it before running anything (core/endorser/msgvalidation.go
 *    `UnpackedProposal.Validate`, endorser.go `preProcess`): header type, epoch, nonce, creator,
 *    txid = SHA-256(nonce ‖ creator), signature, the creator's identity, and that no block holds
 *    the txid yet. A refusal here is the endorser's answer, which the gateway relays.
 */
import { codecs } from '../wire/codec';
import { HeaderType, type ChannelHeader, type SignatureHeader, type SignedProposal } from '../wire/messages';
import { computeTxId, MalformedProposalError, parseSignedProposal, type Proposal } from '../transactions/proposal';
import { CallerRefusedError, type Caller, type CallerVerifier } from './callers';

/** The gateway could not read the proposal: nothing was sent to the endorser. */
export class UnreadableProposalError extends Error {
  override readonly name = 'UnreadableProposalError';
}

/** The endorser refused the proposal; `message` is the endorser's error as Fabric words it. */
export class ProposalRejectedError extends Error {
  override readonly name = 'ProposalRejectedError';
}

export interface ProposalTarget {
  readonly channel: string;
  readonly chaincode: string;
}

function unmarshal<T>(what: string, decode: () => T, Failure: new (message: string, options?: ErrorOptions) => Error): T {
  try {
    return decode();
  } catch (err) {
    throw new Failure(`error unmarshalling ${what}: ${(err as Error).message}`, { cause: err });
  }
}

/** Step 1: the channel and chaincode a proposal names; throws UnreadableProposalError with Fabric's words. */
export function proposalTarget(signed: Partial<SignedProposal> | null | undefined): ProposalTarget {
  if (!signed) throw new UnreadableProposalError('a signed proposal is required');
  const U = UnreadableProposalError;
  const proposal = unmarshal('Proposal', () => codecs.Proposal.decode(signed.proposal_bytes ?? new Uint8Array()), U);
  const header = unmarshal('Header', () => codecs.Header.decode(proposal.header), U);
  const channelHeader = unmarshal('ChannelHeader', () => codecs.ChannelHeader.decode(header.channel_header), U);
  const payload = unmarshal('ChaincodeProposalPayload', () => codecs.ChaincodeProposalPayload.decode(proposal.payload), U);
  const spec = unmarshal('ChaincodeInvocationSpec', () => codecs.ChaincodeInvocationSpec.decode(payload.input), U).chaincode_spec;
  const channel = channelHeader.channel_id;
  if (!channel) throw new U('no channel id provided');
  if (!spec) throw new U(`no chaincode spec is provided, channel id [${channel}]`);
  if (!spec.chaincode_id) throw new U(`no chaincode id is provided, channel id [${channel}]`);
  if (!spec.chaincode_id.name) throw new U(`no chaincode name is provided, channel id [${channel}]`);
  return { channel, chaincode: spec.chaincode_id.name };
}

export interface ValidatedProposal {
  readonly proposal: Proposal;
  readonly caller: Caller;
}

/**
 * Step 2: the endorser's checks, in Fabric's order. `isOnLedger(channel, txId)`: whether a block
 * of the channel already holds the txid (a replay). Throws ProposalRejectedError.
 */
export function validateProposal(signed: SignedProposal, verifier: CallerVerifier, isOnLedger: (channel: string, txId: string) => boolean): ValidatedProposal {
  const R = ProposalRejectedError;
  const proposalMessage = unmarshal('Proposal', () => codecs.Proposal.decode(signed.proposal_bytes), R);
  const header = unmarshal('Header', () => codecs.Header.decode(proposalMessage.header), R);
  const channelHeader: ChannelHeader = unmarshal('ChannelHeader', () => codecs.ChannelHeader.decode(header.channel_header), R);
  const signatureHeader: SignatureHeader = unmarshal('SignatureHeader', () => codecs.SignatureHeader.decode(header.signature_header), R);
  const invalid = (why: string): ProposalRejectedError => new R(`error validating proposal: ${why}`);
  const type = channelHeader.type;
  if (type !== HeaderType.ENDORSER_TRANSACTION && type !== HeaderType.CONFIG) throw invalid(`invalid header type ${HeaderType[type] ?? type}`);
  if (String(channelHeader.epoch ?? 0) !== '0') throw invalid('epoch is non-zero');
  if (!signatureHeader.nonce?.length) throw invalid('nonce is empty');
  if (!signatureHeader.creator?.length) throw invalid('creator is empty');
  const expected = computeTxId(signatureHeader.nonce, signatureHeader.creator);
  if (channelHeader.tx_id !== expected) throw invalid(`incorrectly computed txid '${channelHeader.tx_id}' -- expected '${expected}'`);
  if (!signed.proposal_bytes?.length) throw invalid('empty proposal bytes');
  if (!signed.signature?.length) throw invalid('empty signature bytes');
  let caller: Caller;
  try {
    caller = verifier.verify(channelHeader.channel_id, signatureHeader.creator, signed.proposal_bytes, signed.signature);
  } catch (err) {
    if (err instanceof CallerRefusedError) throw new R(`error validating proposal: ${err.message}`, { cause: err });
    throw err;
  }
  let proposal: Proposal;
  try {
    proposal = parseSignedProposal(signed);
  } catch (err) {
    if (err instanceof MalformedProposalError) throw new R(err.message, { cause: err });
    throw err;
  }
  if (isOnLedger(proposal.channel, proposal.txId)) {
    throw new R(`duplicate transaction found [${proposal.txId}]. Creator [${proposal.creator.toString('hex')}]`);
  }
  return { proposal, caller };
}

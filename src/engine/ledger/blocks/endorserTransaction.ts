/**
 * An endorser transaction as Fabric assembles it, for the block and for the Gateway's Endorse:
 *
 *   ProposalResponsePayload{proposal_hash, extension = ChaincodeAction{results, events, response,
 *     chaincode_id}}                               protoutil/proputils.go GetBytesProposalResponsePayload
 *   proposal_hash = SHA-256(channel_header ‖ signature_header ‖ ChaincodeProposalPayload without
 *     its TransientMap)                            protoutil/proputils.go GetProposalHash1
 *   Endorsement{endorser, signature = Sign(prp bytes ‖ endorser)}
 *                                                  core/handlers/endorsement/builtin/default_endorsement.go
 *   Envelope{payload = Payload{header = the proposal's Header, data = Transaction{actions: [
 *     TransactionAction{header = the signature header, payload = ChaincodeActionPayload{
 *       chaincode_proposal_payload (no TransientMap), action = ChaincodeEndorsedAction{prp,
 *       endorsements}}}]}}, signature}            internal/pkg/gateway/endorse.go prepareTransaction
 *
 * The client signs the envelope's payload (the Gateway returns it unsigned); a transaction the
 * peer makes for itself (the editor's or the CLI's) may stay unsigned.
 */
import { createHash } from 'crypto';
import { codecs } from '../../wire/codec';
import type * as M from '../../wire/messages';

/** What the chaincode execution produced, for ChaincodeAction. */
export interface ChaincodeActionParts {
  /** The marshalled TxReadWriteSet (rwsetEncoding.ts SimulationResults.publicBytes). */
  readonly results: Uint8Array;
  /** The event the chaincode set, with chaincode_id and tx_id filled in by the peer; none: no bytes. */
  readonly event?: Partial<M.ChaincodeEvent> | null;
  readonly response: Partial<M.Response>;
  /** The chaincode's name and its definition's version. */
  readonly chaincodeId: { readonly name: string; readonly version: string };
}

/** A proposal's parts, as decoded from Proposal bytes (SignedProposal.proposal_bytes). */
export interface ProposalParts {
  /** A marshalled common.Header. */
  readonly header: Uint8Array;
  /** A marshalled ChaincodeProposalPayload (with the TransientMap the client sent). */
  readonly payload: Uint8Array;
}

export function decodeProposal(proposalBytes: Uint8Array): ProposalParts {
  const { header, payload } = codecs.Proposal.decode(proposalBytes);
  return { header, payload };
}

/** The ChaincodeProposalPayload that goes into the transaction: the TransientMap dropped. */
export function proposalPayloadForTx(payload: Uint8Array): Buffer {
  return codecs.ChaincodeProposalPayload.encode({ input: codecs.ChaincodeProposalPayload.decode(payload).input });
}

export function proposalHash(proposal: ProposalParts): Buffer {
  const header = codecs.Header.decode(proposal.header);
  return createHash('sha256').update(header.channel_header).update(header.signature_header).update(proposalPayloadForTx(proposal.payload)).digest();
}

/** The bytes endorsers sign (ProposalResponse.payload, ChaincodeEndorsedAction.proposal_response_payload). */
export function proposalResponsePayload(proposal: ProposalParts, action: ChaincodeActionParts): Buffer {
  const extension = codecs.ChaincodeAction.encode({
    results: action.results,
    events: action.event ? codecs.ChaincodeEvent.encode(action.event) : undefined,
    response: action.response,
    chaincode_id: { name: action.chaincodeId.name, version: action.chaincodeId.version },
  });
  return codecs.ProposalResponsePayload.encode({ proposal_hash: proposalHash(proposal), extension });
}

/** An endorsement by `endorser` (a marshalled SerializedIdentity); `sign` hashes and signs its input. */
export function endorse(responsePayload: Uint8Array, endorser: Uint8Array, sign: (message: Buffer) => Buffer): M.Endorsement {
  return { endorser: Buffer.from(endorser), signature: sign(Buffer.concat([responsePayload, endorser])) };
}

/**
 * The transaction envelope (marshalled common.Envelope). One endorsement per endorser identity
 * (the first), as protoutil.CreateSignedTx and the gateway's uniqueEndorsements keep them. `signature` defaults to none (what Endorse returns for the client to sign).
 */
export function transactionEnvelope(proposal: ProposalParts, responsePayload: Uint8Array, endorsements: readonly M.Endorsement[], signature?: Uint8Array): Buffer {
  const header = codecs.Header.decode(proposal.header);
  const seen = new Set<string>();
  const unique = endorsements.filter((e) => {
    const key = Buffer.from(e.endorser).toString('latin1');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const actionPayload = codecs.ChaincodeActionPayload.encode({
    chaincode_proposal_payload: proposalPayloadForTx(proposal.payload),
    action: { proposal_response_payload: responsePayload, endorsements: unique },
  });
  const transaction = codecs.Transaction.encode({ actions: [{ header: header.signature_header, payload: actionPayload }] });
  const payload = codecs.Payload.encode({ header: { channel_header: header.channel_header, signature_header: header.signature_header }, data: transaction });
  return codecs.Envelope.encode({ payload, signature });
}

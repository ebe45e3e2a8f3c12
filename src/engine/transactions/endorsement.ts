/**
 * What an endorser returns for a proposal it simulated (core/endorser/endorser.go,
 * protoutil.CreateProposalResponse): the ProposalResponsePayload — the proposal's hash and the
 * ChaincodeAction with the read/write set as Fabric encodes it, the event, the response and the
 * chaincode id — and the endorser's signature over it.
 */
import { encodeSimulationResults } from '../ledger/blocks/rwsetEncoding';
import type { Simulation } from '../peer/peer';
import { codecs } from '../wire/codec';
import type { Endorsement as EndorsementMessage } from '../wire/messages';
import type { Proposal, Signer } from './proposal';

export interface Endorsed {
  /** The marshalled ProposalResponsePayload: what every endorser must agree on, byte for byte. */
  readonly payload: Buffer;
  /** The endorser's identity and signature; unsigned for in-process transactions (see Signer). */
  readonly endorsement: EndorsementMessage;
  /** Private writes in Fabric's TxPvtReadWriteSet encoding, kept apart from the block (null when none). */
  readonly privateResults: Buffer | null;
}

/**
 * `chaincodeVersion`: the definition's version, as Fabric puts it in ChaincodeAction.chaincode_id.
 * `endorser`: the peer's signing identity; without one the endorsement carries only the identity
 * bytes given (in-process transactions, which no one outside the process could check).
 */
export function endorse(proposal: Proposal, simulation: Simulation, chaincodeVersion: string, endorser: { serialized: Buffer; signer?: Signer }): Endorsed {
  const results = encodeSimulationResults(proposal.channel, simulation.rwset);
  const event = simulation.event
    ? codecs.ChaincodeEvent.encode({ chaincode_id: proposal.chaincodeName, tx_id: proposal.txId, event_name: simulation.event.eventName, payload: simulation.event.payload })
    : Buffer.alloc(0);
  const action = codecs.ChaincodeAction.encode({
    results: results.publicBytes,
    events: event,
    response: { status: simulation.response.status, message: simulation.response.message, payload: simulation.response.payload },
    chaincode_id: { name: proposal.chaincodeName, version: chaincodeVersion },
  });
  const payload = codecs.ProposalResponsePayload.encode({ proposal_hash: proposal.hash, extension: action });
  const signature = endorser.signer ? endorser.signer.sign(Buffer.concat([payload, endorser.serialized])) : Buffer.alloc(0);
  return { payload, endorsement: { endorser: endorser.serialized, signature }, privateResults: results.privateBytes };
}

/**
 * The prepared transaction (internal/pkg/gateway/submit.go prepareTransaction): the proposal's
 * header verbatim, one TransactionAction whose ChaincodeActionPayload holds the proposal payload
 * without the transient map and the endorsed action. Returns the Payload bytes the client signs;
 * endorsements are de-duplicated by their bytes, as the gateway does.
 */
export function transactionPayload(proposal: Proposal, responsePayload: Buffer, endorsements: readonly EndorsementMessage[]): Buffer {
  const unique = new Map<string, EndorsementMessage>();
  for (const e of endorsements) unique.set(Buffer.concat([e.endorser, Buffer.from([0]), e.signature]).toString('base64'), e);
  const actionPayload = codecs.ChaincodeActionPayload.encode({
    chaincode_proposal_payload: proposal.payloadForTx,
    action: { proposal_response_payload: responsePayload, endorsements: [...unique.values()] },
  });
  const transaction = codecs.Transaction.encode({ actions: [{ header: proposal.signatureHeaderBytes, payload: actionPayload }] });
  return codecs.Payload.encode({ header: codecs.Header.decode(proposal.headerBytes), data: transaction });
}

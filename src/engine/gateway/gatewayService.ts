/**
 * `gateway.Gateway`'s unary calls (Evaluate, Endorse, Submit, CommitStatus) over the transaction
 * pipeline: each decodes the request, checks it as Fabric's gateway and endorser do, hands it to
 * the pipeline, and answers in Fabric's words (internal/pkg/gateway/api.go, apiutils.go
 * `responseStatus`). No transaction logic lives here.
 */
import * as grpc from '@grpc/grpc-js';
import type { Simulation } from '../peer/peer';
import { EndorsementPlanError } from '../transactions/endorsers';
import { EndorsementError, SubmitError, type TransactionPipeline } from '../transactions/pipeline';
import { codecs } from '../wire/codec';
import type { SignedProposal } from '../wire/messages';
import { txValidationCodeOf } from '../ledger/blocks/blockBuilder';
import { CallerRefusedError, type CallerVerifier } from './callers';
import { untilCallEnds, type CallContext } from './callContext';
import { decodeRequest, errorDetail, GatewayStatusError, type Endpoints } from './gatewayErrors';
import { ProposalRejectedError, proposalTarget, UnreadableProposalError, validateProposal, type ProposalTarget, type ValidatedProposal } from './proposalChecks';
import { checkChannelReader } from './readerCheck';
import { readSubmittedEnvelope, SubmittedEnvelopeError } from './submittedEnvelope';

/** What the Gateway needs from the peer besides the pipeline. */
export interface GatewayBackend {
  readonly pipeline: Pick<TransactionPipeline, 'evaluate' | 'endorse' | 'submit' | 'commitStatus'>;
  hasChannel(channel: string): boolean;
  /**
   * Whether a chaincode of that name (or name:version) is ready to run; a dev-mode chaincode whose
   * process is restarting is waited for, as a transaction waits for it.
   */
  hasChaincode(chaincode: string): Promise<boolean>;
  /** Whether a block of the channel already holds the transaction id. */
  isOnLedger(channel: string, txId: string): boolean;
}

const status = grpc.status;

/** Fabric's `responseStatus`: a chaincode's error response (below 200 or from 400 on), in the gateway's words. */
function chaincodeFailure(response: Simulation['response']): string | null {
  if (response.status >= 200 && response.status < 400) return null;
  return `chaincode response ${response.status}, ${response.message}`;
}

/**
 * A simulation the peer could not finish, as Fabric's endorser reports it (endorser.go
 * `ProcessProposalSuccessfullyOrError`, chaincode_support.go `processChaincodeExecutionResult`,
 * `execute`): the chaincode's ERROR message, or why no answer came (timeout, stream ended).
 */
export function simulationFailureMessage(txId: string, failure: string): string {
  if (failure.startsWith('transaction returned with failure')) return `error in simulation: ${failure}`;
  return `error in simulation: failed to execute transaction ${txId}: error sending: ${failure}`;
}

export class GatewayService {
  constructor(
    private readonly backend: GatewayBackend,
    private readonly verifier: CallerVerifier,
    private readonly endpoints: Endpoints,
  ) {}

  async evaluate(bytes: Buffer, ctx: CallContext): Promise<Buffer> {
    const request = decodeRequest(codecs.EvaluateRequest, bytes);
    const failed = (code: grpc.status, message: string): GatewayStatusError =>
      new GatewayStatusError(code, `evaluate call to endorser returned error: ${message}`, [errorDetail(this.endpoints.self, message)]);
    const target = this.unpack(request.proposed_transaction);
    if (!(await this.canRun(target, ctx, 'evaluate timeout expired'))) {
      throw new GatewayStatusError(status.FAILED_PRECONDITION, `no peers available to evaluate chaincode ${target.chaincode} in channel ${target.channel}`);
    }
    const { proposal, caller } = this.validate(request.proposed_transaction as SignedProposal, (message) => failed(status.FAILED_PRECONDITION, message));
    let simulation: Simulation;
    try {
      // As Fabric's Gateway: on the orgs the client targets, else on this Gateway's own peer.
      const targets = request.target_organizations?.length ? request.target_organizations : [this.endpoints.self.mspId];
      simulation = await untilCallEnds(this.backend.pipeline.evaluate(proposal, caller, targets), ctx, 'evaluate timeout expired');
    } catch (err) {
      if (err instanceof GatewayStatusError) throw err;
      // The peer could not run it (the chaincode went away meanwhile): a payload-less 500.
      throw failed(status.ABORTED, (err as Error).message);
    }
    if (simulation.failure !== null) throw failed(status.ABORTED, simulationFailureMessage(proposal.txId, simulation.failure));
    const chaincodeError = chaincodeFailure(simulation.response);
    if (chaincodeError) throw failed(status.UNKNOWN, chaincodeError);
    const { status: code, message, payload } = simulation.response;
    return codecs.EvaluateResponse.encode({ result: { status: code, message, payload } });
  }

  async endorse(bytes: Buffer, ctx: CallContext): Promise<Buffer> {
    const request = decodeRequest(codecs.EndorseRequest, bytes);
    const failed = (message: string, endpoint = this.endpoints.self): GatewayStatusError =>
      new GatewayStatusError(status.ABORTED, 'failed to endorse transaction, see attached details for more info', [errorDetail(endpoint, message)]);
    const target = this.unpack(request.proposed_transaction);
    if (!(await this.canRun(target, ctx, 'endorsement timeout expired while collecting first endorsement'))) {
      throw new GatewayStatusError(
        status.FAILED_PRECONDITION,
        `no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${target.chaincode} in channel ${target.channel}`,
      );
    }
    const { proposal, caller } = this.validate(request.proposed_transaction as SignedProposal, (message) => failed(message));
    const orgs = request.endorsing_organizations?.length ? request.endorsing_organizations : undefined;
    try {
      const prepared = await untilCallEnds(
        this.backend.pipeline.endorse(proposal, caller, orgs, this.endpoints.self.mspId),
        ctx,
        'endorsement timeout expired while collecting first endorsement',
      );
      return codecs.EndorseResponse.encode({ prepared_transaction: { payload: prepared.payload } });
    } catch (err) {
      if (err instanceof GatewayStatusError) throw err;
      if (err instanceof EndorsementPlanError) throw new GatewayStatusError(status.FAILED_PRECONDITION, err.message);
      if (err instanceof EndorsementError) throw this.endorsementFailure(err, proposal.txId);
      throw failed((err as Error).message);
    }
  }

  async submit(bytes: Buffer): Promise<Buffer> {
    const request = decodeRequest(codecs.SubmitRequest, bytes);
    const envelope = request.prepared_transaction;
    if (!envelope) throw new GatewayStatusError(status.INVALID_ARGUMENT, 'a prepared transaction is required');
    if (!envelope.signature?.length) throw new GatewayStatusError(status.INVALID_ARGUMENT, 'prepared transaction must be signed');
    if (!this.backend.hasChannel(request.channel_id)) throw new GatewayStatusError(status.NOT_FOUND, 'no orderer nodes available');
    // What the ordering service refuses (orderer/common/broadcast: ClassifyError → status, err → info).
    const refused = (ordererStatus: 'BAD_REQUEST' | 'FORBIDDEN', info: string): GatewayStatusError =>
      new GatewayStatusError(status.ABORTED, `received unsuccessful response from orderer: status=${ordererStatus}, info=${info}`);
    const payload = Buffer.from(envelope.payload ?? []);
    const signature = Buffer.from(envelope.signature);
    try {
      const submitted = readSubmittedEnvelope(payload);
      this.verifier.verify(submitted.channel, submitted.creator, payload, signature);
      this.backend.pipeline.submit(request.channel_id, payload, signature, submitted.txId);
    } catch (err) {
      if (err instanceof SubmittedEnvelopeError || err instanceof SubmitError) throw refused('BAD_REQUEST', err.message);
      if (err instanceof CallerRefusedError) {
        // The orderer's expiration rule answers BAD_REQUEST; its Writers policy check, FORBIDDEN.
        if (err.message === 'identity expired') throw refused('BAD_REQUEST', err.message);
        throw refused(
          'FORBIDDEN',
          "implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied",
        );
      }
      throw err;
    }
    return codecs.SubmitResponse.encode({});
  }

  async commitStatus(bytes: Buffer, ctx: CallContext): Promise<Buffer> {
    const signed = decodeRequest(codecs.SignedCommitStatusRequest, bytes);
    let request;
    try {
      request = codecs.CommitStatusRequest.decode(signed.request);
    } catch (err) {
      throw new GatewayStatusError(status.INVALID_ARGUMENT, `invalid status request: ${(err as Error).message}`);
    }
    checkChannelReader(this.verifier, request.channel_id, request.identity, signed.request, signed.signature);
    if (!this.backend.hasChannel(request.channel_id)) throw new GatewayStatusError(status.ABORTED, `channel does not exist: ${request.channel_id}`);
    const done = await untilCallEnds(this.backend.pipeline.commitStatus(request.channel_id, request.transaction_id, ctx.signal), ctx, 'commit status timeout expired');
    return codecs.CommitStatusResponse.encode({ result: txValidationCodeOf(done.validation), block_number: done.blockNum });
  }

  /**
   * An endorsement that failed, in the gateway's words (api.go `Endorse`): an endorser's refusal is
   * ABORTED with that endorser's detail; endorsers that disagree are ABORTED "failed to collect
   * enough transaction endorsements" with one detail per endorser that differs from the first.
   */
  private endorsementFailure(err: EndorsementError, txId: string): GatewayStatusError {
    if (err.mismatches.length > 0) {
      return new GatewayStatusError(
        status.ABORTED,
        'failed to collect enough transaction endorsements, see attached details for more info',
        err.mismatches.map((m) => errorDetail(this.endpoints.of(m.peer, m.mspId), err.message)),
      );
    }
    const by = err.peers[0];
    const message = err.response ? err.message : simulationFailureMessage(txId, err.message);
    const endpoint = by ? this.endpoints.of(by.peer, by.mspId) : this.endpoints.self;
    return new GatewayStatusError(status.ABORTED, 'failed to endorse transaction, see attached details for more info', [errorDetail(endpoint, message)]);
  }

  /** The gateway's plan: a peer of this channel runs the chaincode (registry.go `endorsementPlan`, `evaluator`). */
  private async canRun(target: ProposalTarget, ctx: CallContext, deadlineMessage: string): Promise<boolean> {
    if (!this.backend.hasChannel(target.channel)) return false;
    return untilCallEnds(this.backend.hasChaincode(target.chaincode), ctx, deadlineMessage);
  }

  private unpack(signed: Partial<SignedProposal> | null | undefined): ProposalTarget {
    try {
      return proposalTarget(signed);
    } catch (err) {
      if (err instanceof UnreadableProposalError) throw new GatewayStatusError(status.INVALID_ARGUMENT, `failed to unpack transaction proposal: ${err.message}`);
      throw err;
    }
  }

  private validate(signed: SignedProposal, failed: (message: string) => GatewayStatusError): ValidatedProposal {
    try {
      return validateProposal(signed, this.verifier, (channel, txId) => this.backend.isOnLedger(channel, txId));
    } catch (err) {
      if (err instanceof ProposalRejectedError) throw failed(err.message);
      throw err;
    }
  }
}

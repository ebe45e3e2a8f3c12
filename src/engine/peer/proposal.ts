/**
 * The minimal SignedProposal every shim accepts (shim-protocol.md §1.5, §2.10): an endorser
 * transaction channel header with a timestamp, a signature header with a PEM creator and a nonce,
 * and a non-empty ChaincodeProposalPayload carrying the invocation and the transient map.
 */
import { createHash, randomBytes } from 'crypto';
import { codecs, timestampOf } from '../wire/codec';
import { ChaincodeLanguage, SignedProposal } from '../wire/messages';
import type { CreatorIdentity } from './identity';

const ENDORSER_TRANSACTION = 3;

export interface ProposalInput {
  readonly channel: string;
  readonly chaincodeName: string;
  readonly args: readonly Uint8Array[];
  readonly transient: Readonly<Record<string, Uint8Array>>;
  readonly isInit: boolean;
  readonly creator: CreatorIdentity;
  /** A given txid; otherwise Fabric's hex(SHA-256(nonce ‖ creator)). */
  readonly txId?: string;
  readonly timestampMs?: number;
}

export interface BuiltProposal {
  readonly txId: string;
  readonly signedProposal: SignedProposal;
  readonly timestampMs: number;
}

export function computeTxId(nonce: Uint8Array, creator: Uint8Array): string {
  return createHash('sha256').update(nonce).update(creator).digest('hex');
}

export function buildProposal(input: ProposalInput): BuiltProposal {
  const nonce = randomBytes(24);
  const txId = input.txId ?? computeTxId(nonce, input.creator.serialized);
  const timestampMs = input.timestampMs ?? Date.now();
  const extension = codecs.ChaincodeHeaderExtension.encode({ chaincode_id: { name: input.chaincodeName } });
  const channelHeader = codecs.ChannelHeader.encode({
    type: ENDORSER_TRANSACTION,
    version: 0,
    timestamp: timestampOf(timestampMs),
    channel_id: input.channel,
    tx_id: txId,
    epoch: 0,
    extension,
  });
  const signatureHeader = codecs.SignatureHeader.encode({ creator: input.creator.serialized, nonce });
  const header = codecs.Header.encode({ channel_header: channelHeader, signature_header: signatureHeader });
  const invocation = codecs.ChaincodeInvocationSpec.encode({
    chaincode_spec: {
      type: ChaincodeLanguage.UNDEFINED,
      chaincode_id: { name: input.chaincodeName },
      input: { args: input.args as Uint8Array[], is_init: input.isInit },
    },
  });
  const payload = codecs.ChaincodeProposalPayload.encode({ input: invocation, TransientMap: { ...input.transient } });
  const proposalBytes = codecs.Proposal.encode({ header, payload });
  // The shims never verify the signature; an empty one is what a peer in dev mode would accept too.
  return { txId, timestampMs, signedProposal: { proposal_bytes: proposalBytes, signature: Buffer.alloc(0) } };
}

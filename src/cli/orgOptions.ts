/**
 * The flags of the network and of who calls: the organisations (`--orgs`), the channels
 * (`--channels`, `--channel`), the calling identity (`--msp-id`, `--identity`, `--identity-attr`),
 * and what one step adds (`--transient`, `--tx-channel`, after the --tx or --query they apply to).
 * Everything is checked here, so a bad org list, attribute, transient map or unknown org is a usage
 * error naming the flag and the token, before anything starts.
 */
import { DEFAULT_CONFIG, type EngineConfig } from '../engine/config';
import { checkChannelName, InvalidChannelNameError } from '../engine/ledger/channelLedger';
import { checkIdentitySpec, IdentitySpecError, orgSpec, OrgSpecError, parseAttributeList, parseOrgList, type Attributes } from '../engine/msp';
import { parseTransientMap, TransientMapError } from '../engine/transactions/transientMap';
import type { TransactionStep } from './options';
import { UsageError } from './usageError';

/** parseArgs declarations of these flags (merged into the launch/peer/replay flags). */
export const ORG_FLAGS = {
  orgs: { type: 'string' },
  channels: { type: 'string' },
  identity: { type: 'string' },
  'identity-attr': { type: 'string', multiple: true },
  transient: { type: 'string', multiple: true },
  'tx-channel': { type: 'string', multiple: true },
} as const;

/** Flags that modify the --tx or --query before them. */
export const STEP_FLAGS = ['transient', 'tx-channel'] as const;
export type StepFlag = (typeof STEP_FLAGS)[number];

/** Who calls the --tx and --query steps: an identity of one of the network's organisations. */
export interface CallerSpec {
  readonly mspId: string;
  /** Default User1. */
  readonly identity: string;
  /** Exactly these attributes (the certificate is reissued when they differ); undefined: the identity as it is. */
  readonly attributes?: Attributes;
}

export const DEFAULT_IDENTITY = 'User1';

interface OrgFlagValues {
  readonly orgs?: string;
  readonly channels?: string;
  readonly channel?: string;
  readonly 'msp-id'?: string;
}

/** Converts the engine's parse errors, which name the flag and token already, into usage errors. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof OrgSpecError || err instanceof IdentitySpecError || err instanceof InvalidChannelNameError || err instanceof TransientMapError) {
      throw new UsageError(err.message, { cause: err });
    }
    throw err;
  }
}

/** `--orgs` (or the config file's `orgs`): MSP ids; each org's crypto folder is named after it. */
function organisations(flag: string | undefined, fromFile: unknown): readonly string[] {
  if (flag === undefined && fromFile === undefined) return DEFAULT_CONFIG.orgs;
  const text = flag ?? (Array.isArray(fromFile) && fromFile.every((o) => typeof o === 'string') ? fromFile.join(',') : undefined);
  const source = flag !== undefined ? '--orgs' : '--config orgs';
  if (text === undefined) throw new UsageError(`${source}: expected a list of MSP ids such as ["Org1MSP","Org2MSP"]`);
  const specs = asUsage(() => parseOrgList(text, source));
  for (const spec of specs) {
    // The engine derives each org's domain from its MSP id (Org3MSP → org3.example.com).
    if (spec.domain !== orgSpec(spec.mspId).domain) {
      throw new UsageError(
        `${source}: '${spec.mspId}=${spec.domain}': the crypto folder's domain follows the MSP id (${spec.mspId} → ${orgSpec(spec.mspId).domain}); give MSP ids only`,
      );
    }
  }
  return specs.map((s) => s.mspId);
}

/** `--channels a,b` (or the config file's `channels`): each a Fabric channel name, none repeated. */
function channelList(flag: string | undefined, fromFile: unknown): readonly string[] | undefined {
  if (flag === undefined && fromFile === undefined) return undefined;
  const source = flag !== undefined ? '--channels' : '--config channels';
  const entries = flag !== undefined ? flag.split(',').map((c) => c.trim()) : Array.isArray(fromFile) ? (fromFile as unknown[]) : undefined;
  if (entries === undefined || entries.length === 0 || entries.every((c) => c === '')) throw new UsageError(`${source}: expected channel names such as mychannel,other`);
  const channels: string[] = [];
  entries.forEach((c, i) => {
    if (typeof c !== 'string' || c === '') throw new UsageError(`${source}: entry ${i + 1} is empty`);
    asUsage(() => checkChannelName(c));
    if (channels.includes(c)) throw new UsageError(`${source}: channel '${c}' is given twice`);
    channels.push(c);
  });
  return channels;
}

/**
 * The network's settings: its orgs, the caller's org among them, the channels every peer joins and
 * the default one steps run on (`--channel`, else the first of `--channels`).
 */
export function networkSettings(v: OrgFlagValues, fileConfig: Record<string, unknown>): Pick<EngineConfig, 'orgs' | 'mspId' | 'channel' | 'channels'> {
  const orgs = organisations(v.orgs, fileConfig.orgs);
  const mspId = v['msp-id'] ?? (fileConfig.mspId as string | undefined) ?? DEFAULT_CONFIG.mspId;
  if (!orgs.includes(mspId)) {
    throw new UsageError(`--msp-id ${mspId}: not one of the network's organisations (${orgs.join(', ')}); add it to --orgs`);
  }
  const channels = channelList(v.channels, fileConfig.channels);
  const channel = v.channel ?? (fileConfig.channel as string | undefined) ?? channels?.[0] ?? DEFAULT_CONFIG.channel;
  asUsage(() => checkChannelName(channel));
  if (channels && !channels.includes(channel)) throw new UsageError(`--channel ${channel}: not one of --channels (${channels.join(', ')})`);
  return { orgs, mspId, channel, channels: channels ?? [channel] };
}

/** `--identity NAME` and `--identity-attr KEY=VALUE`… of `--msp-id`'s org. */
export function callerSpec(v: { readonly identity?: string; readonly 'identity-attr'?: readonly string[] }, mspId: string): CallerSpec {
  const identity = v.identity ?? DEFAULT_IDENTITY;
  const attributes = v['identity-attr'] === undefined ? undefined : asUsage(() => parseAttributeList(v['identity-attr'] ?? [], '--identity-attr'));
  asUsage(() => checkIdentitySpec({ name: identity, ...(attributes ? { attributes } : {}) }, '--identity'));
  return { mspId, identity, ...(attributes ? { attributes } : {}) };
}

/** The step with a `--transient` or `--tx-channel` applied; each at most once per step. */
export function withStepFlag(step: TransactionStep | undefined, flag: StepFlag, value: string, channels: readonly string[]): TransactionStep {
  if (!step) throw new UsageError(`--${flag} applies to the --tx or --query before it, and none comes before it`);
  const field = flag === 'transient' ? 'transient' : 'channel';
  if (step[field] !== undefined) throw new UsageError(`--${flag} is given twice for the same step (${step.args[0]}, step ${step.index})`);
  if (flag === 'transient') return { ...step, transient: asUsage(() => parseTransientMap(value, `--transient (step ${step.index}, ${step.args[0]})`)) };
  if (!channels.includes(value)) throw new UsageError(`--tx-channel ${value}: not one of the channels the peers join (${channels.join(', ')}); add it to --channels`);
  return { ...step, channel: value };
}

/**
 * Who calls the CLI's --tx and --query: the identity `--identity` names in `--msp-id`'s org, issued
 * by that org's CA on first use (or reissued with changed attributes) and kept in the data
 * directory, and how result lines show it.
 */
import type { Engine } from '../engine/engine';
import type { SigningIdentity } from '../engine/msp';
import type { CallerSpec } from './orgOptions';

/** A result line's `creator`: the org, the identity's name, and its certificate subject (what the records keep). */
export interface CreatorFields {
  readonly mspId: string;
  readonly name: string;
  readonly subject: string;
}

export function creatorFields(identity: SigningIdentity): CreatorFields {
  return { mspId: identity.mspId, name: identity.name, subject: identity.subject };
}

/** The caller's signing identity; says on stderr when it was issued or reissued. */
export async function resolveCaller(engine: Engine, spec: CallerSpec, log: (line: string) => void): Promise<SigningIdentity> {
  const node = engine.orgs.find((n) => n.org.mspId === spec.mspId);
  // options.ts checked --msp-id against --orgs; the engine started exactly those.
  if (!node) throw new Error(`the network has no organisation ${spec.mspId}`);
  const { identity, action } = await node.org.identityToCallAs(spec.identity, spec.attributes);
  if (action !== 'existing') {
    log(
      `[identity] ${action} ${identity.name} of ${identity.mspId} by its CA (${identity.subject}${spec.attributes ? `; attributes ${JSON.stringify(spec.attributes)}` : ''}): ${identity.files?.mspDir ?? ''}`,
    );
  }
  log(`[identity] transactions run as ${identity.name} of ${identity.mspId} (${identity.subject})`);
  return identity;
}

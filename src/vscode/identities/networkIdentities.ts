/**
 * The network's identities as the editor uses them, over the engine's organisations (src/engine/msp:
 * each org's CA issues and keeps them in its crypto folder): list them per org, create one, and find
 * the signing identity a transaction is sent as. No vscode here: unit tests run it on a real engine.
 */
import type { Attributes, IdentityInfo, IdentityRole, Organization, SigningIdentity } from '../../engine/msp';
import { engineBundle, type Engine } from '../engineAssembly';
import { identityRefText, type IdentityRef } from './identityRef';

/** An identity of an org, with the attributes it was created with. */
export interface ListedIdentity extends IdentityInfo {
  /** Its certificate's attributes without the `hf.*` ones Fabric CA sets itself (empty: none). */
  readonly customAttributes: Attributes;
}

export interface OrgIdentities {
  readonly mspId: string;
  readonly domain: string;
  /** The org's crypto folder (`CRYPTO_PATH` for client applications). */
  readonly cryptoPath: string;
  readonly identities: readonly ListedIdentity[];
}

/** What Create Identity asks for. */
export interface NewIdentity {
  readonly mspId: string;
  readonly name: string;
  readonly type: IdentityRole;
  readonly attributes: Attributes;
}

export class UnknownOrganizationError extends Error {
  override readonly name = 'UnknownOrganizationError';
}

/** Every org of the running network with its identities (users/), in the network's order. */
export async function networkIdentities(engine: Engine): Promise<OrgIdentities[]> {
  const { customAttributes } = engineBundle();
  return Promise.all(
    engine.orgs.map(async ({ org }) => ({
      mspId: org.mspId,
      domain: org.domain,
      cryptoPath: org.cryptoPath,
      identities: (await org.listIdentities()).map((info) => ({ ...info, customAttributes: customAttributes(info.attributes) })),
    })),
  );
}

export function organizationOf(engine: Engine, mspId: string): Organization {
  const node = engine.orgs.find((n) => n.org.mspId === mspId);
  if (!node) throw new UnknownOrganizationError(`${mspId} is not one of the network's organisations (${engine.orgs.map((n) => n.org.mspId).join(', ')})`);
  return node.org;
}

/**
 * Issues the identity with its org's CA (Fabric CA's way: NodeOU type, attributes in the certificate),
 * or reissues it when one of that name has another type or other attributes.
 */
export async function createIdentity(engine: Engine, spec: NewIdentity): Promise<{ readonly identity: SigningIdentity; readonly action: 'existing' | 'issued' | 'reissued' }> {
  return organizationOf(engine, spec.mspId).ensureIdentity({ name: spec.name, type: spec.type, attributes: spec.attributes });
}

/**
 * The identity a transaction is signed as: the one on disk as it is (attributes kept), or (first use
 * of a name, as the CLI's `--identity`) a client issued by its org's CA (`issued`).
 */
export async function signingIdentity(engine: Engine, ref: IdentityRef): Promise<{ readonly identity: SigningIdentity; readonly issued: boolean }> {
  try {
    const { identity, action } = await organizationOf(engine, ref.mspId).identityToCallAs(ref.name);
    return { identity, issued: action !== 'existing' };
  } catch (err) {
    if (err instanceof UnknownOrganizationError) throw err;
    throw new Error(`identity ${identityRefText(ref)}: ${(err as Error).message}`, { cause: err });
  }
}

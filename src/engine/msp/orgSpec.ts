/**
 * Which organisations a network has: an MSP id and the domain its crypto folder is named after,
 * as in Fabric's test-network (`Org1MSP` → `org1.example.com`). Parsed from the user's list
 * (`--orgs Org1MSP,Org2MSP,Org3MSP`) with errors that name the offending entry.
 */

export interface OrgSpec {
  /** The MSP id in identities and policies, e.g. `Org1MSP`. */
  readonly mspId: string;
  /** The crypto folder's domain, e.g. `org1.example.com`. */
  readonly domain: string;
  /** The org's name in channel configuration (`/Channel/Application/<name>/…`), e.g. `Org1`. */
  readonly name: string;
}

export class OrgSpecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OrgSpecError';
  }
}

/** What a principal in Fabric's policy language may name (`policydsl`: `[[:alnum:].-]+`). */
const MSP_ID = /^[A-Za-z0-9.-]+$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** `Org3MSP` → `{mspId: 'Org3MSP', name: 'Org3', domain: 'org3.example.com'}`; a domain may be given. */
export function orgSpec(mspId: string, domain?: string): OrgSpec {
  if (!MSP_ID.test(mspId)) {
    throw new OrgSpecError(`invalid MSP id '${mspId}': use letters, digits, '.' and '-' only, so that policies such as OR('${mspId}.member') can name it`);
  }
  const name = mspId.endsWith('MSP') && mspId.length > 3 ? mspId.slice(0, -3) : mspId;
  const dom = domain ?? `${name.toLowerCase()}.example.com`;
  if (!DOMAIN.test(dom)) throw new OrgSpecError(`invalid domain '${dom}' for ${mspId}: expected lowercase DNS labels such as org3.example.com`);
  return { mspId, name, domain: dom };
}

export const DEFAULT_ORGS: readonly OrgSpec[] = [orgSpec('Org1MSP'), orgSpec('Org2MSP')];

/**
 * Parses `Org1MSP,Org2MSP,Org3MSP=org3.acme.com` (comma-separated, an optional `=domain` each).
 * `source` names where the text came from (`--orgs`, a setting) in error messages.
 */
export function parseOrgList(text: string, source = 'the organisation list'): OrgSpec[] {
  const entries = text.split(',').map((e) => e.trim());
  if (entries.every((e) => e === '')) throw new OrgSpecError(`${source} is empty: expected MSP ids such as Org1MSP,Org2MSP`);
  const specs: OrgSpec[] = [];
  entries.forEach((entry, i) => {
    if (entry === '') throw new OrgSpecError(`${source}: entry ${i + 1} is empty in '${text}'`);
    const [mspId, domain, extra] = entry.split('=').map((p) => p.trim());
    if (extra !== undefined) throw new OrgSpecError(`${source}: '${entry}' has more than one '='; expected MSPID or MSPID=domain`);
    let spec: OrgSpec;
    try {
      spec = orgSpec(mspId, domain === undefined || domain === '' ? undefined : domain);
    } catch (err) {
      throw new OrgSpecError(`${source}: ${(err as Error).message}`, { cause: err });
    }
    const clash = specs.find((s) => s.mspId === spec.mspId || s.domain === spec.domain || s.name === spec.name);
    if (clash) throw new OrgSpecError(`${source}: '${entry}' repeats ${clash.mspId} (${clash.domain})`);
    specs.push(spec);
  });
  return specs;
}

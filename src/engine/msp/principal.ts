/**
 * `MSPPrincipal` (`msp/msp_principal.proto`) as data: whom a policy's `signed_by` names. The
 * policy language only writes ROLE principals; the others can arrive in policies built by code.
 */

export type MspRoleName = 'MEMBER' | 'ADMIN' | 'CLIENT' | 'PEER' | 'ORDERER';

/** `MSPRole.MSPRoleType` numbers. */
export const MSP_ROLE_NUMBERS: Readonly<Record<MspRoleName, number>> = { MEMBER: 0, ADMIN: 1, CLIENT: 2, PEER: 3, ORDERER: 4 };

export type MspPrincipal =
  | { readonly kind: 'role'; readonly mspId: string; readonly role: MspRoleName }
  /** A role number outside MSPRoleType: kept so that evaluation fails as Fabric's does. */
  | { readonly kind: 'unknownRole'; readonly mspId: string; readonly role: number }
  /** A specific certificate: the bytes are a serialized `SerializedIdentity`. */
  | { readonly kind: 'identity'; readonly serializedIdentity: Buffer }
  | { readonly kind: 'organizationUnit'; readonly mspId: string; readonly ou: string; readonly certifiersIdentifier: Buffer }
  | { readonly kind: 'anonymity'; readonly anonymityType: number }
  | { readonly kind: 'combined'; readonly principals: readonly MspPrincipal[] }
  /** A classification Fabric does not know, or bytes that do not decode; never satisfied. */
  | { readonly kind: 'unknown'; readonly classification: number; readonly reason?: string };

export function rolePrincipal(mspId: string, role: MspRoleName): MspPrincipal {
  return { kind: 'role', mspId, role };
}

/** `Org1MSP.peer` for display. */
export function principalText(p: MspPrincipal): string {
  switch (p.kind) {
    case 'role':
      return `${p.mspId}.${p.role.toLowerCase()}`;
    case 'unknownRole':
      return `${p.mspId}.<role ${p.role}>`;
    case 'identity':
      return 'a specific identity';
    case 'organizationUnit':
      return `${p.mspId} OU ${p.ou}`;
    case 'anonymity':
      return p.anonymityType === 1 ? 'an anonymous identity' : 'a nominal identity';
    case 'combined':
      return `all of (${p.principals.map(principalText).join(', ')})`;
    case 'unknown':
      return `principal classification ${p.classification}`;
  }
}

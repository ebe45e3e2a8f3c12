/**
 * Organisations, identities and their verification: the public surface the peer, the Gateway, the
 * CLI and the editor import. (`../crypto` holds the primitives; `../policy` what policies say.)
 */
export { DEFAULT_ORGS, orgSpec, parseOrgList, OrgSpecError, type OrgSpec } from './orgSpec';
export { openOrganizations, Organization, UnknownIdentityError, type EnsureAction, type IdentityInfo, type PeerNode, type PeerTls } from './organization';
export { SigningIdentity, IdentityLoadError, IDENTITY_ROLES, type IdentityFiles, type IdentityRole } from './signingIdentity';
export { checkIdentitySpec, parseAttributeAssignment, parseAttributeList, IdentitySpecError, DEFAULT_ATTRIBUTE_NAMES, type IdentitySpec } from './fabricCa';
export { certificateAttributes, encodeAttributes, AttributeError, type Attributes } from './attributes';
export { OrgLayout, peerOrganizationsDir, type NodePaths } from './cryptoLayout';
export { CryptoFolderError } from './cryptoFolder';
export { ChannelMsps } from './channelMsps';
export { Msp, MspError, MspIdentity, type OrganizationalUnit } from './msp';
export type { MspDefinition, NodeOUsDefinition } from './mspDefinition';
export { rolePrincipal, principalText, MSP_ROLE_NUMBERS, type MspPrincipal, type MspRoleName } from './principal';
export { AccessDeniedError, checkCreator, checkNotExpired, checkTxId, computeTxId, IdentityExpiredError, TxIdError } from './creatorChecks';
export { decodeSerializedIdentity, encodeSerializedIdentity, SerializedIdentityError } from './serializedIdentity';
export { goClientIdentityId, goClientIdentityIdText, nodeClientIdentityId } from './clientIdentityId';

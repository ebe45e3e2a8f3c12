/**
 * A chaincode's id as the peer knows it: `name:version`, the value of `CORE_CHAINCODE_ID_NAME` and
 * of the REGISTER message (a Fabric 2.x package id, `label:hash`, has the same shape). The state
 * namespace is the name alone. Light (no imports): the editor and the CLI use it too.
 */
export function chaincodeId(name: string, version: string): string {
  return `${name}:${version}`;
}

/** The name part of `name:version` (the whole id when it has no version). */
export function chaincodeNameOf(ccid: string): string {
  const colon = ccid.indexOf(':');
  return colon >= 0 ? ccid.slice(0, colon) : ccid;
}

/** The version part of `name:version` (or a package id's hash); empty when there is none. */
export function chaincodeVersionOf(ccid: string): string {
  const colon = ccid.indexOf(':');
  return colon >= 0 ? ccid.slice(colon + 1) : '';
}

/** A chaincode id to show: a package ID's 64-hex hash cut to its first 8 digits (`label:1a2b3c4d`), any other id whole. */
export function shortChaincodeId(ccid: string): string {
  const m = /^(.*):([0-9a-f]{64})$/.exec(ccid);
  return m ? `${m[1]}:${m[2].slice(0, 8)}` : ccid;
}

/** Fabric 2.x's version of every system chaincode (core/scc `SysCCVersion`): `qscc:syscc`. */
export const SYSTEM_CHAINCODE_VERSION = 'syscc';

/** One of the peer's own system chaincodes (qscc…): part of the peer, not chaincode the user runs, so views leave it out. */
export function isPeerSystemChaincode(ccid: string): boolean {
  return chaincodeVersionOf(ccid) === SYSTEM_CHAINCODE_VERSION;
}

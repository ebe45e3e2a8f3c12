/** The calling identity: `chaincode.identity` read against the org the peer calls from (`chaincode.mspId`). */
import type { Ctx } from '../ctx';
import { parseIdentityRef, type IdentityRef } from './identityRef';

/** Throws IdentityRefError (naming the setting) when the setting is not `MSPID/NAME` or a name. */
export function currentIdentity(ctx: Ctx): IdentityRef {
  // A running peer keeps the MSP id it started with (a restart-only setting).
  const mspId = ctx.engine.current?.config.mspId ?? ctx.config.engine.mspId;
  return parseIdentityRef(ctx.config.identity, mspId);
}

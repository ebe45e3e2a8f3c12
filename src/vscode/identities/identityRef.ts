/**
 * Which identity calls: `MSPID/NAME` as the `chaincode.identity` setting, the status bar and the
 * "Invoke as…" pick write it (`Org2MSP/alice`), and who called as the Transactions view shows it,
 * from a record's creator. No vscode here.
 */

export interface IdentityRef {
  readonly mspId: string;
  /** The identity's name in its org (`User1`, `Admin`, or one created): its folder `users/<name>@<domain>`. */
  readonly name: string;
}

/** The identity each org's crypto folder starts with (cryptogen's), the editor's caller by default. */
export const DEFAULT_IDENTITY_NAME = 'User1';

export class IdentityRefError extends Error {
  override readonly name = 'IdentityRefError';
}

/**
 * `Org2MSP/alice`, or a bare `alice` in `defaultMspId`'s org; empty: that org's User1. `source`
 * names where the text came from in errors (the setting).
 */
export function parseIdentityRef(text: string | undefined, defaultMspId: string, source = 'chaincode.identity'): IdentityRef {
  const value = (text ?? '').trim();
  if (value === '') return { mspId: defaultMspId, name: DEFAULT_IDENTITY_NAME };
  const parts = value.split('/').map((p) => p.trim());
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new IdentityRefError(`${source} '${value}': expected MSPID/NAME such as Org1MSP/User1, or a name in ${defaultMspId}`);
  }
  return parts.length === 2 ? { mspId: parts[0], name: parts[1] } : { mspId: defaultMspId, name: parts[0] };
}

export function identityRefText(ref: IdentityRef): string {
  return `${ref.mspId}/${ref.name}`;
}

export function sameIdentity(a: IdentityRef, b: IdentityRef): boolean {
  return a.mspId === b.mspId && a.name === b.name;
}

/**
 * The name a subject (`C=US, …, OU=client, CN=User1@org1.example.com`) stands for: its CN, without
 * the `@domain` cryptogen adds (`User1`); a Fabric CA enrolment's CN is the name already.
 */
export function subjectName(subject: string): string {
  const cn = subject
    .split(/,\s*/)
    .reverse()
    .find((part) => part.startsWith('CN='));
  const name = cn ? cn.slice(3) : subject;
  const at = name.lastIndexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}

/** Who called, as rows and documents show it: `Org1MSP/User1`. */
export function callerLabel(creator: { readonly mspId: string; readonly subject: string }): string {
  return identityRefText({ mspId: creator.mspId, name: subjectName(creator.subject) });
}

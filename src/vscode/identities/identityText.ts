/**
 * What Create Identity's prompts accept, checked as the engine checks an identity spec (the rules of
 * src/engine/msp/fabricCa.ts, loaded from the engine bundle): a name, and attributes typed on one
 * line as `KEY=VALUE, KEY2=VALUE2`. No vscode here.
 */
import type { Attributes } from '../../engine/msp';
import { engineBundle } from '../engineAssembly';

/** `role=auditor, dept=audit` → `{role: 'auditor', dept: 'audit'}`; empty text: none. A bad entry or a repeated key throws, naming it. */
export function parseAttributeText(text: string): Attributes {
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return engineBundle().parseAttributeList(entries, 'attribute');
}

/** Why `text` cannot be the attributes of identity `name` (a bad entry, an `hf.*` the CA sets), or undefined when it can. */
export function attributeTextProblem(name: string, text: string): string | undefined {
  try {
    engineBundle().checkIdentitySpec({ name, attributes: parseAttributeText(text) }, 'identity');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Why `name` cannot name an identity, or undefined when it can. */
export function identityNameProblem(name: string): string | undefined {
  try {
    engineBundle().checkIdentitySpec({ name: name.trim() }, 'identity');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

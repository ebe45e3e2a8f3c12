/**
 * The functions a contract-API chaincode offers, from its metadata (the system transaction
 * `org.hyperledger.fabric:GetMetadata` that fabric-contract-api, fabric-contract-api-go and Java's
 * contract router all answer). No vscode here.
 */
export const GET_METADATA = 'org.hyperledger.fabric:GetMetadata';

export interface ContractParameter {
  readonly name: string;
  /** JSON schema type or $ref name, when the metadata says. */
  readonly type?: string;
}

export interface ContractFunction {
  /** What to send as args[0]: `Fn` for the default contract, `Contract:Fn` otherwise. */
  readonly name: string;
  readonly contract: string;
  readonly parameters: readonly ContractParameter[];
  /** submit: changes state (invoke); evaluate: reads only (query). */
  readonly kind: 'submit' | 'evaluate' | 'unknown';
}

interface RawTransaction {
  name?: unknown;
  tag?: unknown;
  tags?: unknown;
  parameters?: unknown;
}

function kindOf(tx: RawTransaction): ContractFunction['kind'] {
  const tags = [tx.tag, tx.tags].flat().filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
  if (tags.some((t) => t.includes('evaluate'))) return 'evaluate';
  if (tags.some((t) => t.includes('submit'))) return 'submit';
  return 'unknown';
}

function parameters(raw: unknown): ContractParameter[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p: { name?: unknown; schema?: { type?: unknown; $ref?: unknown } }) => {
    if (typeof p?.name !== 'string') return [];
    const t = p.schema?.type ?? (typeof p.schema?.$ref === 'string' ? p.schema.$ref.split('/').pop() : undefined);
    return [{ name: p.name, ...(typeof t === 'string' ? { type: t } : {}) }];
  });
}

/** Parses GetMetadata's payload; throws when it is not contract metadata. */
export function functionsFromMetadata(payload: string): ContractFunction[] {
  const meta = JSON.parse(payload) as { contracts?: Record<string, { name?: string; contractInstance?: { default?: boolean }; transactions?: RawTransaction[] }> };
  if (!meta || typeof meta.contracts !== 'object' || meta.contracts === null) throw new Error('not contract metadata (no "contracts")');
  const contracts = Object.entries(meta.contracts).filter(([name]) => !name.startsWith('org.hyperledger.fabric'));
  // The first contract is the default one unless one says it is.
  const defaultName = contracts.find(([, c]) => c.contractInstance?.default)?.[0] ?? contracts[0]?.[0];
  const out: ContractFunction[] = [];
  for (const [key, c] of contracts) {
    const contract = c.name ?? key;
    for (const tx of c.transactions ?? []) {
      if (typeof tx.name !== 'string') continue;
      out.push({ name: key === defaultName ? tx.name : `${contract}:${tx.name}`, contract, parameters: parameters(tx.parameters), kind: kindOf(tx) });
    }
  }
  return out;
}

/** Arguments typed as a person would: a JSON array of strings, or words separated by spaces. */
export function parseArgs(text: string): string[] {
  const t = text.trim();
  if (t === '') return [];
  if (t.startsWith('[')) {
    const parsed = JSON.parse(t) as unknown;
    if (!Array.isArray(parsed)) throw new Error('arguments: expected a JSON array');
    return parsed.map((a) => (typeof a === 'string' ? a : JSON.stringify(a)));
  }
  return [...t.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? m[3])));
}

/** Transient data typed as a JSON object of strings (values that are not strings are serialised). */
export function parseTransient(text: string): Record<string, string> | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const parsed = JSON.parse(t) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('transient data: expected a JSON object');
  return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * The functions a contract-API chaincode offers, from its metadata (the system transaction
 * `org.hyperledger.fabric:GetMetadata` that fabric-contract-api, fabric-contract-api-go and Java's
 * contract router all answer). No vscode here.
 */
import { parseTransientMap } from '../../engine/transactions/transientMap';

export const GET_METADATA = 'org.hyperledger.fabric:GetMetadata';

/** What the metadata says a parameter's value is (the JSON schema keywords the contract APIs use). */
export interface ParameterSchema {
  /** `string`, `number`, `integer`, `boolean`, `object`, `array`; absent for a `$ref`. */
  readonly type?: string;
  /** The component schema a `$ref` names (a JSON object, e.g. an asset). */
  readonly ref?: string;
  /** e.g. Go's and Java's `int32`, `uint64`, `double`. */
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly unknown[];
}

export interface ContractParameter {
  readonly name: string;
  /** JSON schema type or $ref name, when the metadata says. */
  readonly type?: string;
  readonly schema: ParameterSchema;
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
  const tags = [tx.tag, tx.tags]
    .flat()
    .filter((t): t is string => typeof t === 'string')
    .map((t) => t.toLowerCase());
  if (tags.some((t) => t.includes('evaluate'))) return 'evaluate';
  if (tags.some((t) => t.includes('submit'))) return 'submit';
  return 'unknown';
}

interface RawSchema {
  type?: unknown;
  $ref?: unknown;
  format?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  enum?: unknown;
}

function schemaOf(raw: RawSchema | undefined): ParameterSchema {
  const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const ref = typeof raw?.$ref === 'string' ? raw.$ref.split('/').pop() : undefined;
  return {
    ...(typeof raw?.type === 'string' ? { type: raw.type } : {}),
    ...(ref ? { ref } : {}),
    ...(typeof raw?.format === 'string' ? { format: raw.format } : {}),
    ...(num(raw?.minimum) !== undefined ? { minimum: num(raw?.minimum) } : {}),
    ...(num(raw?.maximum) !== undefined ? { maximum: num(raw?.maximum) } : {}),
    ...(Array.isArray(raw?.enum) ? { enum: raw.enum as unknown[] } : {}),
  };
}

function parameters(raw: unknown): ContractParameter[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p: { name?: unknown; schema?: RawSchema }) => {
    if (typeof p?.name !== 'string') return [];
    const schema = schemaOf(p.schema);
    const t = schema.type ?? schema.ref;
    return [{ name: p.name, ...(t ? { type: t } : {}), schema }];
  });
}

const UNSIGNED = /^uint/i;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * What is wrong with `text` as the value of parameter `p`, naming the parameter; undefined when it
 * is fine. Mirrors how the contract APIs read an argument: a string as is, a number as `Number(text)`
 * (fabric-contract-api's JSONSerializer), an integer in decimal (Go's strconv, Java's parseInt), a
 * boolean as true/false, objects and arrays as JSON.
 */
export function argumentProblem(p: ContractParameter, text: string): string | undefined {
  const { schema } = p;
  const quoted = JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);
  const t = text.trim();
  let value: unknown = text;
  if (schema.ref || schema.type === 'object' || schema.type === 'array') {
    const parsed = parseJson(t);
    const isArray = parsed.ok && Array.isArray(parsed.value);
    const isObject = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && !isArray;
    if (schema.type === 'array' && !isArray) return `${p.name}: a JSON array is expected, e.g. ["a","b"]; ${quoted} is not one`;
    if (schema.type !== 'array' && !isObject) return `${p.name}: a JSON object${schema.ref ? ` (${schema.ref})` : ''} is expected, e.g. {"ID":"a1"}; ${quoted} is not one`;
    return undefined;
  }
  if (schema.type === 'boolean') {
    if (!/^(true|false)$/i.test(t)) return `${p.name}: true or false is expected, not ${quoted}`;
    value = t.toLowerCase() === 'true';
  } else if (schema.type === 'integer' || (schema.type === 'number' && /^u?int/i.test(schema.format ?? ''))) {
    if (!/^[-+]?\d+$/.test(t)) return `${p.name}: a whole number is expected, not ${quoted}`;
    value = Number(t);
    if (UNSIGNED.test(schema.format ?? '') && (value as number) < 0) return `${p.name}: a number of 0 or more is expected, not ${quoted}`;
  } else if (schema.type === 'number') {
    if (t === '' || !Number.isFinite(Number(t))) return `${p.name}: a number is expected, not ${quoted}`;
    value = Number(t);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) return `${p.name}: at least ${schema.minimum} is expected, not ${quoted}`;
    if (schema.maximum !== undefined && value > schema.maximum) return `${p.name}: at most ${schema.maximum} is expected, not ${quoted}`;
  }
  if (schema.enum && !schema.enum.some((e) => e === value || String(e) === text)) {
    return `${p.name}: one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')} is expected, not ${quoted}`;
  }
  return undefined;
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

/**
 * Transient data typed as a JSON object, read as the CLI's `--transient` reads it (strings as UTF-8,
 * `base64:` as the bytes, other values as their JSON text); empty: none. Errors never quote the text.
 */
export function parseTransient(text: string): Record<string, Buffer> | undefined {
  const t = text.trim();
  return t === '' ? undefined : parseTransientMap(t, 'transient data');
}

/**
 * Compiles a Mango `selector` into a predicate, following CouchDB's mango_selector semantics:
 * fields not holding an operator object are implicit `$eq`; nested objects are sub-field
 * selectors; a condition on a missing field is false except `$exists: false`; combinators
 * ($and/$or/$nor/$not) may appear at the top or under a field.
 */
import { collate, getField, isObject, jsonType, parseFieldPath, type Json } from './mangoCollation';

export type Predicate = (doc: Json) => boolean;

export class MangoQueryError extends Error {
  constructor(detail: string) {
    super(`invalid query: ${detail}`);
    this.name = 'MangoQueryError';
  }
}

export interface CompiledSelector {
  readonly matches: Predicate;
  /** Whether some condition reads `_id` (the key), so callers add it to the document. */
  readonly usesId: boolean;
}

export function compileSelector(selector: Json): CompiledSelector {
  const ctx = { usesId: false };
  const matches = compileObject(selector, [], ctx, 'selector');
  return { matches, usesId: ctx.usesId };
}

interface Context {
  usesId: boolean;
}

function compileObject(sel: Json, path: readonly string[], ctx: Context, where: string): Predicate {
  if (!isObject(sel)) throw new MangoQueryError(`${where} must be a JSON object`);
  const parts: Predicate[] = [];
  for (const [name, arg] of Object.entries(sel)) {
    if (name.startsWith('$')) {
      parts.push(compileOperator(name, arg, path, ctx));
      continue;
    }
    const sub = [...path, ...parseFieldPath(name)];
    if (path.length === 0 && sub[0] === '_id') ctx.usesId = true;
    if (isObject(arg) && Object.keys(arg).length > 0) parts.push(compileObject(arg, sub, ctx, `field "${sub.join('.')}"`));
    else parts.push(fieldCondition(sub, (v) => collate(v, arg) === 0));
  }
  return allOf(parts);
}

function compileOperator(op: string, arg: Json, path: readonly string[], ctx: Context): Predicate {
  switch (op) {
    case '$and':
      return allOf(subSelectors(op, arg, path, ctx));
    case '$or':
      return anyOf(subSelectors(op, arg, path, ctx));
    case '$nor': {
      const any = anyOf(subSelectors(op, arg, path, ctx));
      return (doc) => !any(doc);
    }
    case '$not': {
      const inner = compileObject(arg, path, ctx, '$not argument');
      return (doc) => !inner(doc);
    }
    case '$exists': {
      if (typeof arg !== 'boolean') throw new MangoQueryError('$exists needs true or false');
      return (doc) => (getField(doc, path) !== undefined) === arg;
    }
    default:
      return fieldCondition(path, valueTest(op, arg));
  }
}

/** Tests on the value of a present field (a missing field fails them all). */
function valueTest(op: string, arg: Json): (v: Json) => boolean {
  switch (op) {
    case '$eq':
      return (v) => collate(v, arg) === 0;
    case '$ne':
      return (v) => collate(v, arg) !== 0;
    case '$gt':
      return (v) => collate(v, arg) > 0;
    case '$gte':
      return (v) => collate(v, arg) >= 0;
    case '$lt':
      return (v) => collate(v, arg) < 0;
    case '$lte':
      return (v) => collate(v, arg) <= 0;
    case '$in': {
      const args = arrayArg(op, arg);
      const isIn = (v: Json): boolean => args.some((a) => collate(v, a) === 0);
      // CouchDB: an array field is "in" when any of its elements is.
      return (v) => (Array.isArray(v) ? v.some(isIn) : isIn(v));
    }
    case '$nin': {
      const args = arrayArg(op, arg);
      const isIn = (v: Json): boolean => args.some((a) => collate(v, a) === 0);
      return (v) => !(Array.isArray(v) ? v.some(isIn) : isIn(v));
    }
    case '$all': {
      const args = arrayArg(op, arg);
      return (v) =>
        Array.isArray(v) && args.length > 0 && (collate(v, args) === 0 || args.every((a) => v.some((e) => collate(e, a) === 0)));
    }
    case '$size': {
      if (!Number.isInteger(arg) || (arg as number) < 0) throw new MangoQueryError('$size needs a non-negative integer');
      return (v) => Array.isArray(v) && v.length === arg;
    }
    case '$mod': {
      const [divisor, remainder] = Array.isArray(arg) ? arg : [];
      if (!Number.isInteger(divisor) || divisor === 0 || !Number.isInteger(remainder) || (arg as Json[]).length !== 2) {
        throw new MangoQueryError('$mod needs [divisor, remainder], integers with a non-zero divisor');
      }
      return (v) => Number.isInteger(v) && (v as number) % (divisor as number) === remainder;
    }
    case '$regex': {
      if (typeof arg !== 'string') throw new MangoQueryError('$regex needs a string');
      let re: RegExp;
      try {
        re = pcreToRegExp(arg);
      } catch (err) {
        throw new MangoQueryError(`bad $regex ${JSON.stringify(arg)}: ${(err as Error).message}`);
      }
      return (v) => typeof v === 'string' && re.test(v);
    }
    case '$beginsWith': {
      if (typeof arg !== 'string') throw new MangoQueryError('$beginsWith needs a string');
      return (v) => typeof v === 'string' && v.startsWith(arg);
    }
    case '$type': {
      const types = ['null', 'boolean', 'number', 'string', 'array', 'object'];
      if (typeof arg !== 'string' || !types.includes(arg)) throw new MangoQueryError(`$type needs one of ${types.join(', ')}`);
      return (v) => jsonType(v) === arg;
    }
    case '$elemMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$elemMatch argument');
      return (v) => Array.isArray(v) && v.some(inner);
    }
    case '$allMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$allMatch argument');
      return (v) => Array.isArray(v) && v.length > 0 && v.every(inner);
    }
    case '$keyMapMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$keyMapMatch argument');
      return (v) => isObject(v) && Object.keys(v).some(inner);
    }
    default:
      throw new MangoQueryError(`unknown operator ${op}`);
  }
}

/** CouchDB uses PCRE; JS RegExp is close, except that PCRE's leading inline flags such as `(?i)` become flags. */
function pcreToRegExp(pattern: string): RegExp {
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  return inline ? new RegExp(pattern.slice(inline[0].length), inline[1]) : new RegExp(pattern);
}

function fieldCondition(path: readonly string[], test: (v: Json) => boolean): Predicate {
  return (doc) => {
    const v = getField(doc, path);
    return v !== undefined && test(v);
  };
}

function subSelectors(op: string, arg: Json, path: readonly string[], ctx: Context): Predicate[] {
  return arrayArg(op, arg).map((s, i) => compileObject(s, path, ctx, `${op}[${i}]`));
}

function arrayArg(op: string, arg: Json): Json[] {
  if (!Array.isArray(arg)) throw new MangoQueryError(`${op} needs an array`);
  return arg;
}

function allOf(parts: Predicate[]): Predicate {
  if (parts.length === 1) return parts[0];
  return (doc) => parts.every((p) => p(doc));
}

function anyOf(parts: Predicate[]): Predicate {
  return (doc) => parts.some((p) => p(doc));
}

/**
 * Compiles a Mango `selector` into a predicate with CouchDB's semantics (mango_selector.erl):
 * fields not holding an operator object are implicit `$eq`; nested objects are sub-field
 * selectors; combinators ($and/$or/$nor/$not) may appear at the top or under a field.
 *
 * Negation is CouchDB's, not boolean complement: CouchDB pushes `$not` and `$nor` down to the
 * field conditions (norm_negations/negate: `$lt` becomes `$gte`, `$exists: true` becomes
 * `$exists: false`, other operators get wrapped), and a condition on a field that is not there is
 * false whatever its polarity, except `$exists: false`. So `{"$not": {"a": 1}}` does not match a
 * document without `a`. We compile with the polarity instead of rewriting the selector.
 */
import { collate, collateRaw, isObject, jsonType, lookupField, parseFieldPath, type Json } from './mangoCollation';

export type Predicate = (doc: Json) => boolean;

export class MangoQueryError extends Error {
  constructor(detail: string, options?: ErrorOptions) {
    super(`invalid query: ${detail}`, options);
    this.name = 'MangoQueryError';
  }
}

export interface CompiledSelector {
  readonly matches: Predicate;
  /** Whether some condition reads `_id` (the key), so callers add it to the document. */
  readonly usesId: boolean;
}

const COMBINATORS = new Set(['$and', '$or', '$nor', '$not']);

export function compileSelector(selector: Json): CompiledSelector {
  const ctx = { usesId: false };
  if (isObject(selector)) {
    // mango_selector:normalize/1 refuses a condition left without a field at the top.
    const op = Object.keys(selector).find((k) => k.startsWith('$') && !COMBINATORS.has(k));
    if (op) throw new MangoQueryError(`One or more conditions is missing a field name. (${op} at the top of the selector)`);
  }
  const matches = compileObject(selector, [], ctx, 'selector', false);
  return { matches, usesId: ctx.usesId };
}

interface Context {
  usesId: boolean;
}

type Compare = (a: Json, b: Json) => number;

/** An object is the conjunction of its entries; negated, it is the disjunction of their negations. */
function compileObject(sel: Json, path: readonly string[], ctx: Context, where: string, negated: boolean): Predicate {
  if (!isObject(sel)) throw new MangoQueryError(`${where} must be a JSON object`);
  const parts: Predicate[] = [];
  for (const [name, arg] of Object.entries(sel)) {
    if (name.startsWith('$')) {
      parts.push(compileOperator(name, arg, path, ctx, negated));
      continue;
    }
    const sub = [...path, ...parseFieldPath(name)];
    if (path.length === 0 && sub[0] === '_id') ctx.usesId = true;
    if (isObject(arg) && Object.keys(arg).length > 0) parts.push(compileObject(arg, sub, ctx, `field "${sub.join('.')}"`, negated));
    else parts.push(fieldCondition(sub, '$eq', arg, negated));
  }
  return negated ? anyOf(parts) : allOf(parts);
}

function compileOperator(op: string, arg: Json, path: readonly string[], ctx: Context, negated: boolean): Predicate {
  switch (op) {
    case '$and': {
      const subs = subSelectors(op, arg, path, ctx, negated);
      return negated ? anyOf(subs) : allOf(subs);
    }
    case '$or': {
      const subs = subSelectors(op, arg, path, ctx, negated);
      return negated ? allOf(subs) : anyOf(subs);
    }
    case '$nor': {
      // CouchDB: {"$nor": [A, B]} is {"$and": [{"$not": A}, {"$not": B}]}.
      const subs = subSelectors(op, arg, path, ctx, !negated);
      return negated ? anyOf(subs) : allOf(subs);
    }
    case '$not':
      return compileObject(arg, path, ctx, '$not argument', !negated);
    case '$exists': {
      if (typeof arg !== 'boolean') throw new MangoQueryError('$exists needs true or false');
      const shouldExist = arg !== negated;
      return (doc) => {
        const found = lookupField(doc, path);
        return found.kind === 'value' ? shouldExist : found.kind === 'missing' && !shouldExist;
      };
    }
    default:
      return fieldCondition(path, op, arg, negated);
  }
}

/**
 * A condition on the value at `path`: false when there is no value, whatever the polarity.
 * CouchDB compares `_id` in raw order (mango_selector:match/3 passes mango_json:cmp_raw/2 for it).
 */
function fieldCondition(path: readonly string[], op: string, arg: Json, negated: boolean): Predicate {
  const compare = path.length === 1 && path[0] === '_id' ? collateRaw : collate;
  const test = valueTest(op, arg, compare);
  return (doc) => {
    const found = lookupField(doc, path);
    return found.kind === 'value' && test(found.value) !== negated;
  };
}

/** Tests on the value of a present field. */
function valueTest(op: string, arg: Json, compare: Compare): (v: Json) => boolean {
  switch (op) {
    case '$eq':
      return (v) => compare(v, arg) === 0;
    case '$ne':
      return (v) => compare(v, arg) !== 0;
    case '$gt':
      return (v) => compare(v, arg) > 0;
    case '$gte':
      return (v) => compare(v, arg) >= 0;
    case '$lt':
      return (v) => compare(v, arg) < 0;
    case '$lte':
      return (v) => compare(v, arg) <= 0;
    case '$in':
      return membership(op, arg, compare);
    case '$nin': {
      const isIn = membership(op, arg, compare);
      return (v) => !isIn(v);
    }
    case '$all': {
      const args = arrayArg(op, arg);
      // CouchDB: every argument is an element, or the only argument is an array equal to the value.
      const whole = args.length === 1 && Array.isArray(args[0]) ? args[0] : undefined;
      return (v) => Array.isArray(v) && args.length > 0 && (args.every((a) => v.some((e) => compare(e, a) === 0)) || (whole !== undefined && compare(v, whole) === 0));
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
        throw new MangoQueryError(`bad $regex ${JSON.stringify(arg)}: ${(err as Error).message}`, { cause: err });
      }
      return (v) => typeof v === 'string' && re.test(v);
    }
    case '$beginsWith': {
      if (typeof arg !== 'string') throw new MangoQueryError('$beginsWith needs a string');
      return (v) => typeof v === 'string' && v.startsWith(arg);
    }
    case '$type': {
      // CouchDB takes any string here; one that names no JSON type matches nothing.
      if (typeof arg !== 'string') throw new MangoQueryError('$type needs a string: null, boolean, number, string, array or object');
      return (v) => jsonType(v) === arg;
    }
    case '$elemMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$elemMatch argument', false);
      return (v) => Array.isArray(v) && v.some(inner);
    }
    case '$allMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$allMatch argument', false);
      return (v) => Array.isArray(v) && v.length > 0 && v.every(inner);
    }
    case '$keyMapMatch': {
      const inner = compileObject(arg, [], { usesId: false }, '$keyMapMatch argument', false);
      return (v) => isObject(v) && Object.keys(v).some(inner);
    }
    default:
      throw new MangoQueryError(`unknown operator ${op}`);
  }
}

/** `$in`: the value, or for an array value any of its elements, equals one of the arguments. */
function membership(op: string, arg: Json, compare: Compare): (v: Json) => boolean {
  const args = arrayArg(op, arg);
  const isIn = (v: Json): boolean => args.some((a) => compare(v, a) === 0);
  return (v) => (Array.isArray(v) ? v.some(isIn) : isIn(v));
}

/** CouchDB uses PCRE; JS RegExp is close, except that PCRE's leading inline flags such as `(?i)` become flags. */
function pcreToRegExp(pattern: string): RegExp {
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  return inline ? new RegExp(pattern.slice(inline[0].length), inline[1]) : new RegExp(pattern);
}

/** The operands of $and/$or/$nor; CouchDB's norm_ops makes an operand that is not an object an `$eq`. */
function subSelectors(op: string, arg: Json, path: readonly string[], ctx: Context, negated: boolean): Predicate[] {
  return arrayArg(op, arg).map((s, i) => (isObject(s) ? compileObject(s, path, ctx, `${op}[${i}]`, negated) : fieldCondition(path, '$eq', s, negated)));
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
  if (parts.length === 1) return parts[0];
  return (doc) => parts.some((p) => p(doc));
}

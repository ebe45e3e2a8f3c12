/**
 * Fabric's signature policy language (`common/policydsl/policyparser.go` `FromString`):
 * `AND('Org1MSP.peer','Org2MSP.peer')`, `OR(…)`, `OutOf(n, …)`, nested freely, principals
 * `'<MSP id>.<admin|member|client|peer|orderer>'` in single or double quotes.
 *
 * Accepted exactly as Fabric 2.5 accepts it (gate spellings AND/And/and, OR/Or/or,
 * OutOf/OUTOF/outof; `n` a number or a numeric string, truncated to an integer; 0 ≤ n ≤ count+1;
 * at least one principal or gate per OutOf), and producing byte-identical envelopes: principals
 * are numbered as Fabric numbers them, the innermost gates first, not de-duplicated.
 * Errors name the line, column and token in the text as written (Fabric's own point into an
 * intermediate rewrite of it); Fabric's wording is kept where it is about the policy itself
 * (`expected at least two arguments to NOutOf. Given %d`, `invalid t-out-of-n predicate, t %d, n %d`).
 */
import { rolePrincipal, type MspPrincipal, type MspRoleName } from '../msp/principal';
import { nOutOf, signedBy, type SignaturePolicyEnvelope, type SignaturePolicyRule } from './signaturePolicy';

export class PolicyParseError extends Error {
  constructor(
    /** The whole policy text. */
    readonly policy: string,
    /** Where the problem is (0-based offset into `policy`). */
    readonly offset: number,
    /** What is wrong, without the location. */
    readonly reason: string,
    /** Where the text came from, e.g. `--endorsement-policy` or `collections_config.json:4:15`. */
    readonly source?: string,
  ) {
    const { line, column } = lineColumn(policy, offset);
    const where = policy.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
    super(`invalid signature policy${source ? ` in ${source}` : ''} ${JSON.stringify(policy)}: ${reason} (${where})`);
    this.name = 'PolicyParseError';
  }
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const GATES: Readonly<Record<string, 'and' | 'or' | 'outof'>> = {
  AND: 'and',
  And: 'and',
  and: 'and',
  OR: 'or',
  Or: 'or',
  or: 'or',
  OutOf: 'outof',
  OUTOF: 'outof',
  outof: 'outof',
};
const PRINCIPAL = /^([A-Za-z0-9.-]+)[.](admin|member|client|peer|orderer)$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

type Token = { kind: 'name' | 'string' | 'number'; text: string; at: number } | { kind: '(' | ')' | ','; text: string; at: number } | { kind: 'end'; text: ''; at: number };

function tokenize(text: string, fail: (at: number, reason: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, at: i++ });
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end === -1) fail(i, `the string starting here has no closing ${c}`);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
    } else {
      const m = /^(-?\d+(\.\d+)?|[A-Za-z_][A-Za-z0-9_.]*)/.exec(text.slice(i));
      if (!m) fail(i, `unexpected character '${c}'`);
      tokens.push({ kind: /^-?\d/.test(m[0]) ? 'number' : 'name', text: m[0], at: i });
      i += m[0].length;
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

/** A parsed gate before principals are numbered. */
interface Gate {
  readonly n: number | null; // null: AND (count of args)
  readonly args: readonly (Gate | { readonly principal: MspPrincipal })[];
}

/** Parses a policy into its envelope; throws PolicyParseError. `source` names the flag or file for errors. */
export function parsePolicy(text: string, source?: string): SignaturePolicyEnvelope {
  const fail: (at: number, reason: string) => never = (at, reason) => {
    throw new PolicyParseError(text, at, reason, source);
  };
  const tokens = tokenize(text, fail);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const show = (t: Token): string => (t.kind === 'end' ? 'the end of the policy' : t.kind === 'string' ? `'${t.text}'` : `'${t.text}'`);

  const gate = (): Gate => {
    const name = tokens[pos++];
    const kind = GATES[name.text];
    if (name.kind !== 'name' || !kind) {
      if (name.kind === 'end') fail(name.at, "the policy is empty: expected a gate such as OR('Org1MSP.member')");
      if (name.kind === 'string') fail(name.at, `a policy must start with a gate: write OR(${show(name)}) for a single principal`);
      fail(name.at, `expected a gate (AND, OR or OutOf), found ${show(name)}`);
    }
    if (peek().kind !== '(') fail(peek().at, `expected '(' after ${name.text}, found ${show(peek())}`);
    pos++;
    const raw: Token[] = [];
    const children: (Gate | null)[] = [];
    while (peek().kind !== ')') {
      const t = peek();
      if (t.kind === 'name' && GATES[t.text] && tokens[pos + 1]?.kind === '(') {
        raw.push(t);
        children.push(gate());
      } else if (t.kind === 'string' || t.kind === 'number') {
        raw.push(t);
        children.push(null);
        pos++;
      } else if (t.kind === 'name') {
        fail(
          t.at,
          PRINCIPAL.test(t.text)
            ? `principal ${t.text} must be quoted: '${t.text}'`
            : `unknown name ${t.text}: expected a quoted principal such as 'Org1MSP.member', or AND, OR, OutOf`,
        );
      } else {
        fail(t.at, `expected a principal or a gate, found ${show(t)}`);
      }
      const sep = peek();
      if (sep.kind === ',') {
        pos++;
        if (peek().kind === ')') fail(peek().at, `expected a principal or a gate after ',', found ')'`);
      } else if (sep.kind !== ')') {
        fail(sep.at, `expected ',' or ')', found ${show(sep)}`);
      }
    }
    pos++; // ')'
    let first = 0;
    let n: number | null = kind === 'or' ? 1 : null;
    if (kind === 'outof') {
      const t = raw[0];
      if (!t || children[0] || !(t.kind === 'number' || NUMBER.test(t.text))) {
        if (raw.length < 2) fail(name.at, `expected at least two arguments to NOutOf. Given ${raw.length}`);
        fail(t.at, `the first argument of OutOf must be a number, found ${show(t)}`);
      }
      n = Math.trunc(Number(t.text));
      first = 1;
    }
    const count = raw.length - first;
    if (count + 1 < 2) fail(name.at, `expected at least two arguments to NOutOf. Given ${count + 1}`);
    const t = n ?? count;
    if (t < 0 || t > count + 1) fail(name.at, `invalid t-out-of-n predicate, t ${t}, n ${count}`);
    const args = raw.slice(first).map((tok, i) => {
      const child = children[i + first];
      if (child) return child;
      const m = tok.kind === 'string' ? PRINCIPAL.exec(tok.text) : null;
      if (!m) {
        if (tok.kind === 'number' || NUMBER.test(tok.text)) fail(tok.at, `expected a principal or a gate, found the number ${tok.text}`);
        fail(
          tok.at,
          `principal ${show(tok)} is not <MSP id>.<role>: the MSP id may hold letters, digits, '.' and '-', the role is admin, member, client, peer or orderer (lowercase)`,
        );
      }
      return { principal: rolePrincipal(m[1], m[2].toUpperCase() as MspRoleName) };
    });
    return { n: t, args };
  };

  const top = gate();
  if (peek().kind !== 'end') fail(peek().at, `unexpected ${show(peek())} after the policy`);
  return number(top);
}

/** Numbers principals as Fabric does: a gate's nested gates first (left to right), then its own principals. */
function number(top: Gate): SignaturePolicyEnvelope {
  const identities: MspPrincipal[] = [];
  const build = (g: Gate): SignaturePolicyRule => {
    const nested = new Map<number, SignaturePolicyRule>();
    g.args.forEach((a, i) => {
      if (!('principal' in a)) nested.set(i, build(a));
    });
    const rules = g.args.map((a, i) => {
      if (!('principal' in a)) return nested.get(i) as SignaturePolicyRule;
      identities.push(a.principal);
      return signedBy(identities.length - 1);
    });
    return nOutOf(g.n ?? rules.length, rules);
  };
  const rule = build(top);
  return { version: 0, rule, identities };
}

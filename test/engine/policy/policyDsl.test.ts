/**
 * Fabric's signature policy language (common/policydsl/policyparser.go): byte-identical envelopes for the
 * tested examples, Fabric's principal numbering (innermost gates first), the gate spellings and
 * `n` forms Fabric 2.5 accepts, and errors that name the token and its column.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parsePolicy, PolicyParseError } from '../../../src/engine/policy/policyDsl';
import { decodeSignaturePolicyEnvelope, encodeSignaturePolicyEnvelope, nOutOf, signedBy, type SignaturePolicyEnvelope } from '../../../src/engine/policy/signaturePolicy';
import { principalText } from '../../../src/engine/msp/principal';

const hex = (policy: string): string => encodeSignaturePolicyEnvelope(parsePolicy(policy)).toString('hex');
const principals = (env: SignaturePolicyEnvelope): string[] => env.identities.map(principalText);

describe('policy language', () => {
  test("envelopes tested against Fabric's policydsl, byte for byte", () => {
    assert.equal(hex("AND('Org1MSP.member','Org2MSP.member')"), '120c120a080212020800120208011a0b12090a074f7267314d53501a0b12090a074f7267324d5350');
    assert.equal(hex("OR('Org1MSP.peer','Org2MSP.peer')"), '120c120a080112020800120208011a0d120b0a074f7267314d535010031a0d120b0a074f7267324d53501003');
    assert.equal(hex("OR('Org1MSP.member')"), '120812060801120208001a0b12090a074f7267314d5350');
  });

  test('principals are numbered innermost gates first, left to right, never de-duplicated', () => {
    const env = parsePolicy("AND('A.member', OR('B.peer','C.peer'))");
    assert.deepEqual(principals(env), ['B.peer', 'C.peer', 'A.member']);
    assert.deepEqual(env.rule, nOutOf(2, [signedBy(2), nOutOf(1, [signedBy(0), signedBy(1)])]));
    const deep = parsePolicy("OutOf(2, OR('a.member','b.member'), 'c.member', AND('d.member', OR('e.member')), 'c.member')");
    assert.deepEqual(principals(deep), ['a.member', 'b.member', 'e.member', 'd.member', 'c.member', 'c.member']);
    assert.deepEqual(deep.rule, nOutOf(2, [nOutOf(1, [signedBy(0), signedBy(1)]), signedBy(4), nOutOf(2, [signedBy(3), nOutOf(1, [signedBy(2)])]), signedBy(5)]));
  });

  test('gate spellings, quotes, roles, MSP ids with dots and dashes, whitespace and newlines', () => {
    const base = hex("AND('Org1MSP.member','Org2MSP.member')");
    for (const p of [
      'And("Org1MSP.member", "Org2MSP.member")',
      "and('Org1MSP.member','Org2MSP.member')",
      "OutOf(2,'Org1MSP.member','Org2MSP.member')",
      "OUTOF('2', 'Org1MSP.member', 'Org2MSP.member')",
      " outof ( 2 ,\n 'Org1MSP.member',\t'Org2MSP.member' ) ",
    ]) {
      assert.equal(hex(p), base, p);
    }
    assert.equal(hex("Or('Org1MSP.member')"), hex("OR('Org1MSP.member')"));
    const roles = parsePolicy("OR('a.b.c.admin','x-y.client','M.peer','M.orderer','M.member')");
    assert.deepEqual(principals(roles), ['a.b.c.admin', 'x-y.client', 'M.peer', 'M.orderer', 'M.member']);
    assert.deepEqual(parsePolicy("OutOf(1.9, 'A.member', 'B.member')").rule, nOutOf(1, [signedBy(0), signedBy(1)]), 'n is truncated like Go int(float64)');
    assert.deepEqual(parsePolicy("OutOf(3, 'A.member', 'B.member')").rule, nOutOf(3, [signedBy(0), signedBy(1)]), 'n = count+1 parses (and can never be satisfied)');
    assert.deepEqual(parsePolicy("OutOf(0, 'A.member')").rule, nOutOf(0, [signedBy(0)]));
  });

  test('envelopes decode back to the same value', () => {
    const env = parsePolicy("OutOf(2, 'A.peer', AND('B.admin', OR('C.client', 'D.orderer')), 'E.member')");
    assert.deepEqual(decodeSignaturePolicyEnvelope(encodeSignaturePolicyEnvelope(env)), env);
  });

  test('random well-formed policies round-trip through bytes and are numbered consistently', () => {
    const principal = fc.tuple(fc.constantFrom('Org1MSP', 'Org2MSP', 'a.b-c'), fc.constantFrom('admin', 'member', 'client', 'peer', 'orderer')).map(([m, r]) => `'${m}.${r}'`);
    const policy = fc.letrec<{ gate: string; arg: string }>((tie) => ({
      arg: fc.oneof({ depthSize: 'small', withCrossShrink: true }, principal, tie('gate')),
      gate: fc
        .tuple(fc.constantFrom('AND', 'OR', 'OutOf'), fc.array(tie('arg'), { minLength: 1, maxLength: 4 }))
        .map(([g, args]) => (g === 'OutOf' ? `OutOf(${args.length}, ${args.join(', ')})` : `${g}(${args.join(',')})`)),
    })).gate;
    fc.assert(
      fc.property(policy, (text) => {
        const env = parsePolicy(text);
        assert.deepEqual(decodeSignaturePolicyEnvelope(encodeSignaturePolicyEnvelope(env)), env);
        assert.equal(env.identities.length, (text.match(/'/g) ?? []).length / 2, 'one principal per quoted string');
      }),
      { numRuns: 300, seed: 0x90115 },
    );
  });
});

describe('policy errors name the token and column', () => {
  const err = (policy: string): PolicyParseError => {
    try {
      parsePolicy(policy, '--endorsement-policy');
    } catch (e) {
      assert.ok(e instanceof PolicyParseError, String(e));
      return e;
    }
    return assert.fail(`${policy} parsed`);
  };

  test('inputs policydsl refuses, with its errors', () => {
    assert.equal(err("AND(Org1MSP.member,'Org2MSP.member')").reason, "principal Org1MSP.member must be quoted: 'Org1MSP.member'");
    assert.equal(err("AND(Org1MSP.member,'Org2MSP.member')").offset, 4);
    assert.match(err("OR('Org1MSP.Member')").reason, /^principal 'Org1MSP.Member' is not <MSP id>.<role>: .*\(lowercase\)$/);
    assert.match(err("OR('Org1_MSP.member')").reason, /MSP id may hold letters, digits, '.' and '-'/);
    assert.equal(err("OR('a.member' 'b.member')").reason, "expected ',' or ')', found 'b.member'");
    assert.equal(err("OR('a.member' 'b.member')").offset, 14);
    assert.equal(err("OR('A.member',)").reason, "expected a principal or a gate after ',', found ')'", 'Fabric 2.5 rejects a trailing comma');
    assert.match(err('').reason, /^the policy is empty/);
    assert.equal(err('OutOf(1)').reason, 'expected at least two arguments to NOutOf. Given 1');
    assert.equal(err('AND()').reason, 'expected at least two arguments to NOutOf. Given 1');
    assert.equal(err("OutOf(4, 'A.member', 'B.member')").reason, 'invalid t-out-of-n predicate, t 4, n 2');
    assert.equal(err("OutOf(-1, 'A.member')").reason, 'invalid t-out-of-n predicate, t -1, n 1');
  });

  test('the message says where the policy came from, and the line for multi-line text', () => {
    const e = err("AND('A.member' 'B.member')");
    assert.equal(e.message, "invalid signature policy in --endorsement-policy \"AND('A.member' 'B.member')\": expected ',' or ')', found 'B.member' (column 16)");
    const multi = err("OR(\n  'A.member',\n  B.peer\n)");
    assert.match(multi.message, /principal B.peer must be quoted: 'B.peer' \(line 3, column 3\)$/);
  });

  test('other mistakes', () => {
    assert.match(err("'Org1MSP.member'").reason, /a policy must start with a gate: write OR\('Org1MSP.member'\)/);
    assert.match(err("NOT('A.member')").reason, /expected a gate \(AND, OR or OutOf\), found 'NOT'/);
    assert.match(err("OR('A.member'").reason, /expected ',' or '\)', found the end of the policy/);
    assert.match(err("OR('A.member')) ").reason, /unexpected '\)' after the policy/);
    assert.match(err("OR('A.member)").reason, /has no closing '/);
    assert.match(err("OutOf('x', 'A.member', 'B.member')").reason, /the first argument of OutOf must be a number, found 'x'/);
    assert.match(err("OutOf(OR('A.member'), 'B.member')").reason, /the first argument of OutOf must be a number/);
    assert.match(err("OR(1, 'A.member')").reason, /expected a principal or a gate, found the number 1/);
    assert.match(err("OR('A.member'; 'B.member')").reason, /unexpected character ';'/);
    assert.match(err("OR(foo, 'A.member')").reason, /unknown name foo/);
  });
});

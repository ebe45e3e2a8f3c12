/**
 * The Identities view's model: each org with its identities, their type and the attributes they
 * were created with; the calling identity marked; rows carry what their menus act on.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ListedIdentity, OrgIdentities } from '../../../src/vscode/identities/networkIdentities';
import { attributesText, identityNodes } from '../../../src/vscode/tree/identities/model';

const identity = (mspId: string, name: string, role: ListedIdentity['role'], customAttributes: Record<string, string> = {}): ListedIdentity => ({
  name,
  mspId,
  role,
  subject: `OU=${role}, CN=${name}`,
  attributes: Object.keys(customAttributes).length ? { ...customAttributes, 'hf.EnrollmentID': name, 'hf.Type': role ?? '', 'hf.Affiliation': '' } : null,
  customAttributes,
  notAfter: new Date(2030, 0, 1),
  files: { mspDir: `/d/${name}/msp`, certFile: `/d/${name}/msp/signcerts/cert.pem`, keyFile: `/d/${name}/msp/keystore/priv_sk` },
});

const orgs: OrgIdentities[] = [
  {
    mspId: 'Org1MSP',
    domain: 'org1.example.com',
    cryptoPath: '/d/org1',
    identities: [identity('Org1MSP', 'Admin', 'admin'), identity('Org1MSP', 'User1', 'client'), identity('Org1MSP', 'auditor1', 'client', { role: 'auditor', dept: 'audit' })],
  },
  { mspId: 'Org2MSP', domain: 'org2.example.com', cryptoPath: '/d/org2', identities: [identity('Org2MSP', 'User1', 'client')] },
];

describe('Identities view model', () => {
  it('one row per org (its domain, expanded), its identities under it with type and attributes', () => {
    const nodes = identityNodes({ orgs, current: { mspId: 'Org1MSP', name: 'User1' } });
    assert.deepEqual(
      nodes.map((n) => [n.label, n.description, n.contextValue, n.expanded]),
      [
        ['Org1MSP', 'org1.example.com', 'organization', true],
        ['Org2MSP', 'org2.example.com', 'organization', true],
      ],
    );
    assert.deepEqual(nodes[0].target, { kind: 'organization', mspId: 'Org1MSP' });
    const [admin, user1, auditor] = nodes[0].children ?? [];
    assert.equal(admin.description, 'admin');
    assert.equal(admin.icon?.id, 'shield');
    assert.equal(auditor.label, 'auditor1');
    assert.equal(auditor.description, 'client · dept=audit, role=auditor', 'the attributes given, not the hf.* ones the CA adds');
    assert.match(auditor.tooltip ?? '', /attributes: dept=audit, role=auditor/);
    assert.match(auditor.tooltip ?? '', /certificate \/d\/auditor1\/msp\/signcerts\/cert\.pem/);
    assert.deepEqual(auditor.target, {
      kind: 'identity',
      mspId: 'Org1MSP',
      name: 'auditor1',
      certFile: '/d/auditor1/msp/signcerts/cert.pem',
      keyFile: '/d/auditor1/msp/keystore/priv_sk',
    });
    assert.equal(user1.description, 'client · calling identity');
    assert.deepEqual([user1.contextValue, auditor.contextValue], ['currentIdentity', 'identity']);
    assert.equal(user1.icon?.color, 'testing.iconPassed');
    assert.equal(auditor.icon?.color, undefined);
  });

  it('marks the calling identity in its own org only, and row ids are stable per MSPID/NAME', () => {
    const nodes = identityNodes({ orgs, current: { mspId: 'Org2MSP', name: 'User1' } });
    const calling = nodes.flatMap((n) => n.children ?? []).filter((c) => c.contextValue === 'currentIdentity');
    assert.deepEqual(
      calling.map((c) => c.id),
      ['identity:Org2MSP/User1'],
    );
  });

  it('writes attributes as k=v in name order; none is empty', () => {
    assert.equal(attributesText({ z: '1', a: 'x=y' }), 'a=x=y, z=1');
    assert.equal(attributesText({}), '');
  });
});

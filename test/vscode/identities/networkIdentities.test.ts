/**
 * The editor's identities over a real engine of two organisations: Create Identity issues a
 * certificate carrying the attributes (Fabric CA's extension), the view's listing shows them, a name
 * used for the first time is issued as a client, and the prompts check what they accept as the
 * engine checks an identity spec.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { resolveConfig } from '../../../src/engine/config';
import { Engine } from '../../../src/engine/engine';
import { certificateAttributes } from '../../../src/engine/msp';
import { attributeTextProblem, identityNameProblem, parseAttributeText } from '../../../src/vscode/identities/identityText';
import { createIdentity, networkIdentities, signingIdentity } from '../../../src/vscode/identities/networkIdentities';

describe('identities of the network, as the editor uses them', () => {
  let engine: Engine;
  let dataDir: string;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'editor-identities-'));
    engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0 }));
  });

  after(async () => {
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("lists each org's User1 and Admin with their NodeOU types, in the network's order", async () => {
    const orgs = await networkIdentities(engine);
    assert.deepEqual(
      orgs.map((o) => [o.mspId, o.domain, o.identities.map((i) => `${i.name}:${i.role}`)]),
      [
        ['Org1MSP', 'org1.example.com', ['Admin:admin', 'User1:client']],
        ['Org2MSP', 'org2.example.com', ['Admin:admin', 'User1:client']],
      ],
    );
    assert.ok(fs.existsSync(orgs[0].identities[1].files.certFile));
    assert.deepEqual(orgs[0].identities[1].customAttributes, {}, 'cryptogen issues no attributes');
  });

  it('creates an identity whose certificate carries the attributes; the listing shows them without the hf.* ones', async () => {
    const created = await createIdentity(engine, { mspId: 'Org2MSP', name: 'auditor1', type: 'client', attributes: parseAttributeText('role=auditor, dept=audit') });
    assert.equal(created.action, 'issued');
    const certPem = fs.readFileSync(created.identity.files!.certFile, 'utf8');
    assert.match(certPem, /^-----BEGIN CERTIFICATE-----/);
    assert.deepEqual(certificateAttributes(created.identity.cert), { role: 'auditor', dept: 'audit', 'hf.Affiliation': '', 'hf.EnrollmentID': 'auditor1', 'hf.Type': 'client' });
    const listed = (await networkIdentities(engine))[1].identities.find((i) => i.name === 'auditor1');
    assert.deepEqual(listed?.customAttributes, { role: 'auditor', dept: 'audit' });
    assert.equal(listed?.role, 'client');
    // The same again changes nothing; other attributes reissue it.
    assert.equal((await createIdentity(engine, { mspId: 'Org2MSP', name: 'auditor1', type: 'client', attributes: { role: 'auditor', dept: 'audit' } })).action, 'existing');
    assert.equal((await createIdentity(engine, { mspId: 'Org2MSP', name: 'auditor1', type: 'client', attributes: { role: 'lead' } })).action, 'reissued');
  });

  it('signs as the named identity; a name used for the first time is issued as a client; an unknown org is named', async () => {
    const user1 = await signingIdentity(engine, { mspId: 'Org1MSP', name: 'User1' });
    assert.match(user1.identity.subject, /CN=User1@org1\.example\.com/);
    assert.equal(user1.issued, false);
    const auditor = (await signingIdentity(engine, { mspId: 'Org2MSP', name: 'auditor1' })).identity;
    assert.equal(certificateAttributes(auditor.cert)?.role, 'lead', 'named alone, an identity keeps the attributes it was made with');
    const fresh = await signingIdentity(engine, { mspId: 'Org1MSP', name: 'newcomer' });
    assert.equal(fresh.issued, true);
    assert.equal(fresh.identity.role, 'client');
    assert.ok(fs.existsSync(fresh.identity.files!.certFile));
    assert.equal((await signingIdentity(engine, { mspId: 'Org1MSP', name: 'newcomer' })).issued, false, 'kept for the next time');
    await assert.rejects(signingIdentity(engine, { mspId: 'Org9MSP', name: 'User1' }), {
      name: 'UnknownOrganizationError',
      message: /Org9MSP is not one of the network's organisations \(Org1MSP, Org2MSP\)/,
    });
  });

  it("the prompts accept what the engine accepts, and say what is wrong as the engine's checks do", () => {
    assert.deepEqual(parseAttributeText(''), {});
    assert.deepEqual(parseAttributeText('a=1,b=x=y'), { a: '1', b: 'x=y' });
    assert.equal(attributeTextProblem('auditor1', 'role=auditor'), undefined);
    assert.match(attributeTextProblem('auditor1', 'role') ?? '', /attribute 'role': expected KEY=VALUE/);
    assert.match(attributeTextProblem('auditor1', 'a=1, a=2') ?? '', /attribute 'a' is given twice/);
    assert.match(attributeTextProblem('auditor1', 'hf.Type=admin') ?? '', /'hf\.Type' is set by the CA/);
    assert.equal(identityNameProblem('auditor1'), undefined);
    assert.match(identityNameProblem('no spaces please') ?? '', /use 1-64 letters, digits/);
  });
});

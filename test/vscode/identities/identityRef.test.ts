/**
 * The calling identity as the setting, the status bar and Invoke As write it (`MSPID/NAME`), and who
 * called as the Transactions view shows it, from the subjects cryptogen and Fabric CA write.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callerLabel, identityRefText, parseIdentityRef, subjectName } from '../../../src/vscode/identities/identityRef';

describe('calling identity: MSPID/NAME', () => {
  it("reads MSPID/NAME, a bare name in the default org, and empty as that org's User1", () => {
    assert.deepEqual(parseIdentityRef('Org2MSP/auditor1', 'Org1MSP'), { mspId: 'Org2MSP', name: 'auditor1' });
    assert.deepEqual(parseIdentityRef(' alice ', 'Org1MSP'), { mspId: 'Org1MSP', name: 'alice' });
    assert.deepEqual(parseIdentityRef('', 'Org3MSP'), { mspId: 'Org3MSP', name: 'User1' });
    assert.deepEqual(parseIdentityRef(undefined, 'Org1MSP'), { mspId: 'Org1MSP', name: 'User1' });
    assert.equal(identityRefText(parseIdentityRef('Org2MSP / Admin', 'Org1MSP')), 'Org2MSP/Admin');
  });

  it('refuses what is not MSPID/NAME, naming the setting and the text', () => {
    assert.throws(() => parseIdentityRef('Org1MSP/', 'Org1MSP'), { name: 'IdentityRefError', message: /chaincode\.identity 'Org1MSP\/': expected MSPID\/NAME/ });
    assert.throws(() => parseIdentityRef('a/b/c', 'Org1MSP', 'identity'), { message: /^identity 'a\/b\/c'/ });
  });

  it("names the caller from its certificate's CN: cryptogen's User1@domain as User1, a CA enrolment's name as is", () => {
    assert.equal(subjectName('C=US, ST=California, L=San Francisco, OU=client, CN=User1@org1.example.com'), 'User1');
    assert.equal(subjectName('C=US, ST=North Carolina, O=Hyperledger, OU=client, CN=auditor1'), 'auditor1');
    assert.equal(callerLabel({ mspId: 'Org2MSP', subject: 'OU=admin, CN=Admin@org2.example.com' }), 'Org2MSP/Admin');
    assert.equal(subjectName('O=NoCommonName'), 'O=NoCommonName', 'a subject without CN is shown whole');
  });
});

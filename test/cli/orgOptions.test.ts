/**
 * The CLI's network and caller flags: organisations, channels, the calling identity and its
 * attributes, and what a step adds (transient data, its channel); bad input is a usage error that
 * names the flag and the token.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchCommand, parseCli, UsageError } from '../../src/cli/options';

function launch(args: string[]): LaunchCommand {
  const cmd = parseCli(['launch', 'cc', ...args]);
  assert.equal(cmd.command, 'launch');
  return cmd;
}

/** The UsageError `args` give, whose message must match `pattern`. */
function usageError(args: string[], pattern: RegExp): void {
  assert.throws(
    () => launch(args),
    (err: unknown) => err instanceof UsageError && pattern.test(err.message),
  );
}

describe('CLI organisations, channels and caller', () => {
  test('defaults: two orgs, the caller User1 of Org1MSP as it is, one channel', () => {
    const cmd = launch([]);
    assert.deepEqual(cmd.config.orgs, ['Org1MSP', 'Org2MSP']);
    assert.equal(cmd.config.mspId, 'Org1MSP');
    assert.equal(cmd.config.channel, 'mychannel');
    assert.deepEqual(cmd.config.channels, ['mychannel']);
    assert.deepEqual(cmd.caller, { mspId: 'Org1MSP', identity: 'User1' });
  });

  test('--orgs, --msp-id, --identity and repeated --identity-attr', () => {
    const cmd = launch(['--orgs', 'Org1MSP, Org2MSP,Org3MSP', '--msp-id', 'Org3MSP', '--identity', 'alice', '--identity-attr', 'role=auditor', '--identity-attr', 'expr=a=b']);
    assert.deepEqual(cmd.config.orgs, ['Org1MSP', 'Org2MSP', 'Org3MSP']);
    assert.equal(cmd.config.mspId, 'Org3MSP');
    assert.deepEqual(cmd.caller, { mspId: 'Org3MSP', identity: 'alice', attributes: { role: 'auditor', expr: 'a=b' } });
  });

  test('--channels: every peer joins each; steps run on --channel, else the first; --tx-channel moves one step', () => {
    const cmd = launch(['--channels', 'mychannel,other', '--tx', 'A', '--tx-channel', 'other', '--query', 'B']);
    assert.deepEqual(cmd.config.channels, ['mychannel', 'other']);
    assert.equal(cmd.config.channel, 'mychannel');
    assert.deepEqual(
      cmd.steps.map((s) => [s.args[0], s.channel]),
      [
        ['A', 'other'],
        ['B', undefined],
      ],
    );
    assert.equal(launch(['--channels', 'other,mychannel']).config.channel, 'other');
    assert.equal(launch(['--channels', 'a,b', '--channel', 'b']).config.channel, 'b');
    assert.deepEqual(launch(['--channel', 'ch2']).config.channels, ['ch2']);
  });

  test('--transient applies to the step before it: strings as UTF-8, base64: as bytes, objects as their JSON text', () => {
    const cmd = launch([
      '--tx',
      'CreateAsset',
      '--transient',
      '{"asset_properties":{"color":"blue","size":5},"price":"100","raw":"base64:AAEC/w==","n":7}',
      '--query',
      'ReadAsset',
    ]);
    const transient = cmd.steps[0].transient ?? {};
    assert.deepEqual(Object.keys(transient), ['asset_properties', 'price', 'raw', 'n']);
    assert.equal(Buffer.from(transient.asset_properties).toString(), '{"color":"blue","size":5}');
    assert.equal(Buffer.from(transient.price).toString(), '100');
    assert.deepEqual(Buffer.from(transient.raw), Buffer.from([0, 1, 2, 255]));
    assert.equal(Buffer.from(transient.n).toString(), '7');
    assert.equal(cmd.steps[1].transient, undefined, 'the next step has none');
  });

  test('a config file gives orgs, channels and mspId as EngineConfig names them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-orgcfg-'));
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify({ orgs: ['Org1MSP', 'Org2MSP', 'Org3MSP'], mspId: 'Org3MSP', channels: ['a', 'b'] }));
    const c = launch(['--config', file]).config;
    assert.deepEqual([c.orgs, c.mspId, c.channels, c.channel], [['Org1MSP', 'Org2MSP', 'Org3MSP'], 'Org3MSP', ['a', 'b'], 'a']);
    fs.writeFileSync(file, JSON.stringify({ orgs: 'Org1MSP' }));
    usageError(['--config', file], /^--config orgs: expected a list of MSP ids/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bad input names the flag and the token, before anything starts', () => {
    usageError(['--orgs', 'Org1MSP,,Org2MSP'], /^--orgs: entry 2 is empty/);
    usageError(['--orgs', 'Org1MSP,Org_2MSP'], /^--orgs: invalid MSP id 'Org_2MSP'/);
    usageError(['--orgs', 'Org1MSP,Org1MSP'], /^--orgs: 'Org1MSP' repeats Org1MSP/);
    usageError(['--orgs', 'Org1MSP=acme.example.org'], /^--orgs: 'Org1MSP=acme.example.org': the crypto folder's domain follows the MSP id/);
    usageError(['--msp-id', 'Org3MSP'], /^--msp-id Org3MSP: not one of the network's organisations \(Org1MSP, Org2MSP\)/);
    usageError(['--orgs', 'Org2MSP'], /^--msp-id Org1MSP: not one of the network's organisations \(Org2MSP\)/);
    usageError(['--identity-attr', 'role'], /^--identity-attr 'role': expected KEY=VALUE/);
    usageError(['--identity-attr', 'a=1', '--identity-attr', 'a=2'], /^--identity-attr 'a=2': attribute 'a' is given twice/);
    usageError(['--identity-attr', 'hf.Type=admin'], /^--identity User1: attribute 'hf.Type' is set by the CA/);
    usageError(['--identity', 'a/b'], /^--identity name 'a\/b'/);
    usageError(['--tx', 'A', '--transient', '{"k": secret}'], /^--transient \(step 0, A\): not valid JSON \(Unexpected token 's'\)/);
    usageError(['--tx', 'A', '--transient', '["x"]'], /^--transient \(step 0, A\): expected a JSON object .* not an array/);
    usageError(['--tx', 'A', '--transient', '{"k":"base64:not base64!"}'], /^--transient \(step 0, A\): the value of 'k' starts with base64: but the rest is not base64/);
    usageError(['--transient', '{}', '--tx', 'A'], /^--transient applies to the --tx or --query before it, and none comes before it/);
    usageError(['--tx', 'A', '--transient', '{}', '--transient', '{}'], /^--transient is given twice for the same step \(A, step 0\)/);
    usageError(['--channels', 'mychannel,Other'], /^bad channel name 'Other'/);
    usageError(['--channels', 'a,a'], /^--channels: channel 'a' is given twice/);
    usageError(['--channels', 'a,b', '--channel', 'c'], /^--channel c: not one of --channels \(a, b\)/);
    usageError(['--tx', 'A', '--tx-channel', 'nowhere'], /^--tx-channel nowhere: not one of the channels the peers join \(mychannel\)/);
    assert.throws(() => parseCli(['peer', '--identity', 'alice']), /--identity and --identity-attr choose who calls the --tx and --query of launch/);
  });

  test('a transient value never appears in an error message, even when the JSON around it is bad', () => {
    const secret = 'hunter2-do-not-print';
    for (const text of [`{"k": "${secret}" "j": 1}`, `{"k": ${secret}}`, `{"k": "base64:${secret}"}`]) {
      assert.throws(
        () => launch(['--tx', 'A', '--transient', text]),
        (err: unknown) => err instanceof UsageError && !err.message.includes(secret) && !String((err.cause as Error | undefined)?.message ?? '').includes(secret),
      );
    }
  });
});

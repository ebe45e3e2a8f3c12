#!/usr/bin/env node
/**
 * `chaincode-launcher`: the launch engine from a terminal. Logs and handler states go to stderr;
 * transaction results go to stdout, one JSON object per line, so scripts can read them.
 */
import type { EngineConfig } from '../engine/config';
import { NotChaincodeError } from '../engine/workspace/detect';
import { chaincodeDefinition, EXIT, launchChaincode, log, startEngine, untilInterrupted, watchEngine } from './chaincodeSession';
import { runNewCommand } from './newCommand';
import { LaunchCommand, parseCli, USAGE, UsageError } from './options';
import { runReplay } from './replayCommand';
import { runSteps } from './steps';
import { runPackageCommand } from './packageCommand';
import { runServeCommand } from './serveCommand';
import { runNetworkCommand } from './networkCommand';
import { watchUntilInterrupted } from './watchCommand';
import { announceGateway } from './gatewayLines';
import { DefinitionPolicyError, readDefinitionPolicies, type DefinitionPolicies } from '../engine/lifecycle/definitionPolicies';
import { resolveCaller } from './caller';
import { runIdentityCommand } from './identityCommand';

export { EXIT };

async function runPeer(config: EngineConfig): Promise<void> {
  const engine = await startEngine({ ...config, mode: 'dev' });
  watchEngine(engine);
  log(`peer listening on ${engine.peer.address} (dev mode, data in ${config.dataDir})`);
  announceGateway(engine, log);
  log(`start a chaincode against it, e.g.:`);
  log(`  CORE_CHAINCODE_ID_NAME=mycc:1.0 CORE_PEER_TLS_ENABLED=false npx fabric-chaincode-node start --peer.address ${engine.peer.address}`);
  await untilInterrupted();
  await engine.dispose();
}

async function runLaunch(cmd: LaunchCommand): Promise<number> {
  const definition = chaincodeDefinition(cmd);
  if (cmd.watch && definition.language === 'java') {
    log(`error: --watch rebuilds Node, TypeScript and Go chaincode; ${definition.path} is Java: build its jar (mvn package) and launch again`);
    return EXIT.usage;
  }
  // A policy or collection configuration that does not parse stops everything before it starts.
  let policies: DefinitionPolicies;
  try {
    policies = readDefinitionPolicies(definition.path, cmd.definitionPolicies, cmd.config.orgs);
  } catch (err) {
    if (!(err instanceof DefinitionPolicyError)) throw err;
    log(`error: ${err.message}`);
    return EXIT.usage;
  }
  if (policies.collectionsFile) log(`collections: ${policies.collections.map((c) => c.name).join(', ') || '(none)'} from ${policies.collectionsFile}`);
  const engine = await startEngine(cmd.config);
  watchEngine(engine);
  announceGateway(engine, log);
  // Defined with the same policies on every channel it is launched for.
  for (const channel of new Set([cmd.config.channel, ...cmd.config.channels])) engine.defineChaincode(definition, policies, channel);
  let caller;
  try {
    caller = await resolveCaller(engine, cmd.caller, log);
  } catch (err) {
    log(`error: the calling identity ${cmd.caller.identity} of ${cmd.caller.mspId}: ${(err as Error).message}`);
    await engine.dispose();
    return EXIT.launchFailed;
  }
  const launched = await launchChaincode(engine, definition, cmd.runtime);
  if (!launched) {
    await engine.dispose();
    return EXIT.launchFailed;
  }
  const { ccid } = launched;

  const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  const run = await runSteps(engine, ccid, cmd.steps, cmd.parallel, print, caller);
  if (cmd.parallel) log(`[parallel] ${cmd.steps.length} steps; most transactions in flight at once on ${ccid}'s handler: ${run.peakInFlight}`);
  if (cmd.watch) {
    await watchUntilInterrupted(engine, definition, ccid, print, caller);
  } else if (!cmd.once) {
    log(`${ccid} is running; press Ctrl-C to stop it and exit`);
    await untilInterrupted();
  }
  await engine.dispose();
  return run.failed ? EXIT.txFailed : EXIT.ok;
}

export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'package') return runPackageCommand(argv.slice(1));
  // Loaded only for deploy: it brings the Fabric Gateway client, which no other command needs at start.
  if (argv[0] === 'deploy') return (await import('./deployCommand')).runDeployCommand(argv.slice(1));
  if (argv[0] === 'new') return runNewCommand(argv.slice(1));
  if (argv[0] === 'serve') return runServeCommand(argv.slice(1));
  if (argv[0] === 'identity') return runIdentityCommand(argv.slice(1));
  if (argv[0] === 'network') return runNetworkCommand(argv.slice(1));
  try {
    const cmd = parseCli(argv);
    if (cmd.command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.ok;
    }
    if (cmd.command === 'peer') {
      await runPeer(cmd.config);
      return EXIT.ok;
    }
    if (cmd.command === 'replay') return await runReplay(cmd);
    return await runLaunch(cmd);
  } catch (err) {
    if (err instanceof UsageError) {
      log(`error: ${err.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    // The folder argument is wrong, as a flag can be: nothing was started, and retrying will not help.
    if (err instanceof NotChaincodeError) {
      log(`error: ${err.message}`);
      return EXIT.usage;
    }
    log(`error: ${(err as Error).message}`);
    return EXIT.launchFailed;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

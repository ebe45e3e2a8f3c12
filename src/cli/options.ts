/**
 * The CLI's flags and config file, mapped onto the engine's settings (the same ones the editor has).
 * Errors here are usage errors: exit code 2 with a message a script can show.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { DEFAULT_CONFIG, DEFAULT_GATEWAY_PORT, type DockerTlsSettings, EngineConfig, resolveConfig } from '../engine/config';
import { parseExternalAddress } from '../engine/launch/externalAddress';
import { CcaasConnectionError, parseConnectionJson, type ChaincodeServerDial } from '../engine/platforms/ccaasConnection';
import type { SequenceScope } from '../engine/replay/recordedLedger';
import { chaincodeNameProblem, chaincodeVersionProblem } from '../engine/workspace/detect';
import type { DefinitionPolicyInput } from '../engine/lifecycle/definitionPolicies';
import { DEFINITION_OPTIONS, DEFINITION_USAGE, definitionFlagGiven, definitionPolicyInput } from './definitionOptions';
import { UsageError } from './usageError';
import { callerSpec, networkSettings, ORG_FLAGS, STEP_FLAGS, withStepFlag, type CallerSpec, type StepFlag } from './orgOptions';

export { UsageError };

/** One `--tx` (invoke: committed) or `--query` (evaluated, never committed), at its place on the command line. */
export interface TransactionStep {
  /** Position among all --tx and --query flags, from 0: result lines carry it. */
  readonly index: number;
  readonly kind: 'invoke' | 'query';
  readonly args: readonly string[];
  /** `--transient` after it: the proposal's transient map (never recorded, logged or stored). */
  readonly transient?: Readonly<Record<string, Uint8Array>>;
  /** `--tx-channel` after it: the channel it runs on (default: the configured channel). */
  readonly channel?: string;
}

/**
 * Where the chaincode runs: a local process (dev; `--no-start` waits for one the user starts), a
 * container (net), or a chaincode server the peer dials (external, Fabric's chaincode as a service).
 */
export type LaunchRuntime = { readonly mode: 'dev'; readonly startProcess: boolean } | { readonly mode: 'net' } | ExternalRuntime;

/**
 * A chaincode server the peer dials: at `address` in plaintext, or as a connection.json says (TLS,
 * dial timeout; `--connection`), registering as `packageId` (`--package-id`; default name:version).
 */
export interface ExternalRuntime {
  readonly mode: 'external';
  readonly address: string;
  readonly connection?: ChaincodeServerDial;
  readonly packageId?: string;
}

export interface LaunchCommand {
  readonly command: 'launch';
  readonly folder: string;
  readonly name?: string;
  readonly version?: string;
  readonly runtime: LaunchRuntime;
  readonly steps: readonly TransactionStep[];
  /** Run consecutive --tx concurrently; each --query still waits for all before it (see USAGE). */
  readonly parallel: boolean;
  readonly once: boolean;
  /** After the transactions, rebuild, restart and re-run the last one on every saved change (watchCommand.ts). */
  readonly watch: boolean;
  /** Who calls the steps (`--msp-id`, `--identity`, `--identity-attr`). */
  readonly caller: CallerSpec;
  readonly config: EngineConfig;
  /** --endorsement-policy and --collections-config (definitionOptions.ts). */
  readonly definitionPolicies: DefinitionPolicyInput;
}

export interface PeerCommand {
  readonly command: 'peer';
  readonly config: EngineConfig;
}

/** One recorded transaction on the current code (nothing committed), or a whole sequence onto a fresh ledger. */
export type ReplayTarget = { readonly kind: 'one'; readonly txId: string } | { readonly kind: 'all'; readonly from: string; readonly scope: SequenceScope };

export interface ReplayCommand {
  readonly command: 'replay';
  readonly target: ReplayTarget;
  readonly folder: string;
  readonly name?: string;
  readonly version?: string;
  readonly runtime: LaunchRuntime;
  readonly config: EngineConfig;
}

export type CliCommand = LaunchCommand | PeerCommand | ReplayCommand | { readonly command: 'help' };

export const USAGE = `Usage:
  chaincode-launcher launch <folder> [--mode dev|net|external] [--name NAME] [--version V]
                            [--orgs LIST] [--channels LIST] [--msp-id ID] [--identity NAME [--identity-attr K=V]...]
                            [(--tx TX | --query TX) [--transient JSON] [--tx-channel NAME]]... [--parallel] [--once | --watch]
  chaincode-launcher peer                      start only the embedded peer and print its address
  chaincode-launcher identity create <name> [--msp-id ID] [--type client|admin|peer] [--attr K=V]...
  chaincode-launcher identity list [--msp-id ID]
                                               issue an identity from an org's CA, or list them (identity --help)
  chaincode-launcher serve <folder> --package-id ID [--address HOST:PORT] [--tls-cert F --tls-key F [--client-ca F]]
                                               run the chaincode as a chaincode server a Fabric peer dials
                                               (chaincode as a service), until Ctrl-C (serve --help)
  chaincode-launcher package <folder> [--label L] [--out FILE] [--type ccaas --address HOST:PORT]
                                               write a Fabric lifecycle package, print its ID (package --help)
  chaincode-launcher network --network FILE [--chaincode NAME] [--tx TX | --query TX]... [--rwset TXID]...
                            [--chaincodes] [--blocks | --events] [--start-block N] [--limit N]
                                               the same transactions and result lines on a Fabric network,
                                               through a peer's Gateway (network --help)
  chaincode-launcher new <folder> --lang node|typescript|go|java [--name N] [--no-install]
                                               write a contract project into a new or empty folder and install it
  chaincode-launcher replay <txid> [<folder>]  run a recorded transaction again on the folder's current code,
                                               against the state it read then; commits nothing; prints
                                               {"txId","same","differences",…} (exit 1 when it differs)
  chaincode-launcher replay --all [<folder>] --data-dir NEW [--from DIR] [--include-uncommitted]
                                               re-run the transactions committed in DIR (default: the
                                               data dir of --config, else .chaincode) in order onto a new
                                               ledger in NEW; one line per transaction, then the final
                                               state's differences (exit 1 when any differs)

Transactions (repeatable, run once the chaincode is ready in the order given; one JSON line each on stdout):
  --tx 'ReadAsset asset1'                      words split on spaces; committed when it succeeds
  --tx '["QueryAssets","{\\"selector\\":{}}"]'  a JSON array of strings
  --query TX                                   like --tx, but evaluated without committing
  --parallel                                   run consecutive --tx concurrently (lines in completion order,
                                               each with its "index"); a --query waits for every --tx
                                               before it and runs before any after it
  --watch                                      then, on every saved change in the folder: rebuild (TypeScript:
                                               the project's own build; an error restarts nothing), restart
                                               the chaincode, run the last transaction again on the kept state
                                               (an invoke commits), and print its result line with "reload",
                                               "previousTxId" and "differences" (dev and net mode)
Organisations, channels and who calls (each org has its CA, its peer and its chaincode instance):
  --orgs Org1MSP,Org2MSP,Org3MSP  the network's organisations (default Org1MSP,Org2MSP); crypto folders in
                               <data-dir>/organizations/peerOrganizations/<org>.example.com
  --channels mychannel,other   the channels every peer joins, each with its own ledger; the chaincode is
                               defined on each (default: --channel's only); --channel NAME is where steps
                               run (default: the first of --channels, else mychannel)
  --msp-id ID                  the calling identity's organisation (default Org1MSP; one of --orgs)
  --identity NAME              who calls the steps (default User1), issued by that org's CA on first use
                               and kept in the data dir
  --identity-attr KEY=VALUE    repeatable: the caller's attributes (ctx.clientIdentity.getAttributeValue,
                               cid); a different set reissues its certificate; none given: used as it is
After a --tx or --query, applying to it alone:
  --transient JSON             transient data, a JSON object: strings sent as UTF-8, "base64:…" as the
                               decoded bytes, other values (objects) as their JSON text; never recorded,
                               logged or stored
  --tx-channel NAME            run it on NAME (one of --channels)

Result line: {"index","kind","tx","channel","txId","creator","status","message","payload","json"?,"validation","event","mismatches"?}:
  creator is who called: {"mspId","name","subject"} (the records keep mspId and subject).
  payload is the chaincode's bytes as UTF-8 text, or "base64:…" when they are not UTF-8 text (or
  the text itself starts with "base64:"); json is the parsed payload when it is a JSON object or array;
  mismatches, when the endorsing peers disagree ("ProposalResponsePayloads do not match"), names each
  peer that differs and the differences of the read/write sets.

Runtimes (--mode): dev (default) starts the chaincode as a local process (--no-start: start it
yourself); net builds a Docker image and runs a container; external dials a chaincode server
(chaincode as a service, e.g. one 'serve' runs) at --address HOST:PORT, or as --connection FILE says
(a connection.json as in a ccaas package: address, dial_timeout, tls_required, client_auth_required,
root_cert, client_cert, client_key), expecting it to register as --package-id ID (default NAME:VERSION).

Settings (flags, or a JSON config file with the same keys as EngineConfig via --config FILE):
  --mode dev|net|external  --address HOST:PORT  --connection FILE  --package-id ID  --name  --version  --port N  --host ADDR  --data-dir DIR  --channel NAME
  --startup-timeout SECONDS  --execute-timeout SECONDS
  --docker-endpoint URL        unix:///path, tcp://HOST:2376 or ssh://USER@HOST (ssh: the agent at SSH_AUTH_SOCK)
  --docker-tlsverify           TLS to a tcp:// endpoint, the daemon verified (also on with DOCKER_TLS_VERIFY)
  --docker-cert-path DIR       its ca.pem, cert.pem, key.pem (default DOCKER_CERT_PATH, else ~/.docker)
  --docker-tlscacert FILE  --docker-tlscert FILE  --docker-tlskey FILE   one file instead of DIR's
  --peer-external-address HOST:PORT   where containers of a remote Docker engine reach the peer (mutual
                               TLS); its TLS listener listens on PORT (0: any free port)
  --base-image LANG=IMAGE (node, golang, golangRuntime, java)  --network-mode host|bridge-host-gateway
  --log-level debug|info|warning|error  --no-tls (net mode)  --no-start (dev mode)
  --durability process|disk  a commit is done once written (default) or once synced to disk
  --gateway-port N|off       the Fabric Gateway for client applications (default 7051, 0: any free port;
                             none with --once unless given); on start, CRYPTO_PATH=… and PEER_ENDPOINT=…
                             are printed (stderr) for them

${DEFINITION_USAGE}

Exit codes: 0 ok; 1 a transaction failed; 2 usage error (a flag, a policy or collection configuration
that does not parse, or a folder that is not chaincode); 3 launch failed; 4 peer or Docker unavailable.`;

/** `--tx` text → argument list: a JSON array of strings, or words split on spaces. */
export function parseTransaction(text: string, flag: 'tx' | 'query' = 'tx'): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`--${flag} ${text}: not a valid JSON array: ${(err as Error).message}`, { cause: err });
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      throw new UsageError(`--${flag} ${text}: a JSON array must hold the function name and string arguments`);
    }
    return parsed;
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UsageError(`--${flag} needs a function name`);
  return words;
}

/** `--gateway-port N` (0 = ephemeral) or `off` (no Gateway). */
function parseGatewayPort(value: string): number | null {
  if (value === 'off') return null;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--gateway-port must be 0–65535 or off, got ${value}`);
  return Number(value);
}

function seconds(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number of seconds, got ${v}`);
  return Math.round(n * 1000);
}

const BASE_IMAGE_KEYS = Object.keys(DEFAULT_CONFIG.baseImages);

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        mode: { type: 'string' },
        address: { type: 'string' },
        connection: { type: 'string' },
        'package-id': { type: 'string' },
        parallel: { type: 'boolean' },
        name: { type: 'string' },
        version: { type: 'string' },
        tx: { type: 'string', multiple: true },
        query: { type: 'string', multiple: true },
        once: { type: 'boolean' },
        watch: { type: 'boolean' },
        port: { type: 'string' },
        'gateway-port': { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        channel: { type: 'string' },
        config: { type: 'string' },
        'startup-timeout': { type: 'string' },
        'execute-timeout': { type: 'string' },
        'docker-endpoint': { type: 'string' },
        'docker-tlsverify': { type: 'boolean' },
        'docker-cert-path': { type: 'string' },
        'docker-tlscacert': { type: 'string' },
        'docker-tlscert': { type: 'string' },
        'docker-tlskey': { type: 'string' },
        'peer-external-address': { type: 'string' },
        'base-image': { type: 'string', multiple: true },
        'network-mode': { type: 'string' },
        'msp-id': { type: 'string' },
        'log-level': { type: 'string' },
        'no-tls': { type: 'boolean' },
        durability: { type: 'string' },
        'no-start': { type: 'boolean' },
        all: { type: 'boolean' },
        from: { type: 'string' },
        'include-uncommitted': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        ...DEFINITION_OPTIONS,
        // Organisations, channels, the caller, per-step transient data and channel (orgOptions.ts).
        ...ORG_FLAGS,
      },
      tokens: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
  const { values: v, positionals, tokens } = parsed;
  if (v.help || positionals.length === 0) return { command: 'help' };
  const fileConfig = v.config ? readConfigFile(v.config) : {};
  const baseImages: Record<string, string> = { ...((fileConfig.baseImages as Record<string, string>) ?? {}) };
  for (const spec of v['base-image'] ?? []) {
    const [lang, image] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
    if (!spec.includes('=') || !BASE_IMAGE_KEYS.includes(lang) || !image) {
      throw new UsageError(`--base-image ${spec}: use LANG=IMAGE with LANG one of ${BASE_IMAGE_KEYS.join(', ')}`);
    }
    baseImages[lang] = image;
  }
  const mode = v.mode ?? (fileConfig.mode as string | undefined) ?? 'dev';
  if (mode !== 'dev' && mode !== 'net' && mode !== 'external') throw new UsageError(`--mode must be dev, net or external, got ${mode}`);
  if (v['network-mode'] !== undefined && v['network-mode'] !== 'host' && v['network-mode'] !== 'bridge-host-gateway') {
    throw new UsageError(`--network-mode must be host or bridge-host-gateway`);
  }
  if (v.durability !== undefined && v.durability !== 'process' && v.durability !== 'disk') {
    throw new UsageError(`--durability must be process or disk, got ${v.durability}`);
  }
  const externalAddress = v['peer-external-address'] ?? (fileConfig.peerExternalAddress as string | undefined);
  if (externalAddress !== undefined) {
    try {
      parseExternalAddress(externalAddress);
    } catch (err) {
      throw new UsageError(`--peer-external-address: ${(err as Error).message}`, { cause: err });
    }
    if (v['no-tls'])
      throw new UsageError("--peer-external-address needs net mode's mutual TLS: a peer reachable from elsewhere takes only chaincode that proves who it is; drop --no-tls");
  }
  const fileTls = (fileConfig.dockerTls as Partial<DockerTlsSettings> | undefined) ?? {};
  const dockerTls: Partial<DockerTlsSettings> = {
    ...fileTls,
    ...(v['docker-tlsverify'] ? { verify: true } : {}),
    ...(v['docker-cert-path'] ? { certPath: v['docker-cert-path'] } : {}),
    ...(v['docker-tlscacert'] ? { caFile: v['docker-tlscacert'] } : {}),
    ...(v['docker-tlscert'] ? { certFile: v['docker-tlscert'] } : {}),
    ...(v['docker-tlskey'] ? { keyFile: v['docker-tlskey'] } : {}),
  };
  const port = v.port === undefined ? undefined : Number(v.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be 0–65535, got ${v.port}`);
  const config = resolveConfig({
    ...(fileConfig as Partial<EngineConfig>),
    // The engine's own mode says whether the peer accepts a REGISTER nobody launched (dev only);
    // an external chaincode is dialled by the launcher, so the peer runs as in net mode.
    mode: mode === 'dev' ? 'dev' : 'net',
    ...(port !== undefined ? { peerPort: port } : {}),
    // The Gateway serves sessions that stay up (peer, launch) at a peer's usual port; a run that
    // exits after its transactions (--once, replay) has no client to serve unless asked.
    ...(v['gateway-port'] !== undefined
      ? { gatewayPort: parseGatewayPort(v['gateway-port']) }
      : 'gatewayPort' in fileConfig
        ? {}
        : { gatewayPort: positionals[0] === 'replay' || v.once ? null : DEFAULT_GATEWAY_PORT }),
    ...(v.host ? { peerHost: v.host } : {}),
    ...(v['data-dir'] ? { dataDir: v['data-dir'] } : {}),
    ...(v['startup-timeout'] ? { startupTimeoutMs: seconds('startup-timeout', v['startup-timeout']) } : {}),
    ...(v['execute-timeout'] ? { executeTimeoutMs: seconds('execute-timeout', v['execute-timeout']) } : {}),
    ...(v['docker-endpoint'] ? { dockerEndpoint: v['docker-endpoint'] } : {}),
    dockerTls,
    ...(externalAddress !== undefined ? { peerExternalAddress: externalAddress } : {}),
    ...(v['network-mode'] ? { networkMode: v['network-mode'] } : {}),
    ...(v['log-level'] ? { logLevel: v['log-level'] as EngineConfig['logLevel'] } : {}),
    ...(v['no-tls'] ? { netModeTls: false } : {}),
    ...(v.durability ? { ledgerDurability: v.durability } : {}),
    baseImages: baseImages,
    ...networkSettings(v, fileConfig),
  });
  const [command, folder, ...extra] = positionals;
  if (command !== 'launch' && (v.identity !== undefined || v['identity-attr'] !== undefined)) {
    throw new UsageError('--identity and --identity-attr choose who calls the --tx and --query of launch');
  }
  const definitionFlag = definitionFlagGiven(v);
  if (definitionFlag && command !== 'launch') throw new UsageError(`${definitionFlag} defines the chaincode that launch starts; ${command} does not take it`);
  if (command === 'peer') return { command: 'peer', config };
  if (command !== 'launch' && command !== 'replay') throw new UsageError(`unknown command ${command}`);
  for (const [flag, value, problem] of [
    ['name', v.name, chaincodeNameProblem],
    ['version', v.version, chaincodeVersionProblem],
  ] as const) {
    const why = value === undefined ? undefined : problem(value);
    if (why) throw new UsageError(`--${flag}: ${why}`);
  }
  if (command === 'replay') {
    if (transactionSteps(tokens, config.channels).length) throw new UsageError('replay runs recorded transactions: --tx and --query belong to launch');
    const recordedIn = v.from ?? (fileConfig.dataDir as string | undefined) ?? DEFAULT_CONFIG.dataDir;
    return {
      command,
      ...replayTarget(positionals.slice(1), !!v.all, v['data-dir'], recordedIn, v.from, !!v['include-uncommitted']),
      name: v.name,
      version: v.version,
      runtime: launchRuntime(mode, { address: v.address, connection: v.connection, packageId: v['package-id'], name: v.name, version: v.version }, !!v['no-start']),
      config,
    };
  }
  if (v.all || v.from !== undefined || v['include-uncommitted']) throw new UsageError('--all, --from and --include-uncommitted are options of replay');
  if (!folder) throw new UsageError('launch needs a chaincode folder');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const runtime = launchRuntime(mode, { address: v.address, connection: v.connection, packageId: v['package-id'], name: v.name, version: v.version }, !!v['no-start']);
  if (v.watch) checkWatch(runtime, !!v.once);
  return {
    command: 'launch',
    folder,
    name: v.name,
    version: v.version,
    runtime,
    steps: transactionSteps(tokens, config.channels),
    parallel: !!v.parallel,
    once: !!v.once,
    watch: !!v.watch,
    caller: callerSpec(v, config.mspId),
    config,
    definitionPolicies: definitionPolicyInput(v),
  };
}

/** --watch restarts what the launcher started: not a process the user runs, nor a chaincode server. */
function checkWatch(runtime: LaunchRuntime, once: boolean): void {
  if (once) throw new UsageError('--watch keeps running until Ctrl-C; --once exits after the transactions: choose one');
  if (runtime.mode === 'external') throw new UsageError('--watch restarts the chaincode, but an external chaincode server is yours to restart; use --mode dev or net');
  if (runtime.mode === 'dev' && !runtime.startProcess) throw new UsageError('--watch restarts the chaincode process, so the launcher must start it: drop --no-start');
}

/** `replay <txid> [<folder>]` or `replay --all [<folder>] --data-dir NEW [--from DIR]`; the folder defaults to the current one. */
function replayTarget(
  args: readonly string[],
  all: boolean,
  dataDir: string | undefined,
  recordedIn: string,
  from: string | undefined,
  includeUncommitted: boolean,
): { target: ReplayTarget; folder: string } {
  if (all) {
    if (args.length > 1) throw new UsageError(`replay --all takes one chaincode folder, got ${args.join(' ')}`);
    if (!dataDir) throw new UsageError('replay --all needs --data-dir NEW: the new ledger the recorded transactions are replayed onto (--from names the recorded one)');
    return { target: { kind: 'all', from: recordedIn, scope: includeUncommitted ? 'all' : 'committed' }, folder: args[0] ?? '.' };
  }
  if (from !== undefined || includeUncommitted) throw new UsageError('--from and --include-uncommitted go with replay --all; replay <txid> reads the ledger in --data-dir');
  const [txId, folder, ...extra] = args;
  if (!txId) throw new UsageError('replay needs a transaction id (or --all)');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return { target: { kind: 'one', txId }, folder: folder ?? '.' };
}

interface ExternalFlags {
  readonly address?: string;
  readonly connection?: string;
  readonly packageId?: string;
  readonly name?: string;
  readonly version?: string;
}

function launchRuntime(mode: 'dev' | 'net' | 'external', flags: ExternalFlags, noStart: boolean): LaunchRuntime {
  if (noStart && mode !== 'dev') throw new UsageError(`--no-start is for dev mode (the chaincode process you start yourself); --mode is ${mode}`);
  const { address, connection, packageId } = flags;
  if (mode !== 'external') {
    if (address !== undefined) throw new UsageError(`--address is the chaincode server of --mode external; --mode is ${mode}`);
    for (const [flag, value] of [
      ['connection', connection],
      ['package-id', packageId],
    ] as const) {
      if (value !== undefined) throw new UsageError(`--${flag} is for the chaincode server of --mode external; --mode is ${mode}`);
    }
    return mode === 'dev' ? { mode, startProcess: !noStart } : { mode };
  }
  if (packageId !== undefined) {
    if (!/^[^:\s]+:[^:\s]+$/.test(packageId)) throw new UsageError(`--package-id must be LABEL:HASH (or NAME:VERSION), as the chaincode server registers, got '${packageId}'`);
    if (flags.name !== undefined || flags.version !== undefined) throw new UsageError('--package-id is the id the chaincode server registers with: leave out --name and --version');
  }
  const withId = packageId !== undefined ? { packageId } : {};
  if (connection !== undefined) {
    if (address !== undefined) throw new UsageError('--address and --connection both say where the chaincode server is: give one');
    const dial = readConnectionFile(connection);
    return { mode, address: dial.address, connection: dial, ...withId };
  }
  if (address === undefined) throw new UsageError('--mode external needs --address HOST:PORT (or --connection FILE), where the chaincode server listens');
  const port = /^(?:\[[^\]]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(address)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`--address must be HOST:PORT with a port 1–65535, got ${address}`);
  return { mode, address, ...withId };
}

/** A connection.json, read and checked as the peer's ccaas builder does (its errors are usage errors here). */
function readConnectionFile(file: string): ChaincodeServerDial {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`--connection ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return parseConnectionJson(bytes);
  } catch (err) {
    if (err instanceof CcaasConnectionError) throw new UsageError(`--connection ${file}: ${err.message}`, { cause: err });
    throw err;
  }
}

type ParsedToken = { kind: string; name?: string; value?: string };

/**
 * --tx and --query in the order they were given (parseArgs' tokens keep it; its values group by
 * flag), each with the --transient and --tx-channel that follow it.
 */
function transactionSteps(tokens: readonly ParsedToken[], channels: readonly string[]): TransactionStep[] {
  const steps: TransactionStep[] = [];
  for (const t of tokens) {
    if (t.kind !== 'option' || t.value === undefined) continue;
    if (t.name === 'tx' || t.name === 'query') {
      steps.push({ index: steps.length, kind: t.name === 'tx' ? 'invoke' : 'query', args: parseTransaction(t.value, t.name) });
    } else if ((STEP_FLAGS as readonly string[]).includes(t.name ?? '')) {
      steps[steps.length - 1] = withStepFlag(steps[steps.length - 1], t.name as StepFlag, t.value, channels);
    }
  }
  return steps;
}

function readConfigFile(file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * `chaincode-launcher deploy <package-file | folder>`: install, approve for each org it has an admin
 * for, check commit readiness and commit, as `peer lifecycle chaincode install | approveformyorg |
 * checkcommitreadiness | commit` do, through a peer's Fabric Gateway (../engine/lifecycle/deploy.ts).
 * The embedded peer by default: its Gateway at localhost:7051 and the admins of its data
 * directory's crypto folder. Shows the sequence and the policies before anything is sent; progress
 * on stderr, the committed definition on stdout.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG } from '../engine/config';
import { DeployError, planDeploy, type AdminIdentity, type DeployRequest } from '../engine/lifecycle/deploy';
import { describePlan, describeProgress } from '../engine/lifecycle/deployDescription';
import { cryptoFolderTarget, deployTo, type PeerEndpoint } from '../engine/lifecycle/deployTarget';
import { createLifecyclePackage } from '../engine/platforms/lifecyclePackage';
import { parseCollectionsConfig, parsePolicy } from '../engine/policy';

export const DEPLOY_USAGE = `Usage:
  chaincode-launcher deploy <package-file | folder> --name N --version V --sequence S
                            [--channel C] [--endorsement-policy P] [--collections-config FILE] [--init-required]
                            [--peer HOST:PORT] [--tls-ca FILE] [--host-alias NAME]
                            [--msp-id ID --cert FILE --key FILE]... [--data-dir DIR] [--label L] [--dry-run]

Installs a lifecycle package on the peer, approves its definition for each org it has an admin
identity of, checks commit readiness and commits it, through the peer's Fabric Gateway.
  <package-file>          a package 'chaincode-launcher package' (or 'peer lifecycle chaincode package') wrote;
                          a chaincode folder is packaged first (--label L, default <name>_<version>)
  --channel C             default mychannel
  --endorsement-policy P  a signature policy, e.g. "AND('Org1MSP.peer','Org2MSP.peer')"
                          (default: the channel's /Channel/Application/Endorsement)
  --collections-config F  private data collections (collections_config.json)
  --peer HOST:PORT        the peer's Gateway (default localhost:7051: the embedded peer's)
  --tls-ca FILE           the CA of the peer's TLS certificate (default: peer0's tls/ca.crt in --data-dir)
  --host-alias NAME       the name in the peer's TLS certificate (default peer0.<domain> with --data-dir)
  --msp-id, --cert, --key an org admin's MSP id, certificate and key, once per org (in order); default
                          every Admin@<domain> in --data-dir's organizations/peerOrganizations
  --data-dir DIR          a test-network style crypto folder: the embedded peer's data directory
                          (default ${DEFAULT_CONFIG.dataDir}) or fabric-samples' test-network folder
  --dry-run               show what would be sent, send nothing

The first admin's org installs (on the peer at --peer) and commits; every admin approves for its org.
Exit codes: 0 committed; 2 usage error; 3 a step failed (which, and the peer's message, on stderr).`;

export const DEPLOY_EXIT = { ok: 0, usage: 2, failed: 3 } as const;

class DeployUsageError extends Error {
  override readonly name = 'DeployUsageError';
}

const FLAGS = {
  channel: { type: 'string' },
  name: { type: 'string' },
  version: { type: 'string' },
  sequence: { type: 'string' },
  'endorsement-policy': { type: 'string' },
  'collections-config': { type: 'string' },
  'init-required': { type: 'boolean' },
  peer: { type: 'string' },
  'tls-ca': { type: 'string' },
  'host-alias': { type: 'string' },
  'msp-id': { type: 'string', multiple: true },
  cert: { type: 'string', multiple: true },
  key: { type: 'string', multiple: true },
  'data-dir': { type: 'string' },
  label: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

interface DeployCommand {
  readonly source: string;
  readonly label?: string;
  readonly request: Omit<DeployRequest, 'packageBytes'>;
  readonly peer: PeerEndpoint;
  readonly admins: readonly AdminIdentity[];
  readonly dryRun: boolean;
}

function readText(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DeployUsageError(`${flag} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function parseDeployCommand(argv: readonly string[]): DeployCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: FLAGS });
  } catch (err) {
    throw new DeployUsageError((err as Error).message, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  const [source, ...extra] = positionals;
  if (!source) throw new DeployUsageError('deploy needs a package file or a chaincode folder');
  if (extra.length) throw new DeployUsageError(`unexpected arguments: ${extra.join(' ')}`);
  for (const flag of ['name', 'version', 'sequence'] as const) if (!v[flag]) throw new DeployUsageError(`deploy needs --${flag}`);
  const sequence = Number(v.sequence);
  if (!/^\d+$/.test(v.sequence ?? '') || !Number.isSafeInteger(sequence) || sequence < 1) throw new DeployUsageError(`--sequence must be a whole number from 1, got ${v.sequence}`);
  const policy = v['endorsement-policy'];
  if (policy !== undefined) {
    try {
      parsePolicy(policy, '--endorsement-policy');
    } catch (err) {
      throw new DeployUsageError((err as Error).message, { cause: err });
    }
  }
  const collectionsFile = v['collections-config'];
  let collections;
  if (collectionsFile !== undefined) {
    try {
      collections = parseCollectionsConfig(readText('--collections-config', collectionsFile), collectionsFile);
    } catch (err) {
      throw new DeployUsageError((err as Error).message, { cause: err });
    }
  }
  const address = v.peer ?? 'localhost:7051';
  const { peer, admins } = target(v, address);
  return {
    source,
    ...(v.label !== undefined ? { label: v.label } : {}),
    request: {
      channel: v.channel ?? 'mychannel',
      name: v.name!,
      version: v.version!,
      sequence,
      ...(policy !== undefined ? { endorsementPolicy: policy } : {}),
      ...(collections ? { collections } : {}),
      initRequired: !!v['init-required'],
    },
    peer,
    admins,
    dryRun: !!v['dry-run'],
  };
}

/** Admins given one by one (--msp-id/--cert/--key), or every admin of the crypto folder. */
function target(
  v: { 'msp-id'?: string[]; cert?: string[]; key?: string[]; 'tls-ca'?: string; 'host-alias'?: string; 'data-dir'?: string },
  address: string,
): { peer: PeerEndpoint; admins: AdminIdentity[] } {
  const ids = v['msp-id'] ?? [];
  const certs = v.cert ?? [];
  const keys = v.key ?? [];
  const explicitCa = v['tls-ca'] !== undefined ? readText('--tls-ca', v['tls-ca']) : undefined;
  const alias = v['host-alias'] !== undefined ? { hostAlias: v['host-alias'] } : {};
  if (ids.length || certs.length || keys.length) {
    if (ids.length !== certs.length || ids.length !== keys.length) throw new DeployUsageError('--msp-id, --cert and --key go together, once per org admin');
    if (explicitCa === undefined) throw new DeployUsageError("an admin given with --cert and --key needs the peer's --tls-ca");
    const admins = ids.map((mspId, i) => ({ mspId, certPem: readText('--cert', certs[i]), keyPem: readText('--key', keys[i]) }));
    return { peer: { address, tlsCaPem: explicitCa, ...alias }, admins };
  }
  const dataDir = v['data-dir'] ?? DEFAULT_CONFIG.dataDir;
  try {
    const found = cryptoFolderTarget(dataDir, address);
    return { peer: { ...found.peer, ...(explicitCa !== undefined ? { tlsCaPem: explicitCa } : {}), ...alias }, admins: [...found.admins] };
  } catch (err) {
    throw new DeployUsageError((err as Error).message, { cause: err });
  }
}

async function packageBytes(source: string, label: string | undefined, log: (line: string) => void): Promise<Buffer> {
  let isFolder: boolean;
  try {
    isFolder = statSync(source).isDirectory();
  } catch (err) {
    throw new DeployError('package', `${source}: ${(err as Error).message}`, { cause: err });
  }
  if (!isFolder) return readFileSync(source);
  const pkg = await createLifecyclePackage({ folder: source, ...(label !== undefined ? { label } : {}), onProgress: (step) => log(`[package] ${step}`) });
  return pkg.bytes;
}

/** Runs the command; resolves with the exit code. */
export async function runDeployCommand(argv: readonly string[]): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let command: DeployCommand | 'help';
  try {
    command = parseDeployCommand(argv);
  } catch (err) {
    log(`error: ${(err as Error).message}\n\n${DEPLOY_USAGE}`);
    return DEPLOY_EXIT.usage;
  }
  if (command === 'help') {
    process.stdout.write(`${DEPLOY_USAGE}\n`);
    return DEPLOY_EXIT.ok;
  }
  const { peer, admins } = command;
  try {
    const request: DeployRequest = { ...command.request, packageBytes: await packageBytes(command.source, command.label, log) };
    if (command.dryRun) {
      for (const line of describePlan((await planDeploy(request, admins)).plan, peer)) log(`[deploy] ${line}`);
      log('[deploy] dry run: nothing sent');
      return DEPLOY_EXIT.ok;
    }
    const result = await deployTo({ peer, admins }, request, (p) => {
      const lines = p.step === 'plan' ? describePlan(p.plan, peer) : [describeProgress(p)];
      for (const line of lines) if (line) log(`[deploy] ${line}`);
    });
    process.stdout.write(`${result.plan.name} sequence ${result.committed.sequence} version ${result.committed.version} committed on ${result.plan.channel}\n`);
    return DEPLOY_EXIT.ok;
  } catch (err) {
    const message = (err as Error).message;
    // An unreachable peer is the likeliest first error: say where we looked.
    const hint = /UNAVAILABLE|No connection established|ECONNREFUSED/.test(message)
      ? ` (is a peer's Gateway listening at ${peer.address}? the embedded peer serves one while 'chaincode-launcher launch <folder>' runs, on --gateway-port (default 7051))`
      : '';
    log(`error: ${err instanceof DeployError ? `${err.step}: ` : ''}${message}${hint}`);
    return DEPLOY_EXIT.failed;
  }
}

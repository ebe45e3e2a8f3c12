/**
 * `chaincode-launcher package <folder>`: a chaincode package a real Fabric peer installs, as
 * `peer lifecycle chaincode package` writes it, or a chaincode-as-a-service package with
 * `--type ccaas --address HOST:PORT`. Prints the package ID on stdout (what
 * `peer lifecycle chaincode calculatepackageid` prints), the rest on stderr.
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import type { CcaasConnection } from '../engine/platforms/ccaasConnection';
import { createLifecyclePackage, defaultPackageFile, validateLabel, writeLifecyclePackage, type PackageRequest } from '../engine/platforms/lifecyclePackage';

export const PACKAGE_USAGE = `Usage:
  chaincode-launcher package <folder> [--label L] [--out FILE] [--no-build] [--no-vendor]
  chaincode-launcher package <folder> --type ccaas --address HOST:PORT [--dial-timeout 10s]
                             [--tls-root-cert FILE [--tls-client-cert FILE --tls-client-key FILE]]

Writes the chaincode in <folder> as a Fabric lifecycle package (metadata.json + code.tar.gz) for
'peer lifecycle chaincode install', and prints its package ID.
  --label L          the package label (default <name>_<version> from the folder)
  --out FILE         where to write it (default <label>.tar.gz here, or beside the folder when here is inside it)
  --no-build         TypeScript: package dist/ as it is (default: npm run build first; the peer does not build)
  --no-vendor        Go: leave the dependencies out (default: vendored into the package; the peer then needs no module proxy)
  --type ccaas       a chaincode-as-a-service package: the peer dials the server at --address
  --tls-root-cert    PEM CA of the chaincode server's certificate (TLS on); with --tls-client-cert and
                     --tls-client-key, the peer's client certificate (client authentication on)

Exit codes: 0 written; 2 usage error; 3 the folder cannot be packaged (the reason on stderr).`;

export const PACKAGE_EXIT = { ok: 0, usage: 2, failed: 3 } as const;

class PackageUsageError extends Error {
  override readonly name = 'PackageUsageError';
}

interface PackageCommand {
  readonly request: PackageRequest;
  readonly out?: string;
}

const FLAGS = {
  label: { type: 'string' },
  out: { type: 'string' },
  type: { type: 'string' },
  address: { type: 'string' },
  'dial-timeout': { type: 'string' },
  'tls-root-cert': { type: 'string' },
  'tls-client-cert': { type: 'string' },
  'tls-client-key': { type: 'string' },
  'no-build': { type: 'boolean' },
  'no-vendor': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFlags(argv: readonly string[]): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: typeof FLAGS }>> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: FLAGS });
  } catch (err) {
    throw new PackageUsageError((err as Error).message, { cause: err });
  }
}

export function parsePackageCommand(argv: readonly string[]): PackageCommand | 'help' {
  const parsed = parseFlags(argv);
  const { values: v, positionals } = parsed;
  if (v.help) return 'help';
  const [folder, ...extra] = positionals;
  if (!folder) throw new PackageUsageError('package needs a chaincode folder');
  if (extra.length) throw new PackageUsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (v.label !== undefined) validateLabel(v.label);
  const common = { folder, ...(v.label !== undefined ? { label: v.label } : {}) };
  const ccaasOnly = (['address', 'dial-timeout', 'tls-root-cert', 'tls-client-cert', 'tls-client-key'] as const).filter((flag) => v[flag] !== undefined);
  if (v.type === undefined) {
    if (ccaasOnly.length) throw new PackageUsageError(`--${ccaasOnly[0]} is for chaincode-as-a-service packages (--type ccaas)`);
    return { request: { ...common, build: !v['no-build'], vendor: !v['no-vendor'] }, ...(v.out !== undefined ? { out: v.out } : {}) };
  }
  if (v.type !== 'ccaas') throw new PackageUsageError(`--type must be ccaas (a code package's language comes from the folder), got ${v.type}`);
  if (!v.address) throw new PackageUsageError('--type ccaas needs --address HOST:PORT, where the peer dials the chaincode server');
  const connection: CcaasConnection = {
    address: v.address,
    ...(v['dial-timeout'] !== undefined ? { dialTimeout: v['dial-timeout'] } : {}),
    ...tlsOptions(v['tls-root-cert'], v['tls-client-cert'], v['tls-client-key']),
  };
  return { request: { ...common, type: 'ccaas', connection }, ...(v.out !== undefined ? { out: v.out } : {}) };
}

function tlsOptions(rootCert?: string, clientCert?: string, clientKey?: string): Pick<CcaasConnection, 'tls'> {
  if ((clientCert === undefined) !== (clientKey === undefined)) throw new PackageUsageError('--tls-client-cert and --tls-client-key go together');
  if (rootCert === undefined) {
    if (clientCert !== undefined) throw new PackageUsageError('client authentication needs TLS: add --tls-root-cert');
    return {};
  }
  const client =
    clientCert !== undefined && clientKey !== undefined ? { client: { cert: readPem('--tls-client-cert', clientCert), key: readPem('--tls-client-key', clientKey) } } : {};
  return { tls: { rootCert: readPem('--tls-root-cert', rootCert), ...client } };
}

function readPem(flag: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new PackageUsageError(`${flag} ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs the command; resolves with the exit code. */
export async function runPackageCommand(argv: readonly string[]): Promise<number> {
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let command: PackageCommand | 'help';
  try {
    command = parsePackageCommand(argv);
  } catch (err) {
    log(`error: ${(err as Error).message}\n\n${PACKAGE_USAGE}`);
    return PACKAGE_EXIT.usage;
  }
  if (command === 'help') {
    process.stdout.write(`${PACKAGE_USAGE}\n`);
    return PACKAGE_EXIT.ok;
  }
  const { request } = command;
  try {
    const out = command.out === undefined ? undefined : path.resolve(command.out);
    const pkg = await createLifecyclePackage({ ...request, ...(out !== undefined ? { skip: [out] } : {}), onProgress: (step) => log(`[package] ${step}`) });
    const file = out ?? defaultPackageFile(request.folder, pkg.label, process.cwd());
    await writeLifecyclePackage(pkg, file);
    log(`wrote ${file} (${pkg.type}, label ${pkg.label}, ${pkg.codeEntries.length} entries in code.tar.gz)`);
    process.stdout.write(`${pkg.packageId}\n`);
    return PACKAGE_EXIT.ok;
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    return PACKAGE_EXIT.failed;
  }
}

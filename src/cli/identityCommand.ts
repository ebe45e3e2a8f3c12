/**
 * `chaincode-launcher identity create|list`: identities of the network's organisations, issued by
 * an org's CA as Fabric CA enrols them (NodeOU type, attributes in the certificate for
 * `ctx.clientIdentity` and `cid`) and kept in the data directory, where `launch --identity` and
 * client applications find them. No peer is started. Stdout has one JSON line per identity, as
 * `launch` prints one per transaction; the rest goes to stderr.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { DEFAULT_CONFIG } from '../engine/config';
import { checkIdentitySpec, IdentitySpecError, Organization, OrgLayout, orgSpec, parseAttributeList, type IdentityInfo, type IdentityRole, type IdentitySpec } from '../engine/msp';
import { readConfigFile } from './options';
import { networkSettings } from './orgOptions';
import { UsageError } from './usageError';

export const IDENTITY_USAGE = `Usage:
  chaincode-launcher identity create <name> [--msp-id ID] [--type client|admin|peer] [--attr KEY=VALUE]...
                                    [--affiliation A] [--data-dir DIR] [--orgs LIST] [--config FILE]
  chaincode-launcher identity list [--msp-id ID] [--data-dir DIR] [--orgs LIST] [--config FILE]

create issues <name> from the CA of --msp-id's organisation (default Org1MSP, one of --orgs), as
Fabric CA enrols an identity: its type as the NodeOU (default client), the attributes in the
certificate (extension 1.2.3.4.5.6.7.8.1, with hf.EnrollmentID, hf.Type and hf.Affiliation), into
<data-dir>/organizations/peerOrganizations/<domain>/users/<name>@<domain>/msp. Asking again with
the same type and attributes keeps it; a different set reissues its certificate.
  --type client|admin|peer     the identity's role (policies' .client, .admin, .peer)
  --attr KEY=VALUE             repeatable: an attribute (ctx.clientIdentity.getAttributeValue, cid)
  --affiliation A              Fabric CA's affiliation, e.g. org1.department1 (one OU per element)
list prints the identities of --msp-id's organisation, or of every one of --orgs that has its
crypto folder in the data directory.

Settings: --data-dir DIR (default .chaincode), --orgs Org1MSP,Org2MSP (the default), or a --config
FILE with dataDir, orgs and mspId, as launch reads them.

Each identity is one JSON line on stdout:
  {"mspId","name","type","subject","attributes","mspDir","certFile","keyFile","notAfter"}
(create adds "action": issued, reissued or existing; attributes is null for cryptogen's User1 and
Admin, which carry none).

Exit codes: 0 ok; 2 usage error; 3 the crypto folder cannot be read or written (the reason on stderr).`;

export const IDENTITY_EXIT = { ok: 0, usage: 2, failed: 3 } as const;

const TYPES: readonly IdentityRole[] = ['client', 'admin', 'peer'];

const FLAGS = {
  'msp-id': { type: 'string' },
  type: { type: 'string' },
  attr: { type: 'string', multiple: true },
  affiliation: { type: 'string' },
  'data-dir': { type: 'string' },
  orgs: { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type IdentityCommand =
  | { readonly action: 'create'; readonly dataDir: string; readonly mspId: string; readonly spec: IdentitySpec }
  | { readonly action: 'list'; readonly dataDir: string; readonly mspIds: readonly string[]; readonly onlyExisting: boolean };

export function parseIdentityCommand(argv: readonly string[]): IdentityCommand | 'help' {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: FLAGS });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) return 'help';
  const fileConfig = v.config ? readConfigFile(v.config) : {};
  const { orgs, mspId } = networkSettings({ orgs: v.orgs, 'msp-id': v['msp-id'] }, fileConfig);
  const dataDir = v['data-dir'] ?? (fileConfig.dataDir as string | undefined) ?? DEFAULT_CONFIG.dataDir;
  const [action, name, ...extra] = positionals;
  if (action === 'list') {
    if (name !== undefined) throw new UsageError(`identity list takes no name, got ${positionals.slice(1).join(' ')}`);
    for (const flag of ['type', 'attr', 'affiliation'] as const) if (v[flag] !== undefined) throw new UsageError(`--${flag} is an option of identity create`);
    const explicit = v['msp-id'] !== undefined;
    return { action, dataDir, mspIds: explicit ? [mspId] : orgs, onlyExisting: !explicit };
  }
  if (action !== 'create') throw new UsageError(`identity ${action}: use identity create <name> or identity list`);
  if (!name) throw new UsageError('identity create needs a name, e.g. identity create alice --attr role=auditor');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  if (v.type !== undefined && !(TYPES as readonly string[]).includes(v.type)) throw new UsageError(`--type must be ${TYPES.join(', ')}, got ${v.type}`);
  try {
    const attributes = v.attr === undefined ? undefined : parseAttributeList(v.attr, '--attr');
    const spec: IdentitySpec = {
      name,
      ...(v.type ? { type: v.type as IdentityRole } : {}),
      ...(attributes ? { attributes } : {}),
      ...(v.affiliation !== undefined ? { affiliation: v.affiliation } : {}),
    };
    // Checked now, so a bad spec is a usage error before any folder is made.
    checkIdentitySpec(spec, 'identity');
    return { action, dataDir, mspId, spec };
  } catch (err) {
    if (err instanceof IdentitySpecError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}

/** What stdout shows of an identity. */
export function identityLine(info: IdentityInfo): object {
  return {
    mspId: info.mspId,
    name: info.name,
    type: info.role,
    subject: info.subject,
    attributes: info.attributes,
    mspDir: info.files.mspDir,
    certFile: info.files.certFile,
    keyFile: info.files.keyFile,
    notAfter: info.notAfter.toISOString(),
  };
}

export async function runIdentityCommand(argv: readonly string[]): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const print = (line: object): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  let command: IdentityCommand | 'help';
  try {
    command = parseIdentityCommand(argv);
  } catch (err) {
    log(`error: ${(err as Error).message}\n\n${IDENTITY_USAGE}`);
    return IDENTITY_EXIT.usage;
  }
  if (command === 'help') {
    process.stdout.write(`${IDENTITY_USAGE}\n`);
    return IDENTITY_EXIT.ok;
  }
  const dataDir = path.resolve(command.dataDir);
  try {
    if (command.action === 'create') {
      const org = await Organization.open(dataDir, orgSpec(command.mspId));
      const { identity, action } = await org.ensureIdentity(command.spec);
      const info = (await org.listIdentities()).find((i) => i.name === identity.name);
      if (!info) throw new Error(`${identity.name} was issued but is not in ${org.layout.usersDir}`);
      log(`${action} ${identity.name} of ${org.mspId}: ${identity.subject}`);
      print({ ...identityLine(info), action });
      return IDENTITY_EXIT.ok;
    }
    for (const mspId of command.mspIds) {
      const spec = orgSpec(mspId);
      // Listing makes nothing: an org without a crypto folder yet is only mentioned.
      if (command.onlyExisting && !fs.existsSync(OrgLayout.of(dataDir, spec.domain).root)) {
        log(`${mspId}: no crypto folder in ${dataDir} yet (made by the first launch or identity create)`);
        continue;
      }
      const org = await Organization.open(dataDir, spec);
      for (const info of await org.listIdentities()) print(identityLine(info));
    }
    return IDENTITY_EXIT.ok;
  } catch (err) {
    log(`error: ${(err as Error).message}`);
    return IDENTITY_EXIT.failed;
  }
}

/**
 * The CLI's flags and config file, mapped onto the engine's settings (the same ones the editor has).
 * Errors here are usage errors: exit code 2 with a message a script can show.
 */
import * as fs from 'fs';
import { parseArgs } from 'util';
import { EngineConfig, Language, resolveConfig } from '../engine/config';

export class UsageError extends Error {}

export interface LaunchCommand {
  readonly command: 'launch';
  readonly folder: string;
  readonly name?: string;
  readonly version?: string;
  readonly transactions: readonly string[][];
  readonly once: boolean;
  /** Dev mode: wait for the user's own process instead of starting the chaincode here. */
  readonly noStart: boolean;
  readonly config: EngineConfig;
}

export interface PeerCommand {
  readonly command: 'peer';
  readonly config: EngineConfig;
}

export type CliCommand = LaunchCommand | PeerCommand | { readonly command: 'help' };

export const USAGE = `Usage:
  chaincode-launcher launch <folder> [--mode dev|net] [--name NAME] [--version V] [--tx TX]... [--once]
  chaincode-launcher peer                      start only the embedded peer and print its address
  chaincode-launcher new <folder> --lang node|typescript|go|java [--name N] [--no-install]
                                               write a contract project into a new or empty folder and install it

Transactions (--tx, repeatable, run in order once the chaincode is ready; each result printed as JSON):
  --tx 'ReadAsset asset1'                      words split on spaces
  --tx '["QueryAssets","{\\"selector\\":{}}"]'  a JSON array of strings
  --query TX                                   like --tx, but evaluated without committing

Settings (flags, or a JSON config file with the same keys as EngineConfig via --config FILE):
  --mode dev|net  --name  --version  --port N  --host ADDR  --data-dir DIR  --channel NAME
  --startup-timeout SECONDS  --execute-timeout SECONDS  --docker-endpoint URL
  --base-image LANG=IMAGE (node, golang, golangRuntime, java)  --network-mode host|bridge-host-gateway
  --msp-id ID  --log-level debug|info|warning|error  --no-tls (net mode)  --no-start (dev mode)
  --durability process|disk  a commit is done once written (default) or once synced to disk

Exit codes: 0 ok; 1 a transaction failed; 2 usage error; 3 launch failed; 4 peer or Docker unavailable.`;

/** `--tx` text → argument list: a JSON array of strings, or words split on spaces. */
export function parseTransaction(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new UsageError(`--tx ${text}: not a valid JSON array: ${(err as Error).message}`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string')) {
      throw new UsageError(`--tx ${text}: a JSON array must hold the function name and string arguments`);
    }
    return parsed as string[];
  }
  const words = trimmed.split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new UsageError('--tx needs a function name');
  return words;
}

function seconds(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${flag} must be a positive number of seconds, got ${v}`);
  return Math.round(n * 1000);
}

const BASE_IMAGE_KEYS = ['node', 'golang', 'golangRuntime', 'java'] as const;

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        mode: { type: 'string' },
        name: { type: 'string' },
        version: { type: 'string' },
        tx: { type: 'string', multiple: true },
        query: { type: 'string', multiple: true },
        once: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        channel: { type: 'string' },
        config: { type: 'string' },
        'startup-timeout': { type: 'string' },
        'execute-timeout': { type: 'string' },
        'docker-endpoint': { type: 'string' },
        'base-image': { type: 'string', multiple: true },
        'network-mode': { type: 'string' },
        'msp-id': { type: 'string' },
        'log-level': { type: 'string' },
        'no-tls': { type: 'boolean' },
        durability: { type: 'string' },
        'no-start': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help || positionals.length === 0) return { command: 'help' };
  const fileConfig = v.config ? readConfigFile(v.config) : {};
  const baseImages: Record<string, string> = { ...((fileConfig.baseImages as Record<string, string>) ?? {}) };
  for (const spec of v['base-image'] ?? []) {
    const [lang, image] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
    if (!spec.includes('=') || !(BASE_IMAGE_KEYS as readonly string[]).includes(lang) || !image) {
      throw new UsageError(`--base-image ${spec}: use LANG=IMAGE with LANG one of ${BASE_IMAGE_KEYS.join(', ')}`);
    }
    baseImages[lang] = image;
  }
  if (v.mode !== undefined && v.mode !== 'dev' && v.mode !== 'net') throw new UsageError(`--mode must be dev or net, got ${v.mode}`);
  if (v['network-mode'] !== undefined && v['network-mode'] !== 'host' && v['network-mode'] !== 'bridge-host-gateway') {
    throw new UsageError(`--network-mode must be host or bridge-host-gateway`);
  }
  if (v.durability !== undefined && v.durability !== 'process' && v.durability !== 'disk') {
    throw new UsageError(`--durability must be process or disk, got ${v.durability}`);
  }
  const port = v.port === undefined ? undefined : Number(v.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port must be 0–65535, got ${v.port}`);
  const config = resolveConfig({
    ...(fileConfig as Partial<EngineConfig>),
    ...(v.mode ? { mode: v.mode as 'dev' | 'net' } : {}),
    ...(port !== undefined ? { peerPort: port } : {}),
    ...(v.host ? { peerHost: v.host } : {}),
    ...(v['data-dir'] ? { dataDir: v['data-dir'] } : {}),
    ...(v.channel ? { channel: v.channel } : {}),
    ...(v['startup-timeout'] ? { startupTimeoutMs: seconds('startup-timeout', v['startup-timeout']) } : {}),
    ...(v['execute-timeout'] ? { executeTimeoutMs: seconds('execute-timeout', v['execute-timeout']) } : {}),
    ...(v['docker-endpoint'] ? { dockerEndpoint: v['docker-endpoint'] } : {}),
    ...(v['network-mode'] ? { networkMode: v['network-mode'] as EngineConfig['networkMode'] } : {}),
    ...(v['msp-id'] ? { mspId: v['msp-id'] } : {}),
    ...(v['log-level'] ? { logLevel: v['log-level'] as EngineConfig['logLevel'] } : {}),
    ...(v['no-tls'] ? { netModeTls: false } : {}),
    ...(v.durability ? { ledgerDurability: v.durability as EngineConfig['ledgerDurability'] } : {}),
    baseImages: baseImages as Partial<Record<Language | 'golangRuntime', string>>,
  });
  const [command, folder, ...extra] = positionals;
  if (command === 'peer') return { command: 'peer', config };
  if (command !== 'launch') throw new UsageError(`unknown command ${command}`);
  if (!folder) throw new UsageError('launch needs a chaincode folder');
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const transactions = [...(v.tx ?? []).map(parseTransaction)];
  const queries = (v.query ?? []).map((q) => ['__query__', ...parseTransaction(q)]);
  return {
    command: 'launch',
    folder,
    name: v.name,
    version: v.version,
    transactions: [...transactions, ...queries],
    once: !!v.once,
    noStart: !!v['no-start'],
    config,
  };
}

function readConfigFile(file: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('expected a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new UsageError(`--config ${file}: ${(err as Error).message}`);
  }
}

/**
 * A second engine in its own process, reached only through its Gateway as a remote Fabric network
 * would be: `chaincode-launcher launch examples/asset-transfer --name basic` with the Gateway on a
 * free port, its crypto in test-network's layout under a fresh data directory. The endpoint and
 * crypto folder are read from what the CLI prints for client applications (PEER_ENDPOINT,
 * CRYPTO_PATH).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXAMPLE_CHAINCODE, REPO_ROOT } from './nodeChaincode';

const CLI = path.join(REPO_ROOT, 'out', 'src', 'cli', 'main.js');

export interface RemoteNetwork {
  /** `localhost:<port>` of its Gateway. */
  readonly endpoint: string;
  /** Its data directory's `organizations/` folder. */
  readonly organizations: string;
  /** Org1's crypto folder (…/peerOrganizations/org1.example.com). */
  readonly cryptoPath: string;
  /** A scratch folder for the test's network files, removed by stop. */
  readonly scratch: string;
  stop(): Promise<void>;
}

export async function startRemoteNetwork(): Promise<RemoteNetwork> {
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-remote-'));
  const scratch = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-remote-files-'));
  const child = spawn(process.execPath, [CLI, 'launch', EXAMPLE_CHAINCODE, '--name', 'basic', '--port', '0', '--gateway-port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await fs.promises.rm(dataDir, { recursive: true, force: true });
    await fs.promises.rm(scratch, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the engine did not get ready within 120 s:\n${stderr}`)), 120_000);
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderr += chunk;
        if (/is ready/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the engine exited (${code}) before it was ready:\n${stderr}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  const endpoint = /^PEER_ENDPOINT=(\S+)$/m.exec(stderr)?.[1];
  const cryptoPath = /^CRYPTO_PATH=(\S+)$/m.exec(stderr)?.[1];
  if (!endpoint || !cryptoPath) {
    await stop();
    throw new Error(`the engine did not print PEER_ENDPOINT and CRYPTO_PATH:\n${stderr}`);
  }
  return { endpoint, organizations: path.join(dataDir, 'organizations'), cryptoPath, scratch, stop };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Ctrl-C: the CLI stops the chaincode it started and disposes the engine.
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A network file of form (a) for `remote`: every part named, YAML, User1 of Org1 given as the MSP's folders; `overrides` replace fields. */
export function endpointFile(remote: RemoteNetwork, overrides: Record<string, string> = {}, name = `endpoint-${Object.keys(overrides).join('-') || 'plain'}.yaml`): string {
  const fields = {
    endpoint: remote.endpoint,
    tlsCaCert: path.join(remote.cryptoPath, 'peers', 'peer0.org1.example.com', 'tls', 'ca.crt'),
    hostAlias: 'peer0.org1.example.com',
    mspId: 'Org1MSP',
    cert: path.join(remote.cryptoPath, 'users', 'User1@org1.example.com', 'msp', 'signcerts'),
    key: path.join(remote.cryptoPath, 'users', 'User1@org1.example.com', 'msp', 'keystore'),
    channel: 'mychannel',
    ...overrides,
  };
  const yaml = Object.entries(fields)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n');
  const file = path.join(remote.scratch, name);
  fs.writeFileSync(file, `# a Gateway endpoint\n${yaml}\n`);
  return file;
}

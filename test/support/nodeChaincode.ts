/**
 * Starts the Node fixture chaincodes as real child processes, the way a developer does:
 * `CORE_CHAINCODE_ID_NAME=name:1.0 node index.js --peer.address 127.0.0.1:PORT` or
 * `fabric-chaincode-node start --module-path DIR --peer.address …`.
 */
import * as path from 'path';
import { ChaincodeProcess, startChaincodeProcess } from './toolchains';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const FABRIC_CHAINCODE_NODE = path.join(REPO_ROOT, 'node_modules', 'fabric-shim', 'cli.js');

export type RunningProcess = ChaincodeProcess;

export function startProcess(command: string, args: string[], env: Record<string, string>, cwd = REPO_ROOT): RunningProcess {
  return startChaincodeProcess({ command, args, env, cwd, label: path.basename(cwd) });
}

const shimEnv = (ccid: string): Record<string, string> => ({
  CORE_CHAINCODE_ID_NAME: ccid,
  CORE_PEER_TLS_ENABLED: 'false',
  CORE_CHAINCODE_LOGGING_LEVEL: 'warning',
  CORE_CHAINCODE_LOGGING_SHIM: 'warning',
});

/** The low-level fabric-shim fixture (`node index.js`). */
export function startLowLevelFixture(ccid: string, peerAddress: string): RunningProcess {
  const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'node', 'lowlevel');
  return startProcess(process.execPath, [path.join(dir, 'index.js'), '--peer.address', peerAddress], shimEnv(ccid), dir);
}

/** A fabric-contract-api chaincode folder through the shim's own CLI. */
export function startContractChaincode(moduleDir: string, ccid: string, peerAddress: string): RunningProcess {
  return startProcess(process.execPath, [FABRIC_CHAINCODE_NODE, 'start', '--module-path', moduleDir, '--peer.address', peerAddress], shimEnv(ccid), moduleDir);
}

export const CONTRACT_TS_FIXTURE = path.join(REPO_ROOT, 'out', 'test', 'fixtures', 'node', 'contract-ts');
export const EXAMPLE_CHAINCODE = path.join(REPO_ROOT, 'examples', 'asset-transfer');

/**
 * The embedded peer as a client application meets it: an engine with its Gateway on a free port
 * (tests never take 7051), the example chaincode (examples/asset-transfer) launched in dev mode
 * under the name the fabric-samples applications use (`basic`), and real Gateway clients
 * connected as the samples connect.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig, type EngineConfig } from '../../src/engine/config';
import { Engine } from '../../src/engine/engine';
import { connectGateway, type ClientOptions, type GatewayConnection } from './gatewayClient';
import { EXAMPLE_CHAINCODE } from './nodeChaincode';

export const CHAINCODE = { name: 'basic', version: '1.0' } as const;

export interface GatewayPeer {
  readonly engine: Engine;
  readonly dataDir: string;
  readonly port: number;
  readonly cryptoPath: string;
  /** A real client as User1 (or as `options` say); closed by `stop`. */
  connect(options?: Partial<ClientOptions>): GatewayConnection;
  /** Stops the engine (and the chaincode) and starts them again on the same data directory. */
  restart(): Promise<void>;
  /** Stops everything and removes the data directory. */
  stop(): Promise<void>;
}

async function startEngine(dataDir: string, settings: Partial<EngineConfig>): Promise<Engine> {
  const engine = await Engine.start(resolveConfig({ dataDir, peerPort: 0, gatewayPort: 0, mode: 'dev', startupTimeoutMs: 60_000, ...settings }));
  try {
    await engine.launcher.launch({ kind: 'deployment', definition: { ...CHAINCODE, mode: 'dev', language: 'node', path: EXAMPLE_CHAINCODE } });
  } catch (err) {
    await engine.dispose();
    throw err;
  }
  return engine;
}

export async function startGatewayPeer(settings: Partial<EngineConfig> = {}): Promise<GatewayPeer> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ccl-gateway-'));
  let engine = await startEngine(dir, settings);
  const connections = new Set<GatewayConnection>();
  const gatewayOf = (e: Engine): NonNullable<Engine['gateway']> => {
    if (!e.gateway) throw new Error('the engine started without its Gateway');
    return e.gateway;
  };
  const portOf = (e: Engine): number => gatewayOf(e).server.port;
  const closeAll = (): void => {
    for (const c of connections) c.close();
    connections.clear();
  };
  return {
    get engine() {
      return engine;
    },
    dataDir: dir,
    get port() {
      return portOf(engine);
    },
    get cryptoPath() {
      return gatewayOf(engine).org.cryptoPath;
    },
    connect(options = {}) {
      const connection = connectGateway({ cryptoPath: gatewayOf(engine).org.cryptoPath, port: portOf(engine), ...options });
      connections.add(connection);
      return connection;
    },
    async restart() {
      closeAll();
      await engine.dispose();
      engine = await startEngine(dir, settings);
    },
    async stop() {
      closeAll();
      await engine.dispose();
      await fs.promises.rm(dir, { recursive: true, force: true });
    },
  };
}

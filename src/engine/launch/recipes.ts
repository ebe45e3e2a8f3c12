/**
 * Turns a chaincode definition into what its runtime needs (Fabric's getArgsAndEnv plus the
 * platform's builder): in-process for system chaincode; for dev mode the local process a developer
 * would start; for net mode the platform's build plan, Fabric's argv/env per shim, and a per-launch
 * TLS client certificate. Every runtime gets the same environment (platforms/launchParameters.ts).
 * Containers dial the peer where its TLS listener listens, or at the external address the user set
 * for a Docker engine on another machine (externalAddress.ts).
 */
import type { EngineConfig } from '../config';
import type { Peer } from '../peer/peer';
import { launchParameters, platformFor, prepareBuild, type ChaincodeTLSMaterial } from '../platforms';
import { dialConnectionJson, FABRIC_DIAL_TIMEOUT_MS } from '../platforms/ccaasConnection';
import { chaincodeEnv } from '../platforms/launchParameters';
import { devStartCommand } from './devStart';
import { dialAddress, ExternalAddressError, parseExternalAddress, tlsListenerFor, type HostPort } from './externalAddress';
import { CONNECTION_FILE } from './externalVM';
import type { RecipeSource, RuntimeRecipe } from './launcher';
import type { ChaincodeDefinition } from './types';
import { chaincodeId } from '../chaincodeId';

export class EngineRecipes implements RecipeSource {
  /** `mspId`: the MSP of the peer these chaincodes run for (`stub.getMspID()` answers it). */
  constructor(
    private readonly peer: Peer,
    private config: EngineConfig,
    private readonly mspId: string,
  ) {}

  /** Settings for the next recipes (base images, TLS, network mode, log level); made ones keep theirs. */
  configure(config: EngineConfig): void {
    this.config = config;
  }

  async recipeFor(def: ChaincodeDefinition): Promise<RuntimeRecipe> {
    const ccid = chaincodeId(def.name, def.version);
    if (def.mode === 'dev') {
      // Plaintext on the peer's main listener, as Fabric's dev mode.
      const command = await devStartCommand({ language: def.language, folder: def.path, ccid, peerAddress: this.peer.address, mspId: this.mspId, logLevel: this.config.logLevel });
      return { vm: 'process', args: [command.command, ...command.args], env: command.env, workingDir: command.cwd };
    }
    // The in-process chaincode gets the same environment; a chaincode service's process is the
    // user's, started with its own, so the recipe only records what the peer would give it.
    const env = chaincodeEnv({ ccid, mspId: this.mspId, logLevel: this.config.logLevel });
    if (def.mode === 'system') {
      return { vm: 'inproc', args: [], env: { ...env, CORE_CHAINCODE_PATH: def.path } };
    }
    if (def.mode === 'external') {
      // What Fabric's ccaas builder releases: connection.json, which the external runtime dials by.
      const dial = def.connection ?? (def.address ? { address: def.address, dialTimeoutMs: FABRIC_DIAL_TIMEOUT_MS } : undefined);
      if (!dial) throw new Error(`chaincode ${ccid} runs as a service but has no address`);
      return { vm: 'external', args: [dial.address], env, files: [{ path: CONNECTION_FILE, content: dialConnectionJson(dial) }] };
    }
    if (def.mode !== 'net') throw new Error(`no runtime starts ${String(def.mode)}-mode chaincode ${ccid}`);
    const external = this.externalAddress();
    // Packaging reads and hashes the folder; the tar is only streamed if the image must be built.
    const prepared = await prepareBuild(platformFor(def.language), def.path, { baseImages: this.config.baseImages });
    let peerAddress = this.peer.address;
    let tls: ChaincodeTLSMaterial | undefined;
    if (this.config.netModeTls) {
      const { address, authority } = await this.peer.enableTls(external ? { listen: tlsListenerFor(external), extraHosts: [external.host] } : {});
      const client = await authority.issueClientCertificate(ccid);
      tls = { clientKeyPem: client.keyPem, clientCertPem: client.certPem, rootCertPem: authority.ca.certPem };
      peerAddress = address;
    }
    if (external) {
      peerAddress = dialAddress(external, Number(peerAddress.slice(peerAddress.lastIndexOf(':') + 1)));
    } else if (this.config.networkMode === 'bridge-host-gateway') {
      // Without host networking the container reaches the host through Docker's gateway name.
      peerAddress = peerAddress.replace(/^[^:]+/, 'host.docker.internal');
    }
    const params = launchParameters({ language: def.language, ccid, peerAddress, tls, mspId: this.mspId, logLevel: this.config.logLevel });
    const { builder, imageTag, dependencies } = prepared;
    return { vm: 'docker', args: params.args, env: params.env, files: params.files, builder, imageTag, dependencies };
  }

  /** The address containers of a remote Docker engine dial, checked before anything is built. */
  private externalAddress(): HostPort | undefined {
    const address = this.config.peerExternalAddress;
    if (address === undefined) return undefined;
    const external = parseExternalAddress(address);
    // Reachable from elsewhere, the peer takes only chaincode that proves who it is.
    if (!this.config.netModeTls)
      throw new ExternalAddressError(address, `the peer's external address ${address} needs net mode's mutual TLS between peer and chaincode, which is turned off`);
    return external;
  }
}

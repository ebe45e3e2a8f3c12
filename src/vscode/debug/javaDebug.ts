/**
 * Java chaincode under the Java debugger (`type: java`, from the Java debugger extension). The Java
 * shim reads the peer address from CORE_PEER_ADDRESS. The main class comes from the configuration's
 * `program`, the build file, or the contract API's router (without a debugger, dev mode runs the
 * built jar: engine/launch/devStart.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChaincodeDebugConfiguration, DebuggerConfig, ResolveInput } from './chaincodeDebug';

export const CONTRACT_ROUTER = 'org.hyperledger.fabric.contract.ContractRouter';

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The main class named by the Gradle or Maven build, if any. */
export function buildMainClass(folder: string): string | undefined {
  const gradle = read(path.join(folder, 'build.gradle')) + read(path.join(folder, 'build.gradle.kts'));
  const g = /mainClass(?:Name)?\s*(?:=|\.set\()\s*['"]([\w.$]+)['"]/.exec(gradle) ?? /['"]Main-Class['"]\s*:\s*['"]([\w.$]+)['"]/.exec(gradle);
  if (g) return g[1];
  const pom = read(path.join(folder, 'pom.xml'));
  return /<mainClass>\s*([\w.$]+)\s*<\/mainClass>/.exec(pom)?.[1];
}

export class JavaDebugConfiguration extends ChaincodeDebugConfiguration {
  readonly language = 'java' as const;
  readonly debuggerType = 'java';
  readonly debuggerExtension = 'vscjava.vscode-java-debug';

  mainClass(input: ResolveInput): string {
    const p = input.config.program;
    if (p && !p.endsWith('.jar')) return p;
    return buildMainClass(input.chaincode.folder) ?? CONTRACT_ROUTER;
  }

  protected debuggerConfig(input: ResolveInput, env: Record<string, string>): Omit<DebuggerConfig, 'type' | 'request' | 'name'> {
    return {
      mainClass: this.mainClass(input),
      projectName: path.basename(input.chaincode.folder),
      cwd: input.chaincode.folder,
      args: [...(input.config.args ?? [])],
      env,
      console: 'internalConsole',
    };
  }
}

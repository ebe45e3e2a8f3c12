/**
 * Java chaincode under the Java debugger (`type: java`, from the Java debugger extension). The Java
 * shim reads the peer address from CORE_PEER_ADDRESS. The main class comes from the configuration's
 * `program`, the build file, or the contract API's router.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ChaincodeDebugConfiguration, DebugConfigError, DebuggerConfig, ProcessPlan, ResolveInput } from './chaincodeDebug';

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

/** The runnable (fat) jar a build produced, preferring shadow / with-dependencies jars. */
export function findJar(folder: string): string | undefined {
  const candidates: string[] = [];
  for (const dir of ['build/libs', 'target']) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(path.join(folder, dir));
    } catch {
      continue;
    }
    for (const n of names) {
      if (n.endsWith('.jar') && !/-(sources|javadoc|plain)\.jar$/.test(n) && !n.startsWith('original-')) candidates.push(path.join(folder, dir, n));
    }
  }
  const rank = (p: string): number => (/-(all|jar-with-dependencies|shaded)\.jar$/.test(p) ? 0 : 1);
  return candidates.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
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

  processPlan(input: ResolveInput): ProcessPlan {
    const given = input.config.program?.endsWith('.jar') ? path.resolve(input.chaincode.folder, input.config.program) : undefined;
    const jar = given ?? findJar(input.chaincode.folder);
    if (!jar) {
      const how = input.chaincode.build === 'maven' ? 'mvn package' : 'gradle shadowJar (or gradle build)';
      throw new DebugConfigError(`no runnable jar in ${input.chaincode.folder}: build it first (${how}), or debug it with F5`);
    }
    return { command: 'java', args: ['-jar', jar, ...(input.config.args ?? [])], cwd: input.chaincode.folder, env: this.env(input) };
  }
}

/**
 * The languages New Project writes, and for each the steps that install its dependencies and the
 * command that runs its own unit tests. Versions are pinned in the templates, not here.
 */
import * as os from 'os';
import type { Language } from '../platforms/types';

export type ScaffoldLanguage = 'node' | 'typescript' | 'go' | 'java';

export const SCAFFOLD_LANGUAGES: readonly ScaffoldLanguage[] = ['node', 'typescript', 'go', 'java'];

export function isScaffoldLanguage(value: string): value is ScaffoldLanguage {
  return (SCAFFOLD_LANGUAGES as readonly string[]).includes(value);
}

/** One run of a tool in the project's folder. */
export interface ToolStep {
  readonly command: string;
  readonly args: readonly string[];
  /** Environment added to the inherited one. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LanguageSetup {
  readonly label: string;
  /** What the project is, one line (the editor's language pick shows it). */
  readonly description: string;
  /** The engine's language for launching the project (TypeScript runs as Node). */
  readonly engineLanguage: Language;
  /** Install dependencies and build what the chaincode needs to start, in order. */
  readonly install: readonly ToolStep[];
  /** The project's own unit tests. */
  readonly test: ToolStep;
}

// npm: no audit/fund chatter; --prefer-offline uses what npm's cache holds without asking the
// registry whether it is current (the templates pin exact versions, so nothing newer is missed).
const NPM_INSTALL: ToolStep = { command: 'npm', args: ['install', '--no-audit', '--no-fund', '--prefer-offline'], env: { NPM_CONFIG_UPDATE_NOTIFIER: 'false' } };
const NPM_TEST: ToolStep = { command: 'npm', args: ['test'], env: { NPM_CONFIG_UPDATE_NOTIFIER: 'false' } };
// Maven: batch mode without colours (Maven 3.8 prints colour codes even in batch mode otherwise).
const MAVEN = ['-B', '-Dstyle.color=never'];

export const LANGUAGES: Readonly<Record<ScaffoldLanguage, LanguageSetup>> = {
  node: {
    label: 'JavaScript',
    description: 'fabric-contract-api on Node.js, tested with mocha',
    engineLanguage: 'node',
    install: [NPM_INSTALL],
    test: NPM_TEST,
  },
  typescript: {
    label: 'TypeScript',
    description: 'fabric-contract-api in TypeScript (built with tsc, with source maps), tested with mocha',
    engineLanguage: 'node',
    install: [NPM_INSTALL, { command: 'npm', args: ['run', 'build'], env: { NPM_CONFIG_UPDATE_NOTIFIER: 'false' } }],
    test: NPM_TEST,
  },
  go: {
    label: 'Go',
    description: 'fabric-contract-api-go (contractapi), tested with go test',
    engineLanguage: 'golang',
    // The build fills Go's build cache, so the first F5 (go run / Delve) does not compile the
    // dependencies while the peer waits for registration; the binary itself is not kept.
    install: [
      { command: 'go', args: ['mod', 'download'] },
      { command: 'go', args: ['build', '-o', os.devNull, '.'] },
    ],
    test: { command: 'go', args: ['test', './...'] },
  },
  java: {
    label: 'Java',
    description: 'fabric-chaincode-java contract API with Maven, tested with JUnit',
    engineLanguage: 'java',
    // package builds target/chaincode.jar, what dev mode runs; the tests run with `mvn test`.
    install: [{ command: 'mvn', args: [...MAVEN, 'package', '-DskipTests'] }],
    test: { command: 'mvn', args: [...MAVEN, 'test'] },
  },
};

/** The command line of a step as a user would type it. */
export function commandLine(step: ToolStep): string {
  return [step.command, ...step.args].join(' ');
}

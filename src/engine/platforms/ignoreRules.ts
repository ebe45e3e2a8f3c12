/**
 * Which files of a chaincode folder are packaged: `.gitignore` / `.npmignore` per directory (the
 * closest file wins, as in git), `.dockerignore` at the root (anchored, Docker's meaning), and never
 * `.git`. Built on the `ignore` package, which implements gitignore's matching.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Per directory: the first of these that exists there is read (npm uses .npmignore over .gitignore). */
export type IgnoreFileChoice = readonly ('.gitignore' | '.npmignore')[];

export const ALWAYS_EXCLUDED = new Set(['.git']);

interface Scope {
  /** Directory of the ignore file, relative to the root ('' for the root). */
  readonly base: string;
  readonly rules: Ignore;
}

export class IgnoreRules {
  private constructor(private readonly scopes: readonly Scope[]) {}

  /** Rules at the root: `.dockerignore` plus the chosen per-directory file. */
  static async forRoot(root: string, choice: IgnoreFileChoice): Promise<IgnoreRules> {
    const scopes: Scope[] = [];
    const docker = await readOptional(path.join(root, '.dockerignore'));
    if (docker !== undefined) scopes.push({ base: '', rules: ignore().add(dockerToGitignore(docker)) });
    const own = await IgnoreRules.readChoice(root, choice);
    if (own !== undefined) scopes.push({ base: '', rules: ignore().add(own) });
    return new IgnoreRules(scopes);
  }

  /** Rules for a subdirectory: these plus its own ignore file, if any. */
  async enter(root: string, relDir: string, choice: IgnoreFileChoice): Promise<IgnoreRules> {
    const own = await IgnoreRules.readChoice(path.join(root, relDir), choice);
    if (own === undefined) return this;
    return new IgnoreRules([...this.scopes, { base: relDir, rules: ignore().add(own) }]);
  }

  /** `relPath` is posix, relative to the root. The deepest scope with an opinion decides. */
  ignores(relPath: string, isDirectory: boolean): boolean {
    if (relPath.split('/').some((part) => ALWAYS_EXCLUDED.has(part))) return true;
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const scope = this.scopes[i];
      const rel = scope.base === '' ? relPath : relPath.slice(scope.base.length + 1);
      const result = scope.rules.test(isDirectory ? `${rel}/` : rel);
      if (result.ignored) return true;
      if (result.unignored) return false;
    }
    return false;
  }

  private static async readChoice(dir: string, choice: IgnoreFileChoice): Promise<string | undefined> {
    for (const name of choice) {
      const text = await readOptional(path.join(dir, name));
      if (text !== undefined) return text;
    }
    return undefined;
  }
}

/**
 * `.dockerignore` patterns are relative to the context root (`foo` means `/foo`, not any `foo`),
 * whereas gitignore's unanchored patterns match at any depth: anchor each one.
 */
export function dockerToGitignore(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negated = line.startsWith('!');
      let pattern = (negated ? line.slice(1) : line).replace(/^\.\//, '');
      if (!pattern.startsWith('/')) pattern = `/${pattern}`;
      return negated ? `!${pattern}` : pattern;
    })
    .join('\n');
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

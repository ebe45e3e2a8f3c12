/**
 * A new project's name and the identifiers derived from it. The name is the chaincode name (so it
 * follows Fabric's rule) and also names the npm package, the Go module and the Maven artifact; the
 * contract class and the Java package are derived from it.
 */
import * as path from 'path';
import { isValidChaincodeName, toChaincodeName } from '../workspace/detect';
import { ScaffoldError } from './errors';

export interface ProjectNames {
  /** The chaincode name: Fabric's rule `^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$`. */
  readonly name: string;
  /** The contract's class (Node, TypeScript, Java) or struct (Go), e.g. `MyAssetsContract`. */
  readonly contractClass: string;
  /** The Java package, e.g. `org.example.my_assets`. */
  readonly javaPackage: string;
}

/**
 * Why `name` cannot name a chaincode, or undefined when it can. The rule is Fabric's
 * (core/chaincode/lifecycle/scc.go, ChaincodeNameRegExp).
 */
export function projectNameProblem(name: string): string | undefined {
  if (!name) return 'a chaincode name must not be empty';
  if (!isValidChaincodeName(name)) {
    return `${JSON.stringify(name)} is not a valid chaincode name: use letters and digits, with single - or _ between them (Fabric's rule ^[a-zA-Z0-9]+([-_][a-zA-Z0-9]+)*$)`;
  }
  return undefined;
}

/** The name a project in `folder` gets when none is given: the folder's name, made valid. */
export function defaultProjectName(folder: string): string {
  return toChaincodeName(path.basename(path.resolve(folder)));
}

/** Java's reserved words: a package segment must not be one. */
const JAVA_KEYWORDS = new Set(
  (
    'abstract assert boolean break byte case catch char class const continue default do double else enum extends false final ' +
    'finally float for goto if implements import instanceof int interface long native new null package private protected public ' +
    'return short static strictfp super switch synchronized this throw throws transient true try void volatile while _'
  ).split(' '),
);

function pascalCase(name: string): string {
  return name
    .split(/[-_]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function projectNames(name: string): ProjectNames {
  const problem = projectNameProblem(name);
  if (problem) throw new ScaffoldError(problem);
  let base = pascalCase(name);
  if (/^[0-9]/.test(base)) base = `Cc${base}`; // class names cannot start with a digit
  const contractClass = base.endsWith('Contract') ? base : `${base}Contract`;
  let segment = name.toLowerCase().replace(/-/g, '_');
  if (/^[0-9]/.test(segment) || JAVA_KEYWORDS.has(segment)) segment = `cc_${segment}`;
  return { name, contractClass, javaPackage: `org.example.${segment}` };
}

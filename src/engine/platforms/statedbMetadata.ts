/**
 * The chaincode metadata a package may carry under META-INF: CouchDB index definitions, for the
 * channel or for one private data collection. Ported from Fabric's
 * `core/chaincode/platforms/ccmetadata/validators.go` (`ValidateMetadataFile`), with its messages:
 * the peer refuses a package whose metadata fails these checks, so packaging refuses it first.
 */

const COLLECTION_NAME = '[A-Za-z0-9_-]+';
const VALIDATED = [new RegExp('^META-INF/statedb/couchdb/indexes/.*[.]json'), new RegExp(`^META-INF/statedb/couchdb/collections/${COLLECTION_NAME}/indexes/.*[.]json`)];

export class MetadataFileError extends Error {
  override readonly name = 'MetadataFileError';
}

/** `file` is the package path (`META-INF/…`). Throws `MetadataFileError` with Fabric's message. */
export function validateMetadataFile(file: string, content: Buffer): void {
  if (!VALIDATED.some((rule) => rule.test(file))) throw new MetadataFileError(unhandledDirectoryMessage(file));
  let definition: unknown;
  try {
    definition = JSON.parse(content.toString('utf8'));
  } catch {
    throw new MetadataFileError(`Index metadata file [${file}] is not a valid JSON`);
  }
  // Go unmarshals into a map: null is an empty map, anything else but an object fails.
  if (definition !== null && (typeof definition !== 'object' || Array.isArray(definition))) {
    throw new MetadataFileError(`Index metadata file [${file}] is not a valid JSON`);
  }
  const problem = indexDefinitionProblem((definition ?? {}) as Record<string, unknown>);
  if (problem) throw new MetadataFileError(`Index metadata file [${file}] is not a valid index definition: ${problem}`);
}

/** Fabric's `buildMetadataFileErrorMessage`: what is wrong with the path. */
function unhandledDirectoryMessage(file: string): string {
  const slash = file.lastIndexOf('/');
  const dir = file.slice(0, slash + 1);
  const name = file.slice(slash + 1);
  if (!file.startsWith('META-INF/statedb')) return `metadata file path must begin with META-INF/statedb, found: ${dir}`;
  const parts = dir.replace(/\/+$/, '').split('/');
  if (parts.length < 4) return `metadata file path must include a database and index directory: ${dir}`;
  if (parts[2] !== 'couchdb') return `database name [${parts[2]}] is not supported, valid options: [couchdb]`;
  if (parts.length === 4 && parts[3] !== 'indexes') return `metadata file path does not have an indexes directory: ${dir}`;
  if (parts.length !== 6) return `metadata file path for collections must include a collections and index directory: ${dir}`;
  if (parts[3] !== 'collections' || parts[5] !== 'indexes') return `metadata file path for collections must have a collections and indexes directory: ${dir}`;
  if (!new RegExp(`^${COLLECTION_NAME}`).test(parts[4])) return `collection name is not valid: ${parts[4]}`;
  if (!/^.*[.]json/.test(name)) return `artifact file name is not valid: ${name}`;
  return `metadata file path or name is not supported: ${dir}`;
}

/** Fabric's `validateIndexJSON`. */
function indexDefinitionProblem(definition: Record<string, unknown>): string | undefined {
  let hasIndex = false;
  for (const [key, value] of Object.entries(definition)) {
    switch (key) {
      case 'index': {
        if (!isObject(value)) return 'Invalid entry, "index" must be a JSON';
        const problem = indexProblem(value);
        if (problem) return problem;
        hasIndex = true;
        break;
      }
      case 'ddoc':
        if (typeof value !== 'string') return 'Invalid entry, "ddoc" must be a string';
        break;
      case 'name':
        if (typeof value !== 'string') return 'Invalid entry, "name" must be a string';
        break;
      case 'type':
        if (value !== 'json') return 'Index type must be json';
        break;
      default:
        return `Invalid Entry.  Entry ${key}`;
    }
  }
  return hasIndex ? undefined : 'Index definition must include a "fields" definition';
}

/** Fabric's `processIndexMap`. */
function indexProblem(index: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(index)) {
    if (key === 'partial_filter_selector') continue; // accepted as it is, as Fabric does
    if (key !== 'fields') return `Invalid Entry.  Entry ${key}`;
    if (!Array.isArray(value)) return 'Expecting a JSON array of fields';
    for (const field of value) {
      // A name ("color") or a sort ({"size":"asc"}); Go passes anything else through.
      if (!isObject(field)) continue;
      for (const sort of Object.values(field)) {
        if (typeof sort !== 'string') return 'Invalid field definition, fields must be in the form "fieldname":"sort"';
        if (!['asc', 'desc'].includes(sort.toLowerCase())) return `Sort must be either "asc" or "desc".  "${sort}" was found.`;
      }
    }
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reading the files a connection is described in: JSON or YAML (connection profiles come in
 * both), paths relative to the file that names them, PEM files, and the first file of a folder
 * (an MSP's signcerts/ and keystore/ hold one each). Every error names the file and the field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConnectionConfigError } from './types';

/** A parsed mapping and where it came from, so each field's error can say `FILE: field …`. */
export interface ConfigObject {
  readonly file: string;
  /** The dotted path of this object in the file ('' at the top). */
  readonly at: string;
  readonly value: Readonly<Record<string, unknown>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The field's full name in messages: `peers["peer0.org1.example.com"].url`. */
export function fieldName(obj: ConfigObject, key: string): string {
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (obj.at === '') return part;
  return part.startsWith('"') ? `${obj.at}[${part}]` : `${obj.at}.${part}`;
}

export function configError(obj: ConfigObject, key: string, problem: string, cause?: unknown): ConnectionConfigError {
  return new ConnectionConfigError(`${obj.file}: ${fieldName(obj, key)} ${problem}`, cause === undefined ? undefined : { cause });
}

/** Reads and parses a JSON or YAML file (by extension; anything else is tried as YAML, which JSON is a subset of). */
export function readConfigFile(file: string): ConfigObject {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConnectionConfigError(`${file}: cannot read it: ${(err as Error).message}`, { cause: err });
  }
  let value: unknown;
  try {
    if (path.extname(file).toLowerCase() === '.json') {
      value = JSON.parse(text);
    } else {
      // Loaded here, not at the top: only a YAML file pays for the parser.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const yaml = require('js-yaml') as typeof import('js-yaml');
      value = yaml.load(text, { filename: file });
    }
  } catch (err) {
    throw new ConnectionConfigError(`${file} does not parse: ${(err as Error).message}`, { cause: err });
  }
  if (!isRecord(value)) throw new ConnectionConfigError(`${file}: expected a mapping of fields at the top, got ${describe(value)}`);
  return { file, at: '', value };
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

export function optionalString(obj: ConfigObject, key: string): string | undefined {
  const v = obj.value[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '') throw configError(obj, key, `must be a non-empty string, got ${describe(v)}`);
  return v;
}

export function requiredString(obj: ConfigObject, key: string, what: string): string {
  const v = optionalString(obj, key);
  if (v === undefined) throw configError(obj, key, `is missing: ${what}`);
  return v;
}

export function optionalObject(obj: ConfigObject, key: string): ConfigObject | undefined {
  const v = obj.value[key];
  if (v === undefined || v === null) return undefined;
  if (!isRecord(v)) throw configError(obj, key, `must be a mapping, got ${describe(v)}`);
  return { file: obj.file, at: fieldName(obj, key), value: v };
}

export function requiredObject(obj: ConfigObject, key: string, what: string): ConfigObject {
  const v = optionalObject(obj, key);
  if (v === undefined) throw configError(obj, key, `is missing: ${what}`);
  return v;
}

/** A path field, resolved against the directory of the file that names it. */
export function optionalPath(obj: ConfigObject, key: string): string | undefined {
  const v = optionalString(obj, key);
  return v === undefined ? undefined : path.resolve(path.dirname(obj.file), v);
}

/** A file a field names, read as text; a folder stands for its first file (an MSP's signcerts/, keystore/). */
export function readNamedFile(obj: ConfigObject, key: string, file: string): { readonly file: string; readonly text: string } {
  try {
    const actual = fs.statSync(file).isDirectory() ? firstFile(file) : file;
    return { file: actual, text: fs.readFileSync(actual, 'utf8') };
  } catch (err) {
    throw configError(obj, key, `names ${file}, which cannot be read: ${(err as Error).message}`, err);
  }
}

/** The first file of a folder by name (hidden files skipped), as the fabric-samples applications pick a certificate and key. */
export function firstFile(dir: string): string {
  const name = fs
    .readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()[0];
  if (!name) throw new Error(`${dir} has no file`);
  return path.join(dir, name);
}

/** A PEM read from a file, checked to hold the block it should (a certificate, a private key). */
export function readPem(obj: ConfigObject, key: string, file: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): { readonly file: string; readonly pem: string } {
  const { file: actual, text } = readNamedFile(obj, key, file);
  const marker = kind === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN (EC |RSA |ENCRYPTED )?PRIVATE KEY-----/;
  if (!marker.test(text)) throw configError(obj, key, `names ${actual}, which holds no PEM ${kind.toLowerCase()}`);
  return { file: actual, pem: text };
}

/**
 * What a chaincode folder is: its language and the default name and version a user expects
 * (package.json's, go.mod's module, the folder name).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Language } from '../engine/config';
import { detectPlatform } from '../engine/platforms';

export interface ChaincodeFolder {
  readonly folder: string;
  readonly language: Language;
  readonly name: string;
  readonly version: string;
}

function sanitise(name: string): string {
  // Fabric chaincode names: letters, digits, '_', '-', '.'; npm scopes are dropped.
  return name.replace(/^@[^/]+\//, '').replace(/[^A-Za-z0-9_.-]/g, '-');
}

export async function describeChaincodeFolder(folder: string): Promise<ChaincodeFolder> {
  const abs = path.resolve(folder);
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new Error(`${folder} is not a folder`);
  const platform = await detectPlatform(abs);
  if (!platform) {
    throw new Error(`${folder} does not look like chaincode: no package.json using fabric-shim/fabric-contract-api, go.mod, pom.xml or build.gradle`);
  }
  let name = path.basename(abs);
  let version = '1.0';
  if (platform.language === 'node') {
    const pkg = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8')) as { name?: string; version?: string };
    if (pkg.name) name = pkg.name;
    if (pkg.version) version = pkg.version;
  } else if (platform.language === 'golang') {
    const mod = /^module\s+(\S+)/m.exec(fs.readFileSync(path.join(abs, 'go.mod'), 'utf8'));
    if (mod) name = mod[1].split('/').pop() ?? name;
  }
  return { folder: abs, language: platform.language, name: sanitise(name), version };
}

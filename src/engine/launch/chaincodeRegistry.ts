/**
 * Our LSCC: the definitions of the chaincodes the user launched, persisted in the data directory as
 * Fabric ChaincodeDeploymentSpecs, so an invocation of a chaincode that is not running can find
 * what to launch (launch-flow step 2) even after a restart.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codecs } from '../wire/codec';
import { ChaincodeSpecType } from '../wire/messages';
import type { Language } from '../platforms/types';
import { ChaincodeDefinition, LaunchMode } from './types';
import { chaincodeId } from '../chaincodeId';

interface StoredDeployment {
  /** base64 of a serialized protos.ChaincodeDeploymentSpec. */
  readonly deploymentSpec: string;
  readonly mode: LaunchMode;
  readonly address?: string;
}

const LANGUAGE_TO_TYPE: Record<Language, ChaincodeSpecType> = {
  node: ChaincodeSpecType.NODE,
  golang: ChaincodeSpecType.GOLANG,
  java: ChaincodeSpecType.JAVA,
};

function languageOf(type: ChaincodeSpecType): Language {
  if (type === ChaincodeSpecType.GOLANG || type === ChaincodeSpecType.CAR) return 'golang';
  if (type === ChaincodeSpecType.JAVA) return 'java';
  return 'node';
}

export function encodeDeployment(def: ChaincodeDefinition): Buffer {
  return codecs.ChaincodeDeploymentSpec.encode({
    chaincode_spec: { type: LANGUAGE_TO_TYPE[def.language], chaincode_id: { name: def.name, version: def.version, path: def.path } },
  });
}

export function decodeDeployment(bytes: Buffer, mode: LaunchMode, address?: string): ChaincodeDefinition {
  const cds = codecs.ChaincodeDeploymentSpec.decode(bytes);
  const id = cds.chaincode_spec?.chaincode_id;
  if (!id?.name) throw new Error('stored deployment spec has no chaincode name');
  const def = { name: id.name, version: id.version ?? '', path: id.path ?? '', language: languageOf(cds.chaincode_spec?.type ?? 0), mode };
  return address ? { ...def, address } : def;
}

export class ChaincodeRegistry {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, StoredDeployment>,
  ) {}

  static async open(dataDir: string): Promise<ChaincodeRegistry> {
    const file = path.join(dataDir, 'chaincodes.json');
    let entries = new Map<string, StoredDeployment>();
    try {
      entries = new Map(Object.entries(JSON.parse(await fs.promises.readFile(file, 'utf8')) as Record<string, StoredDeployment>));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the chaincode registry ${file}: ${(err as Error).message}`, { cause: err });
    }
    return new ChaincodeRegistry(file, entries);
  }

  get(ccid: string): ChaincodeDefinition | undefined {
    const stored = this.entries.get(ccid);
    return stored ? decodeDeployment(Buffer.from(stored.deploymentSpec, 'base64'), stored.mode, stored.address) : undefined;
  }

  async put(def: ChaincodeDefinition): Promise<void> {
    this.entries.set(chaincodeId(def.name, def.version), { deploymentSpec: encodeDeployment(def).toString('base64'), mode: def.mode, address: def.address });
    // One write at a time: concurrent launches would otherwise rename the same temp file twice.
    const write = this.writing.then(() => this.save());
    this.writing = write.catch(() => undefined);
    return write;
  }

  private async save(): Promise<void> {
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(Object.fromEntries(this.entries), null, 2));
    await fs.promises.rename(tmp, this.file);
  }
}

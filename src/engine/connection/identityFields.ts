/**
 * The signing identity of a connection as a network file gives it: `mspId`, `cert` and `key`,
 * each file or the MSP folder that holds one (signcerts/, keystore/), as the fabric-samples
 * applications read a user's credentials.
 */
import { configError, optionalPath, readPem, requiredString, type ConfigObject } from './configFile';
import type { ConnectionIdentity } from './types';

/** Reads the identity fields; `defaults` fill what the form knows (a profile's MSP id, a folder's User1). */
export function identityFields(obj: ConfigObject, defaults: Partial<Record<'mspId' | 'cert' | 'key', string>> = {}): ConnectionIdentity {
  const mspId = obj.value.mspId === undefined && defaults.mspId ? defaults.mspId : requiredString(obj, 'mspId', "the MSP id of the identity's organisation, e.g. Org1MSP");
  const certPath = optionalPath(obj, 'cert') ?? defaults.cert;
  const keyPath = optionalPath(obj, 'key') ?? defaults.key;
  if (certPath === undefined) throw configError(obj, 'cert', "is missing: the user's certificate (a PEM file, or the MSP's signcerts folder)");
  if (keyPath === undefined) throw configError(obj, 'key', "is missing: the user's private key (a PEM file, or the MSP's keystore folder)");
  const cert = readPem(obj, 'cert', certPath, 'CERTIFICATE');
  const key = readPem(obj, 'key', keyPath, 'PRIVATE KEY');
  return { mspId, certPem: cert.pem, keyPem: key.pem, certFile: cert.file, keyFile: key.file };
}

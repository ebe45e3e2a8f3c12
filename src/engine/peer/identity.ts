/**
 * The identity that signs (nominally) every proposal: an MSP CA and a client certificate, generated
 * once per data directory and reused, so `ctx.clientIdentity` is stable across sessions.
 */
import * as fs from 'fs';
import * as path from 'path';
import { codecs } from '../wire/codec';
import { certificateSubject, createCertificateAuthority, issueCertificate, KeyPairPem } from '../crypto/certificates';

export interface CreatorIdentity {
  readonly mspId: string;
  readonly certPem: string;
  readonly subject: string;
  /** The serialized msp.SerializedIdentity placed in every SignatureHeader. */
  readonly serialized: Buffer;
}

function orgName(mspId: string): string {
  return mspId.replace(/MSP$/i, '') || 'Org1';
}

async function readOrCreate(file: string, create: () => Promise<KeyPairPem>): Promise<KeyPairPem> {
  try {
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as KeyPairPem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const pair = await create();
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(tmp, JSON.stringify(pair), { mode: 0o600 });
    await fs.promises.rename(tmp, file);
    return pair;
  }
}

/** Loads the creator identity for `mspId` from `dataDir/identity/`, creating it the first time. */
export async function loadCreatorIdentity(dataDir: string, mspId: string): Promise<CreatorIdentity> {
  const dir = path.join(dataDir, 'identity');
  await fs.promises.mkdir(dir, { recursive: true });
  const org = orgName(mspId);
  const domain = `${org.toLowerCase()}.example.com`;
  const ca = await readOrCreate(path.join(dir, `${mspId}-ca.json`), () =>
    createCertificateAuthority(`C=US, ST=North Carolina, O=${domain}, CN=ca.${domain}`),
  );
  const user = await readOrCreate(path.join(dir, `${mspId}-user1.json`), () =>
    issueCertificate(ca, { subject: `C=US, ST=North Carolina, O=${domain}, OU=client, CN=user1@${domain}`, usage: 'identity' }),
  );
  const serialized = codecs.SerializedIdentity.encode({ mspid: mspId, id_bytes: Buffer.from(user.certPem) });
  return { mspId, certPem: user.certPem, subject: certificateSubject(user.certPem), serialized };
}

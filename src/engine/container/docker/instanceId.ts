/**
 * Which engine on a Docker host a container or image belongs to. Two engines (two workspaces, or
 * the CLI beside the editor) with the same network and peer ids would otherwise share container
 * names and labels: one's start removes the other's container of the same name, one's cleanup
 * removes the other's images, and each lists the other's containers as its own.
 *
 * The id is random and kept in the engine's data directory, so it belongs to that data (ledger,
 * registry, and the containers built for them): an engine restarted on the same data directory
 * recognises its own leftovers and removes them, and engines on different data directories never
 * touch each other's. Random rather than derived from the directory's path: two machines sharing
 * one Docker engine (a remote endpoint) can have data directories at the same path.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const INSTANCE_ID_FILE = 'engine-instance-id';

/** Lowercase hex: valid in container names and in image repository names (lowercase only). */
const INSTANCE_ID = /^[0-9a-f]{8}$/;

export class EngineInstanceIdError extends Error {
  override readonly name = 'EngineInstanceIdError';
}

export function isInstanceId(text: string): boolean {
  return INSTANCE_ID.test(text);
}

/**
 * The data directory's engine instance id, made on first use. A file that does not hold one (cut
 * short, edited) is replaced: its engine's leftovers are then strangers, which the user can still
 * remove from the Containers view.
 */
export async function engineInstanceId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, INSTANCE_ID_FILE);
  const existing = await readId(file);
  if (existing !== undefined && isInstanceId(existing)) return existing;
  await mkdir(dataDir, { recursive: true });
  const id = randomBytes(4).toString('hex');
  // Written whole under a temporary name first: a reader never sees half an id.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${id}\n`);
  try {
    if (existing !== undefined) {
      await rename(temp, file); // replaces the unusable one
      return id;
    }
    try {
      // link() fails if the file exists: of two engines starting at once on a new data
      // directory, one id wins and both use it.
      await link(temp, file);
      return id;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const winner = await readId(file);
      if (winner !== undefined && isInstanceId(winner)) return winner;
      throw new EngineInstanceIdError(`${file} does not hold an engine instance id; delete it and start again`, { cause: err });
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readId(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

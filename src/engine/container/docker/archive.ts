/** The tar of files uploaded into a container before start (Fabric 2.x uploads TLS files so). */
import { pack } from 'tar-stream';
import type { ContainerFile } from '../types';

/** A tar to extract at `/`: entries in the given order, fixed owner and time (reproducible). */
export async function filesTar(files: readonly ContainerFile[]): Promise<Buffer> {
  const tar = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    tar.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
    tar.on('end', () => resolve(Buffer.concat(chunks)));
    tar.on('error', reject);
  });
  for (const file of files) {
    if (!file.path.startsWith('/')) throw new Error(`container file path must be absolute: ${file.path}`);
    await new Promise<void>((resolve, reject) =>
      tar.entry(
        // Docker creates missing parent directories (0755, root) while extracting.
        { name: file.path.replace(/^\/+/, ''), mode: file.mode ?? 0o644, mtime: new Date(0), uid: 0, gid: 0 },
        file.content,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  tar.finalize();
  return done;
}

/**
 * Package Chaincode: writes a package in Fabric 2.x's lifecycle format (`peer lifecycle chaincode
 * package`): a .tar.gz holding metadata.json ({ type, label, path }) and code.tar.gz (the sources under
 * src/, with the ignore rules the engine's packaging honours), ready for `peer lifecycle chaincode
 * install` on a real network.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pack } from 'tar-stream';
import * as vscode from 'vscode';
import * as zlib from 'zlib';
import { collectPackage } from '../../engine/platforms/packaging';
import { detectChaincode } from '../../engine/workspace/detect';
import type { Ctx } from '../ctx';
import { workspaceChaincodes } from './launchChaincode';
import { orCancel } from './registerCommands';

async function tarGz(files: readonly { name: string; content?: Buffer; source?: string; mode?: number }[]): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const gz = p.pipe(zlib.createGzip());
  gz.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    gz.on('end', resolve);
    gz.on('error', reject);
  });
  for (const f of files) {
    const content = f.content ?? (await fs.promises.readFile(f.source as string));
    await new Promise<void>((resolve, reject) => p.entry({ name: f.name, mode: f.mode ?? 0o644, mtime: new Date(0) }, content, (err) => (err ? reject(err) : resolve())));
  }
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export async function packageChaincode(ctx: Ctx, arg?: { folder?: string; output?: string }): Promise<string> {
  let cc = arg?.folder ? detectChaincode(arg.folder) : undefined;
  if (!cc) {
    const all = workspaceChaincodes();
    if (all.length === 0) throw new Error(vscode.l10n.t('No chaincode found in the workspace.'));
    cc = all.length === 1 ? all[0] : orCancel(await vscode.window.showQuickPick(all.map((c) => ({ label: c.name, description: c.folder, c })), { title: vscode.l10n.t('Package Chaincode') })).c;
  }
  const label = `${cc.name}_${cc.version}`;
  const entries = await collectPackage(cc.folder, { ignoreFiles: cc.language === 'node' ? ['.npmignore', '.gitignore'] : ['.gitignore'] });
  const files = entries.filter((e) => e.type === 'file' && !e.path.startsWith('node_modules/'));
  const code = await tarGz(files.map((e) => ({ name: `src/${e.path}`, source: e.source, mode: e.mode })));
  const metadata = Buffer.from(JSON.stringify({ path: cc.language === 'golang' ? '' : cc.folder, type: cc.language, label }));
  const pkg = await tarGz([{ name: 'metadata.json', content: metadata }, { name: 'code.tar.gz', content: code }]);
  const output = arg?.output ?? path.join(cc.folder, `${label}.tar.gz`);
  await fs.promises.writeFile(output, pkg);
  ctx.log.info(`packaged ${cc.folder} (${files.length} files) into ${output}`);
  void vscode.window.showInformationMessage(vscode.l10n.t('Packaged {0} into {1} ({2} files).', label, path.basename(output), files.length));
  return output;
}

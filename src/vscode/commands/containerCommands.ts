/** Containers view: Show Logs (follows the container's output), Restart, Stop, Remove. */
import * as vscode from 'vscode';
import { LineSplitter } from '../../engine/util/lines';
import type { Ctx } from '../ctx';
import type { DockerContainers } from '../tree/containers/dockerContainers';
import { orCancel, targetOf } from './registerCommands';

async function containerOf(docker: DockerContainers, arg: unknown, title: string): Promise<{ id: string; ccid: string }> {
  const t = targetOf(arg);
  if (t?.kind === 'container') return { id: t.containerId, ccid: t.chaincodeId };
  const list = await docker.list();
  if (list.length === 0) throw new Error(vscode.l10n.t('No chaincode container.'));
  const picked = orCancel(
    await vscode.window.showQuickPick(
      list.map((c) => ({ label: c.ccid || c.name, description: c.status, c })),
      { title },
    ),
  );
  return { id: picked.c.id, ccid: picked.c.ccid };
}

const following = new Map<string, { destroy(): void }>();

/** Streams a container's logs (follow) into its chaincode's output channel. */
export async function showContainerLogs(ctx: Ctx, docker: DockerContainers, arg?: unknown): Promise<void> {
  const { id, ccid } = await containerOf(docker, arg, vscode.l10n.t('Show Logs'));
  const name = ccid || id.slice(0, 12);
  ctx.logs.show(name);
  // Launched containers already stream into the channel through the launcher.
  if (ctx.running().some((r) => r.ccid === ccid && r.container?.id === id) || following.has(id)) return;
  const stream = (await docker.client().getContainer(id).logs({ follow: true, stdout: true, stderr: true, tail: 500 })) as NodeJS.ReadableStream & { destroy(): void };
  following.set(id, stream);
  const [stdout, stderr] = [new LineSplitter((line) => ctx.logs.append(name, line)), new LineSplitter((line) => ctx.logs.append(name, line))];
  docker.client().modem.demuxStream(stream, stdout.writable(), stderr.writable());
  stream.on('end', () => {
    stdout.flush();
    stderr.flush();
    following.delete(id);
  });
}

/**
 * Seconds Docker waits after SIGTERM before it kills. A chaincode keeps no state of its own, and
 * `npm start` as the container's first process does not pass SIGTERM on, so Docker's default of 10 s
 * would only make Stop and Restart slow.
 */
const STOP_GRACE_SECONDS = 2;

export async function restartContainer(docker: DockerContainers, arg?: unknown): Promise<void> {
  const { id } = await containerOf(docker, arg, vscode.l10n.t('Restart Container'));
  await docker.client().getContainer(id).restart({ t: STOP_GRACE_SECONDS });
  await docker.refresh();
}

export async function stopContainer(docker: DockerContainers, arg?: unknown): Promise<void> {
  const { id } = await containerOf(docker, arg, vscode.l10n.t('Stop Container'));
  await docker.client().getContainer(id).stop({ t: STOP_GRACE_SECONDS });
  await docker.refresh();
}

export async function removeContainer(ctx: Ctx, docker: DockerContainers, arg?: unknown, options: { confirm?: boolean } = {}): Promise<void> {
  const { id, ccid } = await containerOf(docker, arg, vscode.l10n.t('Remove Container'));
  if (options.confirm !== false) {
    const remove = vscode.l10n.t('Remove');
    const pick = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the container of {0}? A running chaincode in it stops.', ccid || id.slice(0, 12)),
      { modal: true },
      remove,
    );
    orCancel(pick);
  }
  const engine = ctx.engine.current;
  if (engine && engine.launcher.running().some((r) => r.ccid === ccid && r.container?.id === id)) {
    // Ours from this session: the launcher stops and removes it and forgets the chaincode (the
    // Chaincodes view shows it stopped, not failed).
    await engine.launcher.stop(ccid);
  } else {
    await docker.client().getContainer(id).remove({ force: true });
  }
  await docker.refresh();
}

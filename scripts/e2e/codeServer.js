// Starts code-server (VS Code 1.100.3 with a real Node extension host) for the end-to-end tests and
// stops it by killing its whole process group (server, extension hosts, file watchers, debuggees).
// With `vsix`, installs that package first (`--install-extension`), as a user installs the extension.
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, ms, child) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`code-server did not answer on ${url} within ${ms} ms`);
}

/** `code-server --install-extension`, into the extensions folder the server will use; returns where it went. */
function installExtension({ bin, vsix, ud, exts, env }) {
  const r = spawnSync(bin, ['--install-extension', vsix, '--force', '--user-data-dir', ud, '--extensions-dir', exts], { encoding: 'utf8', env, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || '').trim().slice(-1000)}`);
  const installed = JSON.parse(fs.readFileSync(path.join(exts, 'extensions.json'), 'utf8'));
  if (installed.length !== 1) throw new Error(`expected one installed extension in ${exts}, found ${installed.length}`);
  return installed[0].location.path;
}

/**
 * @param {{ bin: string, runDir: string, workspace: string, env: Record<string,string>, settings: object, vsix?: string }} o
 * @returns {Promise<{ url: string, port: number, pid: number, stop: () => void, installedAt?: string }>}
 */
async function startCodeServer(o) {
  const ud = path.join(o.runDir, 'user-data');
  const exts = path.join(o.runDir, 'extensions');
  const home = path.join(o.runDir, 'home');
  for (const d of [path.join(ud, 'User'), exts, home]) fs.mkdirSync(d, { recursive: true });
  const env = { ...process.env, HOME: home, ...o.env };
  const installedAt = o.vsix ? installExtension({ bin: o.bin, vsix: o.vsix, ud, exts, env }) : undefined;
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify(o.settings, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(o.runDir, 'code-server.log'), 'w');
  const child = spawn(
    o.bin,
    [
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      ud,
      '--extensions-dir',
      exts,
      o.workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env },
  );
  fs.closeSync(log);
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    await waitHealthy(url, 60_000, child);
  } catch (err) {
    stop();
    throw err;
  }
  return { url, port, pid: child.pid, stop, installedAt };
}

module.exports = { startCodeServer, freePort };

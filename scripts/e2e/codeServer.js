// Starts code-server (VS Code 1.100.3 with a real Node extension host) for the end-to-end tests and
// stops it by killing its whole process group (server, extension hosts, file watchers, debuggees).
const { spawn } = require('child_process');
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

/**
 * @param {{ bin: string, runDir: string, workspace: string, env: Record<string,string>, settings: object }} o
 */
async function startCodeServer(o) {
  const ud = path.join(o.runDir, 'user-data');
  const exts = path.join(o.runDir, 'extensions');
  const home = path.join(o.runDir, 'home');
  for (const d of [path.join(ud, 'User'), exts, home]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify(o.settings, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(o.runDir, 'code-server.log'), 'w');
  const child = spawn(o.bin, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', '--user-data-dir', ud, '--extensions-dir', exts, o.workspace,
  ], { detached: true, stdio: ['ignore', log, log], env: { ...process.env, HOME: home, ...o.env } });
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
  return { url, port, pid: child.pid, stop };
}

module.exports = { startCodeServer, freePort };

'use strict';
// `swasd healthcheck` (docs/packaging.md): GET /healthz of the server its configuration
// describes -- --listen, SWASD_LISTEN or the config file's `listen`, a wildcard host meaning
// loopback -- one line on stdout, exit 0 when healthy and 1 otherwise. What the container
// image's HEALTHCHECK runs, with no curl in the image.
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const { startServer, makeTempDir, removeDir, newRootKey, rootEnv } = require('./lib/server');
const { runSwasd } = require('./lib/ops');

const dirs = [];
function tempDir() {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}
after(() => { for (const d of dirs) removeDir(d); });

// A loopback port nobody listens on (bound, then released).
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function assertHealthy(r, port) {
  assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, r.stdout);
  assert.match(lines[0], new RegExp(`^healthy: GET http://127\\.0\\.0\\.1:${port}/healthz 200 \\{"Status":"OK",`));
}

function assertUnhealthy(r, port, why) {
  assert.equal(r.status, 1, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, r.stdout);
  assert.ok(lines[0].startsWith(`unhealthy: GET http://127.0.0.1:${port}/healthz: `), lines[0]);
  assert.match(lines[0], why);
}

describe('swasd healthcheck', () => {
  it('exits 0 for a healthy server, found through --listen, SWASD_LISTEN or the config file', async () => {
    const server = await startServer({ env: rootEnv(newRootKey()), dataDir: tempDir() });
    try {
      assertHealthy(runSwasd(['healthcheck', '--listen', server.endpoint]), server.port);
      // Options before the word too, and the check's own timeout.
      assertHealthy(runSwasd(['--listen', server.endpoint, 'healthcheck', '--timeout-ms', '2000']), server.port);
      assertHealthy(runSwasd(['healthcheck'], { SWASD_LISTEN: server.endpoint }), server.port);
      // A server listening on every address is checked on loopback.
      const file = path.join(tempDir(), 'swasd.toml');
      fs.writeFileSync(file, `listen = "0.0.0.0:${server.port}"\ndata-dir = "/nonexistent"\n`);
      assertHealthy(runSwasd(['healthcheck'], { SWASD_CONFIG: file }), server.port);
      assertHealthy(runSwasd(['--config', file, 'healthcheck']), server.port);
      // The check does not touch the data dir it is configured with.
      assert.ok(!fs.existsSync('/nonexistent'));
    } finally {
      await server.stop();
    }
    // The same address once the server is gone.
    assertUnhealthy(runSwasd(['healthcheck', '--listen', server.endpoint]), server.port, /connect: /);
  });

  it('exits 1 when nothing listens, and refuses what it cannot check', async () => {
    const port = await freePort();
    assertUnhealthy(runSwasd(['healthcheck', '--listen', `127.0.0.1:${port}`]), port, /connect: Connection refused/);
    assertUnhealthy(runSwasd(['healthcheck', '--listen', '0.0.0.0:0']), 0, /port is 0/);
    // A bad option is a usage error (CLI11's exit code), not a health verdict.
    const bad = runSwasd(['healthcheck', '--timeout-ms', '5']);
    assert.ok(bad.status !== 0 && bad.status !== 1, `exit ${bad.status}\n${bad.stdout}\n${bad.stderr}`);
    assert.match(bad.stderr, /--timeout-ms/);
  });
});

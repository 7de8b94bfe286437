'use strict';
// Configuration that refuses mistakes (docs/operations.md, "Configuration"): an unknown key in
// the TOML file, an unknown --log-level, a bad port make swasd exit non-zero naming the key,
// before it listens; --version and /healthz name the version; every flag also reads SWASD_<FLAG>
// (here --test-clock, --log-format); a valid TOML file is used.
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { startServer, rawRequest, makeTempDir, removeDir, newRootKey, rootEnv } = require('./lib/server');
const { runSwasd, requestLines } = require('./lib/ops');
const S = require('./lib/swas');

const Swas = require('@alicloud/swas-open20200601');

const dirs = [];
function tempDir() {
  const d = makeTempDir();
  dirs.push(d);
  return d;
}
after(() => { for (const d of dirs) removeDir(d); });

// swasd refused to start: non-zero exit, `re` on stderr, no listening line, no store made.
function assertRefused(r, re) {
  assert.notEqual(r.status, 0, `exited 0:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, re);
  assert.ok(!/listening/.test(r.stdout), `it listened:\n${r.stdout}`);
}

describe('configuration mistakes stop swasd before it starts', () => {
  it('an unknown key in the TOML file names the key', () => {
    const dir = tempDir();
    const file = path.join(dir, 'swasd.toml');
    fs.writeFileSync(file, 'listen = "127.0.0.1:0"\nlog-levle = "debug"\n');
    const r = runSwasd(['--config', file, '--data-dir', path.join(dir, 'data')]);
    assertRefused(r, /unknown key 'log-levle'/);
    assert.ok(r.stderr.includes(file), r.stderr);
    assert.ok(!fs.existsSync(path.join(dir, 'data')), 'the store was created');
  });

  it('an unknown key from SWASD_CONFIG as well', () => {
    const dir = tempDir();
    const file = path.join(dir, 'swasd.toml');
    fs.writeFileSync(file, 'data-dir = "' + path.join(dir, 'data') + '"\n[server]\nport = 8080\n');
    assertRefused(runSwasd([], { SWASD_CONFIG: file }), /unknown section '\[server\]'/);
    fs.writeFileSync(file, 'data-dir = "' + path.join(dir, 'data') + '"\nlisten-on = "127.0.0.1:0"\n');
    assertRefused(runSwasd([], { SWASD_CONFIG: file }), /unknown key 'listen-on'/);
    assertRefused(runSwasd([], { SWASD_CONFIG: path.join(dir, 'missing.toml') }), /missing\.toml/);
  });

  it('an unknown --log-level names the flag', () => {
    const dir = tempDir();
    assertRefused(runSwasd(['--log-level', 'verbose', '--data-dir', dir]), /--log-level.*verbose/);
    assertRefused(runSwasd(['--data-dir', dir], { SWASD_LOG_LEVEL: 'loud' }), /--log-level.*loud/);
    assertRefused(runSwasd(['--log-format', 'xml', '--data-dir', dir]), /--log-format.*xml/);
  });

  it('a bad port names the flag or key', () => {
    const dir = tempDir();
    for (const listen of ['127.0.0.1:99999', '127.0.0.1:80x', '127.0.0.1:', '127.0.0.1', ':8080', '127.0.0.1:-1']) {
      assertRefused(runSwasd(['--listen', listen, '--data-dir', dir]), /--listen/);
    }
    assertRefused(runSwasd(['--tls-listen', '127.0.0.1:65536', '--data-dir', dir]), /--tls-listen/);
    const file = path.join(dir, 'swasd.toml');
    fs.writeFileSync(file, 'listen = "0.0.0.0:70000"\n');
    assertRefused(runSwasd(['--config', file, '--data-dir', dir]), /--listen.*70000/);
    assertRefused(runSwasd(['--io-threads', '0', '--data-dir', dir]), /--io-threads/);
  });
});

describe('version', () => {
  it('--version prints it and exits 0; /healthz answers the same', async () => {
    const r = runSwasd(['--version']);
    assert.equal(r.status, 0, r.stderr);
    const m = /^swasd (\d+\.\d+\.\d+\S*)\n$/.exec(r.stdout);
    assert.ok(m, `--version printed ${JSON.stringify(r.stdout)}`);
    const server = await startServer({ env: rootEnv(newRootKey()), dataDir: tempDir() });
    try {
      const h = await rawRequest(server.port, { path: '/healthz' });
      assert.equal(h.status, 200);
      assert.equal(h.json.Version, m[1]);
    } finally {
      await server.stop();
    }
  });
});

describe('environment and config file', () => {
  it('SWASD_TEST_CLOCK turns the test clock on, as --test-clock does', async () => {
    const off = await startServer({ env: rootEnv(newRootKey()), dataDir: tempDir() });
    const on = await startServer({ env: { ...rootEnv(newRootKey()), SWASD_TEST_CLOCK: 'true' }, dataDir: tempDir() });
    try {
      const path = '/_test/clock/advance?seconds=30';
      assert.notEqual((await rawRequest(off.port, { method: 'POST', path })).status, 200);
      const r = await rawRequest(on.port, { method: 'POST', path });
      assert.equal(r.status, 200, r.body);
      assert.deepEqual(r.json, { OffsetMs: 30000 });
    } finally {
      await Promise.all([off.stop(), on.stop()]);
    }
  });

  it('keys of a TOML file and SWASD_* variables are used; flags win over both', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'swasd.toml');
    fs.writeFileSync(file, 'log-format = "json"\nlog-level = "debug"\ndefault-region = "cn-shanghai"\n');
    const root = newRootKey();
    fs.mkdirSync(path.join(dir, 'data'));  // the PostgreSQL runs keep their database's name there
    // The file says json and debug; the environment overrides the level; startServer's
    // --listen 127.0.0.1:0 overrides SWASD_LISTEN.
    const server = await startServer({
      env: { ...rootEnv(root), SWASD_CONFIG: file, SWASD_LOG_LEVEL: 'info', SWASD_LISTEN: '127.0.0.1:1' },
      dataDir: path.join(dir, 'data'),
    });
    try {
      const res = await S.swasClient(server.port, root).listRegions(new Swas.ListRegionsRequest({}));
      await rawRequest(server.port, { path: '/healthz' });
      let lines;
      for (let i = 0; i < 50; i++) {
        lines = requestLines(server.stderr, 'json');  // every line must be JSON
        if (lines.some(l => l.request_id === res.body.requestId)) break;
        await new Promise(r => setTimeout(r, 50));
      }
      assert.ok(lines.some(l => l.request_id === res.body.requestId), server.stderr);
      // info, not the file's debug: /healthz is logged at debug only.
      assert.ok(!lines.some(l => l.path === '/healthz'), server.stderr);
    } finally {
      await server.stop();
    }
    // At debug the admin endpoints are logged too.
    const debug = await startServer({ env: { ...rootEnv(root), SWASD_CONFIG: file }, dataDir: path.join(dir, 'data') });
    try {
      await rawRequest(debug.port, { path: '/healthz' });
      for (let i = 0; i < 50 && !requestLines(debug.stderr, 'json').some(l => l.path === '/healthz'); i++) {
        await new Promise(r => setTimeout(r, 50));
      }
      const h = requestLines(debug.stderr, 'json').find(l => l.path === '/healthz');
      assert.ok(h, debug.stderr);
      assert.equal(h.method, 'GET');
      assert.equal(h.level, 'debug');
      assert.equal(h.status, 200);
    } finally {
      await debug.stop();
    }
  });
});

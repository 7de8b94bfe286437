'use strict';
// Process lifecycle: graceful SIGTERM, restart on the same data dir (accounts and used
// nonces persist), generated root credentials, swasctl against a running server.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Swas = require('@alicloud/swas-open20200601');

const {
  startServer, swasctl, clients, makeTempDir, removeDir, newRootKey, rootEnv, newNonce, rawRequest,
} = require('./lib/server');
const { expectSdkError, expectPopError, assertListRegionsModel, assertListRegionsWire } = require('./lib/expect');

const listRegions = client => client.listRegions(new Swas.ListRegionsRequest({}));
const v3WithNonce = (port, ak, sk, nonce) =>
  clients.swas(port, ak, sk, { globalParameters: { headers: { 'x-acs-signature-nonce': nonce } } });

describe('restart on the same data dir', () => {
  const root = newRootKey();
  let dataDir, server, acct;
  const nonceV3 = newNonce();
  const nonceV1 = newNonce();

  before(async () => {
    dataDir = makeTempDir();
    server = await startServer({ env: rootEnv(root), dataDir });
  });

  after(async () => {
    if (server) await server.kill();
    removeDir(dataDir);
  });

  it('first run: nonces are used, an account is created with swasctl', async () => {
    assertListRegionsModel(await listRegions(v3WithNonce(server.port, root.AccessKeyId, root.AccessKeySecret, nonceV3)));
    assertListRegionsWire(await clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret).request('ListRegions', { SignatureNonce: nonceV1 }));
    acct = swasctl(['account', 'create', '--name', 'lifecycle-tenant'], dataDir);
    assert.match(String(acct.AccountId), /^\d{16}$/, JSON.stringify(acct));
    assertListRegionsModel(await listRegions(clients.swas(server.port, acct.AccessKeyId, acct.AccessKeySecret)));
  });

  it('SIGTERM -> exit code 0', async () => {
    const res = await server.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `swasd exit on SIGTERM\n${server.describe()}`);
  });

  it('second run: the account key still works', async () => {
    server = await startServer({ env: rootEnv(root), dataDir });
    assert.ok(acct, 'no account from the first run');
    assertListRegionsModel(await listRegions(clients.swas(server.port, acct.AccessKeyId, acct.AccessKeySecret)));
    assertListRegionsWire(await clients.pop(server.port, acct.AccessKeyId, acct.AccessKeySecret).request('ListRegions', {}));
  });

  it('second run: the root key still works', async () => {
    assertListRegionsModel(await listRegions(clients.swas(server.port, root.AccessKeyId, root.AccessKeySecret)));
  });

  it('second run: the nonces used before the restart are refused (SignatureNonceUsed 400)', async () => {
    await expectSdkError(listRegions(v3WithNonce(server.port, root.AccessKeyId, root.AccessKeySecret, nonceV3)),
      { code: 'SignatureNonceUsed', status: 400 });
    await expectPopError(clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret).request('ListRegions', { SignatureNonce: nonceV1 }),
      { code: 'SignatureNonceUsed', status: 400 });
  });

  it('second run: SIGTERM -> exit code 0 again', async () => {
    const res = await server.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `swasd exit on SIGTERM\n${server.describe()}`);
  });
});

describe('generated root credentials (no SWASD_ROOT_* in the environment)', () => {
  let dataDir, server, creds, credText;

  before(async () => {
    dataDir = makeTempDir();
    server = await startServer({ dataDir });
  });

  after(async () => {
    if (server) await server.kill();
    removeDir(dataDir);
  });

  it('writes <datadir>/root-credentials, mode 0600, JSON {AccountId, AccessKeyId, AccessKeySecret}', () => {
    const file = path.join(dataDir, 'root-credentials');
    assert.ok(fs.existsSync(file), `${file} missing; data dir holds ${JSON.stringify(fs.readdirSync(dataDir))}`);
    const st = fs.statSync(file);
    assert.ok(st.isFile());
    assert.equal((st.mode & 0o777).toString(8), '600', 'file mode');
    credText = fs.readFileSync(file, 'utf8');
    creds = JSON.parse(credText);
    assert.match(String(creds.AccountId), /^\d{16}$/, credText);
    assert.equal(typeof creds.AccessKeyId, 'string', credText);
    assert.equal(typeof creds.AccessKeySecret, 'string', credText);
    assert.ok(creds.AccessKeyId.length >= 8 && creds.AccessKeySecret.length >= 16, `key too short: ${credText}`);
  });

  it('the generated key works (V3, V1 via swas, pop-core)', async () => {
    assert.ok(creds, 'no credentials read');
    assertListRegionsModel(await listRegions(clients.swas(server.port, creds.AccessKeyId, creds.AccessKeySecret)));
    assertListRegionsModel(await listRegions(clients.swas(server.port, creds.AccessKeyId, creds.AccessKeySecret, { signatureAlgorithm: 'v2' })));
    assertListRegionsWire(await clients.pop(server.port, creds.AccessKeyId, creds.AccessKeySecret).request('ListRegions', {}));
  });

  it('a wrong secret for the generated key is refused', async () => {
    assert.ok(creds, 'no credentials read');
    await expectSdkError(listRegions(clients.swas(server.port, creds.AccessKeyId, creds.AccessKeySecret + 'x')),
      { code: 'SignatureDoesNotMatch', status: 400 });
  });

  it('after a restart the same key is kept and still works', async () => {
    assert.ok(creds, 'no credentials read');
    const res = await server.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `swasd exit on SIGTERM\n${server.describe()}`);
    server = await startServer({ dataDir });
    const again = JSON.parse(fs.readFileSync(path.join(dataDir, 'root-credentials'), 'utf8'));
    assert.equal(again.AccessKeyId, creds.AccessKeyId);
    assert.equal(again.AccessKeySecret, creds.AccessKeySecret);
    assert.equal(String(again.AccountId), String(creds.AccountId));
    assertListRegionsModel(await listRegions(clients.swas(server.port, creds.AccessKeyId, creds.AccessKeySecret)));
  });
});

describe('process basics', () => {
  const root = newRootKey();
  let dataDir, server;

  before(async () => {
    dataDir = makeTempDir();
    server = await startServer({ env: rootEnv(root), dataDir });
  });

  after(async () => {
    if (server) await server.kill();
    removeDir(dataDir);
  });

  it('prints exactly the listening line format on stdout', () => {
    assert.match(server.stdout, new RegExp(`^swasd listening on http://127\\.0\\.0\\.1:${server.port}$`, 'm'));
    assert.ok(server.port > 0 && server.port < 65536);
  });

  it('GET /healthz -> 200 without a signature', async () => {
    const res = await rawRequest(server.port, { method: 'GET', path: '/healthz' });
    assert.equal(res.status, 200, `got ${res.status} ${res.body}`);
  });

  it('two servers on separate data dirs run side by side on different ports', async () => {
    const otherDir = makeTempDir();
    const other = await startServer({ env: rootEnv(newRootKey()), dataDir: otherDir });
    try {
      assert.notEqual(other.port, server.port);
      // The first server's root key is unknown to the second.
      await expectSdkError(listRegions(clients.swas(other.port, root.AccessKeyId, root.AccessKeySecret)),
        { code: 'InvalidAccessKeyId.NotFound', status: 404 });
      assertListRegionsModel(await listRegions(clients.swas(server.port, root.AccessKeyId, root.AccessKeySecret)));
    } finally {
      const res = await other.stop();
      removeDir(otherDir);
      assert.deepEqual(res, { code: 0, signal: null }, `second swasd exit on SIGTERM\n${other.describe()}`);
    }
  });

  it('SIGTERM while idle with kept-alive client connections -> exit code 0', async () => {
    const c = clients.swas(server.port, root.AccessKeyId, root.AccessKeySecret);
    assertListRegionsModel(await listRegions(c));
    assertListRegionsWire(await clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret).request('ListRegions', {}));
    const t0 = Date.now();
    const res = await server.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `swasd exit on SIGTERM\n${server.describe()}`);
    assert.ok(Date.now() - t0 < 8000, `graceful stop took ${Date.now() - t0} ms`);
  });
});

'use strict';
// HTTPS (docs/operations.md, "TLS"): with --tls-cert/--tls-key swasd also listens on
// --tls-listen, and the official SWAS SDK works with its default https protocol -- only the
// endpoint and a trusted CA change (the SDK's `ca` option, or NODE_EXTRA_CA_CERTS). Plain HTTP
// keeps serving on --listen. The CA is made for the test with the openssl CLI.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { removeDir } = require('./lib/server');
const { startTlsServer, runSwasd, logLineOf } = require('./lib/ops');

const Swas = require('@alicloud/swas-open20200601');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

// The SWAS SDK as a user configures it for Alibaba Cloud, but for this endpoint: no protocol
// (https is the default).
function httpsClient(port, key, extra = {}) {
  return new Swas.default(new $OpenApiUtil.Config(Object.assign({
    accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret,
    endpoint: `127.0.0.1:${port}`, regionId: 'cn-hangzhou',
    readTimeout: 10000, connectTimeout: 10000,
  }, extra)));
}

describe('TLS', () => {
  let tls, server, dataDir, certDir, ca, root, httpsPort;

  before(async () => {
    tls = await startTlsServer();
    ({ server, dataDir, certDir, ca, root, httpsPort } = tls);
  });
  after(async () => {
    if (tls) await tls.stop();
  });

  it('the official SDK over https with the CA as its ca option', async () => {
    const c = httpsClient(httpsPort, root, { ca: fs.readFileSync(ca.caCert, 'utf8') });
    const res = await c.listRegions(new Swas.ListRegionsRequest({}));
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.regions.length > 0);
    const line = await logLineOf(server, res.body.requestId);
    assert.equal(line.tls, 'true');
    assert.equal(line.action, 'ListRegions');
  });

  it('the official SDK over https with NODE_EXTRA_CA_CERTS', async () => {
    const script = `
      const Swas = require('@alicloud/swas-open20200601');
      const { $OpenApiUtil } = require('@alicloud/openapi-core');
      const c = new Swas.default(new $OpenApiUtil.Config({
        accessKeyId: process.env.AK, accessKeySecret: process.env.SK,
        endpoint: '127.0.0.1:' + process.env.PORT, regionId: 'cn-hangzhou',
      }));
      c.listRegions(new Swas.ListRegionsRequest({}))
        .then(r => console.log(JSON.stringify({ status: r.statusCode, requestId: r.body.requestId })))
        .catch(e => { console.error(e && e.message); process.exit(1); });`;
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, ['-e', script], {
        cwd: __dirname, timeout: 20000,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caCert, AK: root.AccessKeyId, SK: root.AccessKeySecret, PORT: String(httpsPort) },
      }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    const r = JSON.parse(out);
    assert.equal(r.status, 200);
    await logLineOf(server, r.requestId);
  });

  it('a client that does not trust the CA is refused by its own TLS check', async () => {
    const c = httpsClient(httpsPort, root);
    await assert.rejects(c.listRegions(new Swas.ListRegionsRequest({})),
      e => /certificate|self.signed|unable to verify/i.test(String(e && e.message)), 'an untrusted certificate was accepted');
  });

  it('plain HTTP keeps serving on --listen', async () => {
    const c = httpsClient(server.port, root, { protocol: 'http' });
    const res = await c.listRegions(new Swas.ListRegionsRequest({}));
    assert.equal(res.statusCode, 200);
    assert.equal((await logLineOf(server, res.body.requestId)).tls, 'false');
  });

  it('refuses to start with a missing key, an unreadable certificate or a key that does not match', () => {
    let r = runSwasd(['--data-dir', dataDir + '-x', '--listen', '127.0.0.1:0', '--tls-cert', ca.cert]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--tls-cert and --tls-key go together/);
    const missing = path.join(certDir, 'nope.crt');
    r = runSwasd(['--data-dir', dataDir + '-x', '--listen', '127.0.0.1:0', '--tls-listen', '127.0.0.1:0',
      '--tls-cert', missing, '--tls-key', ca.key]);
    assert.notEqual(r.status, 0);
    assert.ok(r.stderr.includes(`cannot load the TLS certificate chain '${missing}'`), r.stderr);
    r = runSwasd(['--data-dir', dataDir + '-x', '--listen', '127.0.0.1:0', '--tls-listen', '127.0.0.1:0',
      '--tls-cert', ca.caCert, '--tls-key', ca.key]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /TLS private key .*(does not match the certificate|key values mismatch)/);
    assert.ok(!/swasd listening/.test(r.stdout), r.stdout);
    removeDir(dataDir + '-x');
  });
});

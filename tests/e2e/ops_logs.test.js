'use strict';
// The request log (docs/operations.md, "Logs"): one line per request on stderr, text by default
// and JSON with --log-format json, for an allowed call, a call RAM denies (Forbidden.RAM) and a
// call that fails validation, each naming its RequestId, caller, product, action, status, code,
// latency, sizes and client -- and never a secret.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { startServer, makeTempDir, removeDir, newRootKey, rootEnv, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { logLineOf, requestLines } = require('./lib/ops');

const Swas = require('@alicloud/swas-open20200601');

for (const format of ['text', 'json']) {
  describe(`request log (${format})`, () => {
    let server, dataDir, root, rootSwas, user;

    before(async () => {
      dataDir = makeTempDir();
      root = newRootKey();
      const args = format === 'json' ? ['--log-format', 'json'] : [];
      server = await startServer({ env: rootEnv(root), dataDir, args });
      rootSwas = S.swasClient(server.port, root);
      user = await L.makeUser(L.ramClient(server.port, root));  // no policies
    });
    after(async () => {
      if (server) await server.stop();
      removeDir(dataDir);
    });

    // The same value in both formats: a number in JSON, its text in text lines.
    const num = v => (format === 'json' ? v : String(v));

    it('an allowed call: 200, no code, the root caller', async () => {
      const res = await rootSwas.listRegions(new Swas.ListRegionsRequest({}));
      const line = await logLineOf(server, res.body.requestId, format);
      assert.match(line.request_id, REQUEST_ID_RE);
      assert.match(line.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(Math.abs(Date.parse(line.time) - Date.now()) < 60000, `time ${line.time}`);
      assert.equal(line.level, 'info');
      assert.equal(line.status, num(200));
      assert.equal(line.code, null);
      assert.equal(line.product, 'SWAS-OPEN');
      assert.equal(line.version, '2020-06-01');
      assert.equal(line.action, 'ListRegions');
      assert.equal(line.account_id, root.AccountId);
      assert.equal(line.principal_type, 'root-account');
      assert.equal(line.access_key_id, root.AccessKeyId);
      assert.equal(line.client, '127.0.0.1');
      assert.equal(line.tls, format === 'json' ? false : 'false');
      assert.ok(Number(line.latency_ms) >= 0 && Number(line.latency_ms) < 10000, `latency_ms ${line.latency_ms}`);
      assert.ok(Number(line.bytes_out) > 100, `bytes_out ${line.bytes_out}`);
      assert.ok(Number(line.bytes_in) >= 0);
    });

    it('a call RAM denies: 403 Forbidden.RAM and the RAM user who made it', async () => {
      const swas = L.swasClient(server.port, user.key);
      const e = await expectSdkError(S.R.listInstances(swas), { code: 'Forbidden.RAM', status: 403 });
      const line = await logLineOf(server, e.data.RequestId, format);
      assert.equal(line.status, num(403));
      assert.equal(line.code, 'Forbidden.RAM');
      assert.equal(line.action, 'ListInstances');
      assert.equal(line.product, 'SWAS-OPEN');
      assert.equal(line.account_id, root.AccountId);
      assert.equal(line.principal_type, 'ram-user');
      assert.equal(line.principal_name, user.userName);
      assert.equal(line.access_key_id, user.key.AccessKeyId);
    });

    it('a call that fails validation: its 4xx status and code', async () => {
      const e = await expectSdkError(S.R.listInstances(rootSwas, { chargeType: 'PostPaid' }), { code: 'InvalidParameter', status: 400 });
      const line = await logLineOf(server, e.data.RequestId, format);
      assert.equal(line.status, num(400));
      assert.equal(line.code, 'InvalidParameter');
      assert.equal(line.action, 'ListInstances');
      assert.equal(line.principal_type, 'root-account');
    });

    it('a call refused at authentication: no caller, its code', async () => {
      const bad = S.swasClient(server.port, { AccessKeyId: root.AccessKeyId, AccessKeySecret: 'not-the-secret' });
      const e = await expectSdkError(bad.listRegions(new Swas.ListRegionsRequest({})), { code: 'SignatureDoesNotMatch', status: 400 });
      const line = await logLineOf(server, e.data.RequestId, format);
      assert.equal(line.code, 'SignatureDoesNotMatch');
      assert.equal(line.account_id, null);
      assert.equal(line.access_key_id, null);
    });

    it('never logs a secret, and one line per call', async () => {
      const lines = requestLines(server.stderr, format);
      assert.ok(lines.length >= 4);
      const ids = lines.map(l => l.request_id).filter(Boolean);
      assert.equal(new Set(ids).size, ids.length, 'a RequestId logged twice');
      for (const secret of [root.AccessKeySecret, user.key.AccessKeySecret]) {
        assert.ok(!server.stderr.includes(secret), 'a secret in stderr');
        assert.ok(!server.stdout.includes(secret), 'a secret in stdout');
      }
    });
  });
}

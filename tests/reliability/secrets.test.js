'use strict';
// AccessKeySecrets never leak: not in swasd's stdout/stderr at --log-level trace, not in any
// answer (SignatureDoesNotMatch's message carries the server's string to sign -- never the
// secret, the HMAC key or the expected signature's inputs beyond that), and not in the
// database files in the clear (they are sealed with the master key). The only places a
// secret may appear are the ones documented: the generated root key printed once at first
// start and saved in DATA_DIR/root-credentials (mode 0600), and swasctl's output when it
// creates a key.
//
// Each secret is searched in several encodings (raw, hex, base64, percent-encoded, and the
// V1 HMAC key `secret&`), so a log line that dumps it in another form is caught too.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const {
  removeDir, makeTempDir, startServer, rootEnv, v1Params, buildV1Request, buildV3Request, rawRequest, percentEncode,
} = require('../e2e/lib/server');
const S = require('../e2e/lib/swas');
const { R } = S;

function forms(secret) {
  const b = Buffer.from(secret, 'utf8');
  return [secret, secret + '&', b.toString('hex'), b.toString('base64'), b.toString('base64url'), percentEncode(secret)]
    .filter(f => f.length >= 8);
}

function assertNoSecret(haystack, secrets, where) {
  const text = Buffer.isBuffer(haystack) ? haystack.toString('latin1') : String(haystack);
  for (const s of secrets) {
    for (const f of forms(s)) {
      assert.ok(!text.includes(f), `${where} contains a secret (${f.slice(0, 4)}…, ${f.length} chars)`);
    }
  }
}

// Every file in the data dir except the ones that exist to hold key material.
function dataFiles(dir) {
  return fs.readdirSync(dir).filter(f => !['master.key', 'root-credentials'].includes(f)).map(f => path.join(dir, f));
}

describe('secrets never leak', () => {
  let env, tenant, secrets;
  const bodies = [];

  before(async () => {
    env = await S.startSwas({ args: ['--log-level', 'trace'] });
    tenant = S.createAccount(env.dataDir, 'secret-tenant');
    secrets = [env.root.AccessKeySecret, tenant.AccessKeySecret];
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('drives successful and failing calls of every signing flavour', async () => {
    const c = S.swasClient(env.port, env.root);
    const t = S.swasClient(env.port, tenant);
    bodies.push(JSON.stringify(await R.listCustomImages(c)));
    bodies.push(JSON.stringify(await R.listCustomImages(t)));
    bodies.push(JSON.stringify(await R.listCustomImages(S.swasClient(env.port, env.root, { signatureAlgorithm: 'v2' }))));
    bodies.push(JSON.stringify(await S.popClient(env.port, tenant).request('ListInstances', { RegionId: S.REGION })));
    // Wrong secrets -- including another account's real secret, and one off by a character.
    const wrong = [
      { AccessKeyId: env.root.AccessKeyId, AccessKeySecret: tenant.AccessKeySecret },
      { AccessKeyId: tenant.AccessKeyId, AccessKeySecret: tenant.AccessKeySecret + 'x' },
      { AccessKeyId: tenant.AccessKeyId, AccessKeySecret: env.root.AccessKeySecret },
    ];
    for (const k of wrong) {
      for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
        try {
          await R.listCustomImages(S.swasClient(env.port, k, extra));
          assert.fail('a wrong secret was accepted');
        } catch (e) {
          assert.equal(e.code, 'SignatureDoesNotMatch', e.message);
          assert.match(e.data.Message, /server string to sign is:/);
          bodies.push(JSON.stringify(e.data), e.message);
        }
      }
    }
    // Raw V1 (JSON and XML) and V3 with a wrong secret.
    for (const format of ['JSON', 'XML']) {
      const p = v1Params({ action: 'ListCustomImages', accessKeyId: tenant.AccessKeyId, params: { RegionId: S.REGION }, overrides: { Format: format } });
      const res = await rawRequest(env.port, buildV1Request({ params: p, secret: env.root.AccessKeySecret }));
      assert.equal(res.status, 400, res.body);
      assert.match(res.body, /SignatureDoesNotMatch/);
      bodies.push(res.body, JSON.stringify(res.headers));
    }
    const v3 = buildV3Request({ port: env.port, action: 'ListCustomImages', query: { RegionId: S.REGION }, accessKeyId: env.root.AccessKeyId, secret: tenant.AccessKeySecret });
    const res = await rawRequest(env.port, v3);
    assert.equal(res.status, 400, res.body);
    bodies.push(res.body, JSON.stringify(res.headers));
    // A replayed nonce and an unknown key, for the log lines they make.
    const p = v1Params({ action: 'ListCustomImages', accessKeyId: tenant.AccessKeyId, params: { RegionId: S.REGION } });
    const once = buildV1Request({ params: p, secret: tenant.AccessKeySecret });
    assert.equal((await rawRequest(env.port, once)).status, 200);
    bodies.push((await rawRequest(env.port, once)).body);
    const unknown = v1Params({ action: 'ListCustomImages', accessKeyId: 'LTAInosuchkey0000000000', params: { RegionId: S.REGION } });
    bodies.push((await rawRequest(env.port, buildV1Request({ params: unknown, secret: tenant.AccessKeySecret }))).body);
  });

  it('no answer carried a secret', () => {
    assert.ok(bodies.length >= 15);
    assertNoSecret(bodies.join('\n'), secrets, 'an answer');
  });

  it('swasd stdout/stderr at --log-level trace carry no secret', async () => {
    await env.server.stop();
    const logs = env.server.stdout + env.server.stderr;
    assert.ok(logs.length > 0, 'no log output at trace level');
    assertNoSecret(logs, secrets, 'swasd logs');
  });

  it('the database files (swasd.db, -wal, -shm) hold no secret in the clear', () => {
    const files = dataFiles(env.dataDir);
    assert.ok(files.some(f => f.endsWith('swasd.db')), `no swasd.db in ${env.dataDir}: ${files}`);
    for (const f of files) {
      if (fs.statSync(f).isFile()) assertNoSecret(fs.readFileSync(f), secrets, f);
    }
  });
});

describe('a generated root key', () => {
  let dataDir;
  after(() => removeDir(dataDir));

  it('is printed once, kept in root-credentials (0600), and nowhere else', async () => {
    dataDir = makeTempDir('swasd-secrets-');
    const first = await startServer({ dataDir, args: ['--log-level', 'trace'] });
    const cred = JSON.parse(fs.readFileSync(path.join(dataDir, 'root-credentials'), 'utf8'));
    assert.equal(fs.statSync(path.join(dataDir, 'root-credentials')).mode & 0o777, 0o600);
    const c = S.swasClient(first.port, cred);
    await R.listCustomImages(c);
    await first.stop();
    assert.ok(first.stdout.includes(cred.AccessKeySecret), 'the generated secret is printed at first start');
    assertNoSecret(first.stderr, [cred.AccessKeySecret], 'swasd stderr');
    // Restarted: not printed again.
    const second = await startServer({ dataDir, args: ['--log-level', 'trace'] });
    await R.listCustomImages(S.swasClient(second.port, cred));
    await second.stop();
    assertNoSecret(second.stdout + second.stderr, [cred.AccessKeySecret], 'swasd logs after a restart');
    for (const f of dataFiles(dataDir)) {
      if (fs.statSync(f).isFile()) assertNoSecret(fs.readFileSync(f), [cred.AccessKeySecret], f);
    }
  });
});

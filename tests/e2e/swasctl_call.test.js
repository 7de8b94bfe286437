'use strict';
// `swasctl call` (issue 18): the curl for this API. Runs build/swasctl against a real swasd and
// checks what a user relies on: the answer on stdout is the one the SDK gets, an error answer
// exits 1 with its Code, Message and RequestId on stderr, usage errors exit 2, credentials come
// from an aliyun CLI profile (HOME pointing at a temp dir) or the SDKs' environment variables
// (AccessKey and STS token), and the endpoint from --endpoint, SWASD_ENDPOINT or the profile.
// A recording HTTP server checks the request itself: method, Host, V3 headers, the parameters
// in the query, and the signature, verified with this suite's own V3 signer.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const { SWASCTL_BIN, REQUEST_ID_RE, removeDir, makeTempDir, callApi, signV3 } = require('./lib/server');
const { startTlsServer, logLineOf } = require('./lib/ops');
const S = require('./lib/swas');
const L = require('./lib/ram');

// Runs swasctl with exactly `env` (plus PATH): nothing leaks in from the caller's environment.
function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(SWASCTL_BIN, ['call', ...args], {
      env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', d => { stdout += d; });
    p.stderr.setEncoding('utf8').on('data', d => { stderr += d; });
    p.on('error', reject);
    const timer = setTimeout(() => p.kill('SIGKILL'), 20000);
    p.on('close', (status, signal) => { clearTimeout(timer); resolve({ status, signal, stdout, stderr }); });
  });
}

const show = r => `exit ${r.status}${r.signal ? ' ' + r.signal : ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

function expectOk(r) {
  assert.equal(r.status, 0, show(r));
  assert.equal(r.stderr, '', show(r));
  return JSON.parse(r.stdout);
}

// An error answer: exit 1, "Name: value" lines on stderr, the body on stdout. Returns the stderr
// fields.
function expectErrorAnswer(r, { code, status }) {
  assert.equal(r.status, 1, show(r));
  assert.match(r.stderr, new RegExp(`^swasctl call: error answer, HTTP ${status}\n`), show(r));
  const fields = {};
  for (const m of r.stderr.matchAll(/^(Code|Message|RequestId): (.*)$/gm)) fields[m[1]] = m[2];
  assert.equal(fields.Code, code, show(r));
  assert.ok(fields.Message, show(r));
  assert.match(fields.RequestId, REQUEST_ID_RE, show(r));
  const body = JSON.parse(r.stdout);
  assert.equal(body.Code, code);
  assert.equal(body.RequestId, fields.RequestId);
  return fields;
}

function expectUsage(r, pattern) {
  assert.equal(r.status, 2, show(r));
  assert.equal(r.stdout, '', show(r));
  assert.match(r.stderr, pattern, show(r));
}

const envKey = key => ({
  ALIBABA_CLOUD_ACCESS_KEY_ID: key.AccessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: key.AccessKeySecret,
  ...(key.SecurityToken ? { ALIBABA_CLOUD_SECURITY_TOKEN: key.SecurityToken } : {}),
});

function writeProfiles(home, config) {
  fs.mkdirSync(path.join(home, '.aliyun'), { recursive: true });
  fs.writeFileSync(path.join(home, '.aliyun', 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
}

const akProfile = (name, key, extra = {}) => ({
  name, mode: 'AK', access_key_id: key.AccessKeyId, access_key_secret: key.AccessKeySecret,
  region_id: 'cn-hangzhou', output_format: 'json', language: 'en', ...extra,
});

// A port nothing listens on.
async function closedPort() {
  const srv = net.createServer();
  await new Promise(resolve => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise(resolve => srv.close(resolve));
  return port;
}

describe('swasctl call', () => {
  let sw, root, ram, user, home;
  const tmp = [];

  before(async () => {
    sw = await S.startSwas();
    root = sw.root;
    ram = L.ramClient(sw.port, root);
    user = await L.makeUser(ram, {});  // no policy: every SWAS call is refused
    home = makeTempDir('swasctl-home-');
    tmp.push(home);
  });
  after(async () => {
    if (sw) { await sw.server.stop(); removeDir(sw.dataDir); }
    for (const d of tmp) removeDir(d);
  });

  const endpointArgs = () => ['--endpoint', sw.server.endpoint];

  it('prints the answer the SDK gets (environment credentials, POST by default)', async () => {
    const r = await run([...endpointArgs(), 'swas', 'ListRegions'], envKey(root));
    const got = expectOk(r);
    assert.match(got.RequestId, REQUEST_ID_RE);
    const sdk = (await callApi(L.openapiClient(sw.port, root), 'ListRegions')).body;
    assert.ok(Array.isArray(got.Regions) && got.Regions.length > 0, show(r));
    assert.deepEqual({ ...got, RequestId: undefined }, { ...sdk, RequestId: undefined });
    // Indented JSON, one document.
    assert.match(r.stdout, /^\{\n {2}"RequestId": /);
  });

  it('sends K=V parameters, with GET and POST alike', async () => {
    for (const method of ['GET', 'POST']) {
      const got = expectOk(await run([...endpointArgs(), '--method', method, 'swas-open', 'ListCustomImages',
        'RegionId=cn-hangzhou', 'PageSize=5'], envKey(root)));
      assert.equal(Number(got.PageSize), 5, `${method}: ${JSON.stringify(got)}`);
      assert.deepEqual(got.CustomImages, []);
    }
    // ECS with a repeatable key (Tag.N.Key) and another product's version from the model.
    const images = expectOk(await run([...endpointArgs(), 'ecs', 'DescribeImages', 'RegionId=cn-hangzhou',
      'ImageOwnerAlias=system', 'PageSize=2'], envKey(root)));
    assert.equal(images.RegionId, 'cn-hangzhou');
    assert.ok(images.Images.Image.length > 0 && images.Images.Image.length <= 2, JSON.stringify(images));
    const sdk = (await callApi(L.openapiClient(sw.port, root), 'DescribeImages', {
      version: '2014-05-26', query: { RegionId: 'cn-hangzhou', ImageOwnerAlias: 'system', PageSize: 2 },
    })).body;
    assert.deepEqual(images.Images, sdk.Images);
    const tagQuery = { RegionId: 'cn-hangzhou', 'Tag.1.Key': 'no-such-tag', 'Tag.1.Value': 'x', PageSize: 3 };
    const tagged = expectOk(await run([...endpointArgs(), 'ecs', 'DescribeImages',
      ...Object.entries(tagQuery).map(([k, v]) => `${k}=${v}`)], envKey(root)));
    const taggedSdk = (await callApi(L.openapiClient(sw.port, root), 'DescribeImages', {
      version: '2014-05-26', query: tagQuery,
    })).body;
    assert.deepEqual({ ...tagged, RequestId: undefined }, { ...taggedSdk, RequestId: undefined });
  });

  it('an error answer exits 1 with Code, Message and RequestId on stderr (the SDK\'s code)', async () => {
    const r = await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou', 'PageSize=1000'],
      envKey(root));
    let sdkError;
    try {
      await callApi(L.openapiClient(sw.port, root), 'ListCustomImages', { query: { RegionId: 'cn-hangzhou', PageSize: 1000 } });
    } catch (e) { sdkError = e; }
    assert.ok(sdkError, 'the SDK call should fail too');
    expectErrorAnswer(r, { code: sdkError.code, status: sdkError.statusCode });
  });

  it('a RAM user without a policy: exit 1, Forbidden.RAM', async () => {
    const r = await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'], envKey(user.key));
    expectErrorAnswer(r, { code: 'Forbidden.RAM', status: 403 });
  });

  it('reads the aliyun CLI profile file under HOME: current, --profile, ALIBABA_CLOUD_PROFILE', async () => {
    writeProfiles(home, {
      current: 'admin',
      profiles: [akProfile('admin', root), akProfile('limited', user.key)],
      meta_path: '',
    });
    const ok = expectOk(await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'], { HOME: home }));
    assert.deepEqual(ok.CustomImages, []);
    expectErrorAnswer(await run([...endpointArgs(), '--profile', 'limited', 'swas', 'ListCustomImages',
      'RegionId=cn-hangzhou'], { HOME: home }), { code: 'Forbidden.RAM', status: 403 });
    expectErrorAnswer(await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'],
      { HOME: home, ALIBABA_CLOUD_PROFILE: 'limited' }), { code: 'Forbidden.RAM', status: 403 });
    // The environment's key beats the file's current profile; an explicit --profile beats both.
    expectErrorAnswer(await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'],
      { HOME: home, ...envKey(user.key) }), { code: 'Forbidden.RAM', status: 403 });
    expectOk(await run([...endpointArgs(), '--profile', 'admin', 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'],
      { HOME: home, ...envKey(user.key) }));
    // --config-path names another file.
    const other = path.join(home, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ current: 'x', profiles: [akProfile('x', root)] }));
    expectOk(await run([...endpointArgs(), '--config-path', other, 'swas', 'ListRegions'], {}));
  });

  it('takes the endpoint from --endpoint, SWASD_ENDPOINT, then the profile', async () => {
    const dead = `127.0.0.1:${await closedPort()}`;
    const profHome = makeTempDir('swasctl-home-');
    tmp.push(profHome);
    writeProfiles(profHome, { current: 'default', profiles: [akProfile('default', root, { endpoint: sw.server.endpoint })] });
    expectOk(await run(['swas', 'ListRegions'], { HOME: profHome }));
    expectOk(await run(['swas', 'ListRegions'], { HOME: profHome, SWASD_ENDPOINT: `http://${sw.server.endpoint}` }));
    const refused = await run(['swas', 'ListRegions'], { HOME: profHome, SWASD_ENDPOINT: dead });
    assert.equal(refused.status, 1, show(refused));
    assert.match(refused.stderr, /connecting to 127\.0\.0\.1:\d+: Connection refused/, show(refused));
    expectOk(await run(['--endpoint', sw.server.endpoint, 'swas', 'ListRegions'], { HOME: profHome, SWASD_ENDPOINT: dead }));
  });

  it('STS credentials: environment token and a StsToken profile', async () => {
    const sts = L.stsClient(sw.port, root);
    const role = await L.makeRole(ram, root.AccountId, { policies: ['AliyunSWASReadOnlyAccess'] });
    const session = await L.assume(sts, role.arn);
    const who = expectOk(await run([...endpointArgs(), 'sts', 'GetCallerIdentity'], envKey(session.key)));
    assert.equal(who.IdentityType, 'AssumedRoleUser', JSON.stringify(who));
    const sdkWho = await L.STS.getCallerIdentity(L.stsClient(sw.port, session.key));
    assert.equal(who.Arn, sdkWho.arn);
    assert.match(who.Arn, new RegExp(`:assumed-role/${role.roleName}/${session.session}$`));
    const images = expectOk(await run([...endpointArgs(), 'swas', 'ListCustomImages', 'RegionId=cn-hangzhou'],
      envKey(session.key)));
    assert.deepEqual(images.CustomImages, []);
    // Without its token the session's key is refused.
    const tokenless = await run([...endpointArgs(), 'sts', 'GetCallerIdentity'],
      envKey({ AccessKeyId: session.key.AccessKeyId, AccessKeySecret: session.key.AccessKeySecret }));
    assert.equal(tokenless.status, 1, show(tokenless));

    const stsHome = makeTempDir('swasctl-home-');
    tmp.push(stsHome);
    writeProfiles(stsHome, {
      current: 'sess',
      profiles: [{ name: 'sess', mode: 'StsToken', access_key_id: session.key.AccessKeyId,
        access_key_secret: session.key.AccessKeySecret, sts_token: session.key.SecurityToken, region_id: 'cn-hangzhou' }],
    });
    const who2 = expectOk(await run([...endpointArgs(), 'sts', 'GetCallerIdentity'], { HOME: stsHome }));
    assert.equal(who2.Arn, who.Arn);
  });

  it('usage errors exit 2 and send nothing', async () => {
    const env = { HOME: home, ...envKey(root) };
    const cases = [
      [['swas'], /action is required|Required/i],
      [['oss', 'ListBuckets'], /unknown product oss; the products are .*swas-open/],
      [['swas', 'ListNothing'], /swas-open 2020-06-01 has no action ListNothing/],
      [['swas', 'ListRegions', 'RegionId'], /parameter RegionId is not NAME=VALUE/],
      [['swas', 'ListRegions', 'A=1', 'A=2'], /parameter A is given twice/],
      [['--method', 'PUT', 'swas', 'ListRegions'], /PUT/],
      [['--endpoint', 'ftp://127.0.0.1:1', 'swas', 'ListRegions'], /endpoint ftp:\/\/127\.0\.0\.1:1 is not host\[:port\]/],
      [['--profile', 'nobody', 'swas', 'ListRegions'], /has no profile named nobody/],
    ];
    for (const [args, pattern] of cases) expectUsage(await run(args, env), pattern);
    // No credentials anywhere.
    const empty = makeTempDir('swasctl-home-');
    tmp.push(empty);
    expectUsage(await run([...endpointArgs(), 'swas', 'ListRegions'], { HOME: empty }),
      /no credentials: .*\.aliyun\/config\.json cannot be read/);
    expectUsage(await run([...endpointArgs(), 'swas', 'ListRegions'], { HOME: empty, ALIBABA_CLOUD_ACCESS_KEY_ID: 'x' }),
      /ALIBABA_CLOUD_ACCESS_KEY_SECRET is not set/);
    // A profile mode swasctl cannot serve.
    const roleHome = makeTempDir('swasctl-home-');
    tmp.push(roleHome);
    writeProfiles(roleHome, { current: 'r', profiles: [{ name: 'r', mode: 'RamRoleArn', access_key_id: 'a',
      access_key_secret: 'b', ram_role_arn: 'acs:ram::1:role/x', ram_session_name: 's' }] });
    expectUsage(await run([...endpointArgs(), 'swas', 'ListRegions'], { HOME: roleHome }), /has mode RamRoleArn/);
    // --help is not an error.
    const help = await run(['call', '--help'].slice(1), {});
    assert.equal(help.status, 0, show(help));
    assert.match(help.stdout, /--endpoint/);
  });
});

// https: swasd's TLS listener with a test CA, trusted through SSL_CERT_FILE (OpenSSL's default
// verify paths); the certificate names IP:127.0.0.1 and DNS:localhost.
describe('swasctl call over https', () => {
  let tls, server, ca, root, httpsPort;

  before(async () => {
    tls = await startTlsServer();
    ({ server, ca, root, httpsPort } = tls);
  });
  after(async () => {
    if (tls) await tls.stop();
  });

  it('verifies the certificate against SSL_CERT_FILE, by IP address and by DNS name', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      const got = expectOk(await run(['--endpoint', `https://${host}:${httpsPort}`, 'swas', 'ListRegions'],
        { ...envKey(root), SSL_CERT_FILE: ca.caCert }));
      assert.ok(got.Regions.length > 0);
      const line = await logLineOf(server, got.RequestId);
      assert.equal(line.tls, 'true', `${host}: ${JSON.stringify(line)}`);
    }
  });

  it('refuses a server it does not trust, or whose certificate names another host', async () => {
    const untrusted = await run(['--endpoint', `https://127.0.0.1:${httpsPort}`, 'swas', 'ListRegions'], envKey(root));
    assert.equal(untrusted.status, 1, show(untrusted));
    assert.match(untrusted.stderr, /TLS handshake with 127\.0\.0\.1:\d+: .*certificate verify failed/, show(untrusted));
    assert.equal(untrusted.stdout, '');
    // "127.1" is 127.0.0.1 to the resolver but, not being a dotted quad, a host name to the
    // certificate check, and the certificate names no such host.
    const wrongName = await run(['--endpoint', `https://127.1:${httpsPort}`, 'swas', 'ListRegions'],
      { ...envKey(root), SSL_CERT_FILE: ca.caCert });
    assert.equal(wrongName.status, 1, show(wrongName));
    assert.match(wrongName.stderr, /TLS handshake/, show(wrongName));
    // Plain http to the TLS port gets no answer it can read.
    const plain = await run(['--timeout', '5', '--endpoint', `127.0.0.1:${httpsPort}`, 'swas', 'ListRegions'], envKey(root));
    assert.equal(plain.status, 1, show(plain));
  });
});

// The request on the wire, seen by a recording server that answers like swasd.
describe('swasctl call request', () => {
  let srv, port;
  const seen = [];
  let answer = { status: 200, body: '{"RequestId":"5E4A1C2B-0000-4000-8000-000000000001","Ok":true}' };

  before(async () => {
    srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', d => { body += d; });
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': answer.type || 'application/json;charset=utf-8' });
        res.end(answer.body);
      });
    });
    await new Promise(resolve => srv.listen(0, '127.0.0.1', resolve));
    port = srv.address().port;
  });
  after(() => new Promise(resolve => srv.close(resolve)));

  const key = { AccessKeyId: 'LTAIrecorder', AccessKeySecret: 'recorder-secret' };

  for (const method of ['POST', 'GET']) {
    it(`${method}: V3 headers, parameters in the query in their order, a signature that verifies`, async () => {
      seen.length = 0;
      const r = await run(['--endpoint', `127.0.0.1:${port}`, '--method', method, 'vpc', 'DescribeVpcs',
        'RegionId=cn-hangzhou', 'VpcName=a b*(ü)', 'Tag.1.Key=k', 'Tag.1.Value='], envKey(key));
      assert.deepEqual(expectOk(r), { RequestId: '5E4A1C2B-0000-4000-8000-000000000001', Ok: true });
      assert.equal(seen.length, 1);
      const req = seen[0];
      assert.equal(req.method, method);
      assert.equal(req.body, '');
      const h = req.headers;
      assert.equal(h.host, `127.0.0.1:${port}`);
      assert.equal(h['x-acs-action'], 'DescribeVpcs');
      assert.equal(h['x-acs-version'], '2016-04-28');  // from api/sdk/vpc.json
      assert.match(h['x-acs-date'], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(h['x-acs-signature-nonce'], /^[0-9a-f]{32}$/);
      const url = new URL(req.url, 'http://x');
      assert.equal(url.pathname, '/');
      const query = [...url.searchParams.entries()];
      assert.deepEqual(query, [['RegionId', 'cn-hangzhou'], ['VpcName', 'a b*(ü)'], ['Tag.1.Key', 'k'], ['Tag.1.Value', '']]);
      const want = signV3({ method, query, headers: h, accessKeyId: key.AccessKeyId, secret: key.AccessKeySecret,
        signedHeaders: h.authorization.match(/SignedHeaders=([^,]+)/)[1].split(';') });
      assert.equal(h.authorization, want.authorization);
      assert.match(h.authorization, /^ACS3-HMAC-SHA256 Credential=LTAIrecorder,SignedHeaders=host;x-acs-/);
    });
  }

  it('the default method is the SDK model\'s; a second call uses a new nonce', async () => {
    seen.length = 0;
    await run(['--endpoint', `http://127.0.0.1:${port}/`, 'ecs', 'DescribeRegions'], envKey(key));
    await run(['--endpoint', `http://127.0.0.1:${port}/`, 'ecs', 'DescribeRegions'], envKey(key));
    assert.equal(seen.length, 2);
    assert.equal(seen[0].method, 'POST');  // api/sdk/ecs.json: DescribeRegions is POST
    assert.notEqual(seen[0].headers['x-acs-signature-nonce'], seen[1].headers['x-acs-signature-nonce']);
  });

  it('an error answer that is not JSON is shown as it came', async () => {
    answer = { status: 502, type: 'text/html', body: '<html>bad gateway</html>' };
    try {
      const r = await run(['--endpoint', `127.0.0.1:${port}`, 'swas', 'ListRegions'], envKey(key));
      assert.equal(r.status, 1, show(r));
      assert.equal(r.stdout, '<html>bad gateway</html>\n');
      assert.match(r.stderr, /^swasctl call: error answer, HTTP 502\n<html>bad gateway<\/html>\n$/);
    } finally {
      answer = { status: 200, body: '{"RequestId":"5E4A1C2B-0000-4000-8000-000000000001","Ok":true}' };
    }
  });
});

'use strict';
// Gateway: authentication, signature, replay, timestamp, routing and protocol errors, as the
// official SDKs (and raw HTTP for what the SDKs cannot send) see them.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const Swas = require('@alicloud/swas-open20200601');

const {
  startServer, swasctl, clients, callApi, makeTempDir, removeDir, newRootKey, rootEnv,
  isoTimestamp, newNonce, sha256Hex, v1Params, buildV1Request, buildV3Request, rawRequest,
  encodeQuery, REQUEST_ID_RE,
} = require('./lib/server');
const {
  expectSdkError, expectPopError, expectRawError, expectRawOk, assertListRegionsWire, assertListRegionsModel,
} = require('./lib/expect');

const MIN = 60 * 1000;
const listRegions = (client, acceptLanguage) => client.listRegions(new Swas.ListRegionsRequest(acceptLanguage ? { acceptLanguage } : {}));

describe('gateway: authentication and protocol errors', () => {
  let server, dataDir, port;
  const root = newRootKey();
  const AK = root.AccessKeyId;
  const SK = root.AccessKeySecret;

  before(async () => {
    dataDir = makeTempDir();
    server = await startServer({ env: rootEnv(root), dataDir });
    port = server.port;
  });

  after(async () => {
    if (server) await server.stop();
    removeDir(dataDir);
  });

  // ---------------------------------------------------------------- controls
  describe('controls (the raw signers and the root key are accepted)', () => {
    it('GET /healthz answers 200 without a signature', async () => {
      const res = await rawRequest(port, { method: 'GET', path: '/healthz' });
      assert.equal(res.status, 200, `got ${res.status} ${res.body}`);
    });

    it('swas SDK V3 with the root key succeeds', async () => {
      assertListRegionsModel(await listRegions(clients.swas(port, AK, SK)));
    });

    it('raw V3 request signed by the suite succeeds', async () => {
      const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK });
      const res = expectRawOk(await rawRequest(port, req));
      assertListRegionsWire(res.json);
    });

    it('raw V3 request with a form body and its true content hash succeeds', async () => {
      const body = 'AcceptLanguage=en-US';
      const req = buildV3Request({
        port, action: 'ListRegions', accessKeyId: AK, secret: SK, body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectRawOk(await rawRequest(port, req));
    });

    it('raw V1 GET signed by the suite succeeds', async () => {
      const req = buildV1Request({ params: v1Params({ action: 'ListRegions', accessKeyId: AK }), secret: SK });
      const res = expectRawOk(await rawRequest(port, req));
      assertListRegionsWire(res.json);
    });

    it('raw V1 POST form signed by the suite succeeds', async () => {
      const req = buildV1Request({ method: 'POST', params: v1Params({ action: 'ListRegions', accessKeyId: AK }), secret: SK });
      const res = expectRawOk(await rawRequest(port, req));
      assertListRegionsWire(res.json);
    });
  });

  // ---------------------------------------------------------------- signature
  describe('SignatureDoesNotMatch (wrong secret) -> 400', () => {
    const expected = { code: 'SignatureDoesNotMatch', status: 400, messageIncludes: 'server string to sign is:' };

    it('swas SDK, V3', async () => {
      await expectSdkError(listRegions(clients.swas(port, AK, SK + 'x')), expected);
    });

    it("swas SDK, signatureAlgorithm 'v2' (V1 in the query)", async () => {
      await expectSdkError(listRegions(clients.swas(port, AK, 'wrong-secret', { signatureAlgorithm: 'v2' })), expected);
    });

    it('pop-core V1 GET', async () => {
      await expectPopError(clients.pop(port, AK, 'wrong-secret').request('ListRegions', {}), expected);
    });

    it('pop-core V1 POST form', async () => {
      await expectPopError(clients.pop(port, AK, 'wrong-secret').request('ListRegions', {}, { method: 'POST' }), expected);
    });

    it('V1 string to sign quoted in the message is the one the client signed', async () => {
      const e = await expectPopError(clients.pop(port, AK, 'wrong-secret').request('ListRegions', { SignatureNonce: 'quoted-nonce-' + newNonce() }), expected);
      // The quoted V1 string to sign starts with the method and the encoded path.
      assert.match(e.data.Message, /server string to sign is:\s*GET&%2F&AccessKeyId%3D/, e.data.Message);
      assert.ok(e.data.Message.includes('SignatureNonce%3Dquoted-nonce-'), e.data.Message);
    });

    it('a tampered V3 signature (right secret, request changed after signing)', async () => {
      const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK });
      req.path = '/?' + encodeQuery({ AcceptLanguage: 'en-US' }); // not covered by the signature
      expectRawError(await rawRequest(port, req), expected);
    });
  });

  describe('InvalidAccessKeyId.NotFound (unknown AccessKeyId) -> 404', () => {
    const expected = { code: 'InvalidAccessKeyId.NotFound', status: 404 };
    it('swas SDK, V3', async () => {
      await expectSdkError(listRegions(clients.swas(port, 'LTAInosuchkey000000', SK)), expected);
    });
    it("swas SDK, signatureAlgorithm 'v2'", async () => {
      await expectSdkError(listRegions(clients.swas(port, 'LTAInosuchkey000000', SK, { signatureAlgorithm: 'v2' })), expected);
    });
    it('pop-core V1', async () => {
      await expectPopError(clients.pop(port, 'LTAInosuchkey000000', SK).request('ListRegions', {}), expected);
    });
  });

  // ---------------------------------------------------------------- tenants and key state
  describe('accounts created by swasctl', () => {
    let acct, other;
    before(() => {
      acct = swasctl(['account', 'create', '--name', 'gateway-tenant-a'], dataDir);
      other = swasctl(['account', 'create', '--name', 'gateway-tenant-b'], dataDir);
    });

    it('swasctl account create prints {AccountId, AccessKeyId, AccessKeySecret}', () => {
      for (const a of [acct, other]) {
        assert.equal(typeof a, 'object', `swasctl output: ${JSON.stringify(a)}`);
        assert.match(String(a.AccountId), /^\d{16}$/, `AccountId in ${JSON.stringify(a)}`);
        assert.equal(typeof a.AccessKeyId, 'string');
        assert.equal(typeof a.AccessKeySecret, 'string');
        assert.ok(a.AccessKeyId.length > 0 && a.AccessKeySecret.length > 0);
      }
      assert.notEqual(acct.AccountId, other.AccountId);
      assert.notEqual(acct.AccessKeyId, other.AccessKeyId);
      assert.notEqual(acct.AccountId, root.AccountId);
    });

    it('the new key works at once (V3, V1 via swas, pop-core)', async () => {
      assertListRegionsModel(await listRegions(clients.swas(port, acct.AccessKeyId, acct.AccessKeySecret)));
      assertListRegionsModel(await listRegions(clients.swas(port, acct.AccessKeyId, acct.AccessKeySecret, { signatureAlgorithm: 'v2' })));
      assertListRegionsWire(await clients.pop(port, acct.AccessKeyId, acct.AccessKeySecret).request('ListRegions', {}));
    });

    it("one tenant's AccessKeyId with another tenant's secret -> SignatureDoesNotMatch 400", async () => {
      await expectSdkError(listRegions(clients.swas(port, acct.AccessKeyId, other.AccessKeySecret)),
        { code: 'SignatureDoesNotMatch', status: 400 });
      await expectSdkError(listRegions(clients.swas(port, other.AccessKeyId, SK)),
        { code: 'SignatureDoesNotMatch', status: 400 });
    });

    it('disabled key -> InvalidAccessKeyId.Inactive 400; re-enabled -> works', async () => {
      swasctl(['accesskey', 'disable', '--id', other.AccessKeyId], dataDir);
      const expected = { code: 'InvalidAccessKeyId.Inactive', status: 400 };
      await expectSdkError(listRegions(clients.swas(port, other.AccessKeyId, other.AccessKeySecret)), expected);
      await expectSdkError(listRegions(clients.swas(port, other.AccessKeyId, other.AccessKeySecret, { signatureAlgorithm: 'v2' })), expected);
      await expectPopError(clients.pop(port, other.AccessKeyId, other.AccessKeySecret).request('ListRegions', {}), expected);
      // Other keys are unaffected.
      assertListRegionsModel(await listRegions(clients.swas(port, acct.AccessKeyId, acct.AccessKeySecret)));

      swasctl(['accesskey', 'enable', '--id', other.AccessKeyId], dataDir);
      assertListRegionsModel(await listRegions(clients.swas(port, other.AccessKeyId, other.AccessKeySecret)));
      assertListRegionsWire(await clients.pop(port, other.AccessKeyId, other.AccessKeySecret).request('ListRegions', {}));
    });
  });

  // ---------------------------------------------------------------- replay
  describe('SignatureNonceUsed (nonce reused) -> 400', () => {
    const expected = { code: 'SignatureNonceUsed', status: 400 };

    it('swas SDK V3, x-acs-signature-nonce pinned through globalParameters.headers', async () => {
      const nonce = newNonce();
      const c = clients.swas(port, AK, SK, { globalParameters: { headers: { 'x-acs-signature-nonce': nonce } } });
      assertListRegionsModel(await listRegions(c));
      await expectSdkError(listRegions(c), expected);
      // A fresh client with the same nonce is refused too.
      await expectSdkError(listRegions(clients.swas(port, AK, SK, { globalParameters: { headers: { 'x-acs-signature-nonce': nonce } } })), expected);
    });

    it("swas SDK signatureAlgorithm 'v2', SignatureNonce pinned through globalParameters.queries", async () => {
      const c = clients.swas(port, AK, SK, { signatureAlgorithm: 'v2', globalParameters: { queries: { SignatureNonce: newNonce() } } });
      assertListRegionsModel(await listRegions(c));
      await expectSdkError(listRegions(c), expected);
    });

    it('pop-core, SignatureNonce passed as a parameter', async () => {
      const pop = clients.pop(port, AK, SK);
      const nonce = newNonce();
      assertListRegionsWire(await pop.request('ListRegions', { SignatureNonce: nonce }));
      await expectPopError(pop.request('ListRegions', { SignatureNonce: nonce }), expected);
      await expectPopError(pop.request('ListRegions', { SignatureNonce: nonce }, { method: 'POST' }), expected);
    });

    it('a fresh nonce on the same client keeps working', async () => {
      const pop = clients.pop(port, AK, SK);
      assertListRegionsWire(await pop.request('ListRegions', { SignatureNonce: newNonce() }));
      assertListRegionsWire(await pop.request('ListRegions', { SignatureNonce: newNonce() }));
    });
  });

  // ---------------------------------------------------------------- time
  describe('timestamps', () => {
    for (const [label, offset] of [['20 min in the past', -20 * MIN], ['20 min in the future', 20 * MIN]]) {
      it(`V3 x-acs-date ${label} -> InvalidTimeStamp.Expired 400`, async () => {
        const c = clients.swas(port, AK, SK, { globalParameters: { headers: { 'x-acs-date': isoTimestamp(offset) } } });
        await expectSdkError(listRegions(c), { code: 'InvalidTimeStamp.Expired', status: 400 });
      });
      it(`pop-core Timestamp ${label} -> InvalidTimeStamp.Expired 400`, async () => {
        await expectPopError(clients.pop(port, AK, SK).request('ListRegions', { Timestamp: isoTimestamp(offset) }),
          { code: 'InvalidTimeStamp.Expired', status: 400 });
      });
    }

    it('V3 x-acs-date 10 min off (inside the 15 min window) is accepted', async () => {
      for (const offset of [-10 * MIN, 10 * MIN]) {
        const c = clients.swas(port, AK, SK, { globalParameters: { headers: { 'x-acs-date': isoTimestamp(offset) } } });
        assertListRegionsModel(await listRegions(c));
      }
    });

    for (const garbage of ['2024-13-45T99:00:00Z', 'yesterday']) {
      it(`V3 x-acs-date ${JSON.stringify(garbage)} -> InvalidTimeStamp.Format 400`, async () => {
        const c = clients.swas(port, AK, SK, { globalParameters: { headers: { 'x-acs-date': garbage } } });
        await expectSdkError(listRegions(c), { code: 'InvalidTimeStamp.Format', status: 400 });
      });
      it(`pop-core Timestamp ${JSON.stringify(garbage)} -> InvalidTimeStamp.Format 400`, async () => {
        await expectPopError(clients.pop(port, AK, SK).request('ListRegions', { Timestamp: garbage }),
          { code: 'InvalidTimeStamp.Format', status: 400 });
      });
    }
  });

  // ---------------------------------------------------------------- routing
  describe('routing', () => {
    it('pop-core unknown action -> InvalidAction.NotFound 404', async () => {
      await expectPopError(clients.pop(port, AK, SK).request('NoSuchAction', {}), { code: 'InvalidAction.NotFound', status: 404 });
    });

    it('openapi-core callApi (V3) unknown action -> InvalidAction.NotFound 404', async () => {
      await expectSdkError(callApi(clients.openapi(port, AK, SK), 'NoSuchAction'), { code: 'InvalidAction.NotFound', status: 404 });
    });

    it('pop-core apiVersion 2099-01-01 -> InvalidVersion 400', async () => {
      await expectPopError(clients.pop(port, AK, SK, '2099-01-01').request('ListRegions', {}), { code: 'InvalidVersion', status: 400 });
    });

    it('openapi-core callApi (V3) version 2099-01-01 -> InvalidVersion 400', async () => {
      await expectSdkError(callApi(clients.openapi(port, AK, SK), 'ListRegions', { version: '2099-01-01' }), { code: 'InvalidVersion', status: 400 });
    });

    it('openapi-core callApi (V3) ListRegions with the SWAS version succeeds', async () => {
      const res = await callApi(clients.openapi(port, AK, SK), 'ListRegions');
      assert.equal(res.statusCode, 200);
      assertListRegionsWire(res.body);
    });
  });

  // ---------------------------------------------------------------- raw protocol errors
  describe('raw protocol errors', () => {
    for (const method of ['PUT', 'DELETE']) {
      it(`${method} / -> UnsupportedHTTPMethod 400`, async () => {
        const res = await rawRequest(port, { method, path: '/' });
        expectRawError(res, { code: 'UnsupportedHTTPMethod', status: 400 });
      });
    }

    it('V1 parameters without Signature -> MissingSignature 400', async () => {
      const req = buildV1Request({ params: v1Params({ action: 'ListRegions', accessKeyId: AK }), signature: null });
      expectRawError(await rawRequest(port, req), { code: 'MissingSignature', status: 400 });
    });

    it('V3 headers without Authorization -> MissingSignature 400', async () => {
      const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK });
      delete req.headers.authorization;
      expectRawError(await rawRequest(port, req), { code: 'MissingSignature', status: 400 });
    });

    it('bare POST / with nothing at all -> MissingSignature 400', async () => {
      expectRawError(await rawRequest(port, { method: 'POST', path: '/', headers: { 'content-length': '0' } }),
        { code: 'MissingSignature', status: 400 });
    });

    for (const [label, auth] of [
      ['"ACS3-HMAC-SHA256 Credential=x"', 'ACS3-HMAC-SHA256 Credential=x'],
      ['without Signature=', `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version`],
    ]) {
      it(`malformed Authorization ${label} -> IncompleteSignature 400`, async () => {
        const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK });
        req.headers.authorization = auth;
        expectRawError(await rawRequest(port, req), { code: 'IncompleteSignature', status: 400 });
      });
    }

    it('V3 x-acs-content-sha256 not matching the body (signature otherwise valid) -> InvalidParameter.ContentSha256 400', async () => {
      const req = buildV3Request({
        port, action: 'ListRegions', accessKeyId: AK, secret: SK, body: 'AcceptLanguage=en-US',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        contentSha256: sha256Hex('AcceptLanguage=zh-CN'),
      });
      expectRawError(await rawRequest(port, req), { code: 'InvalidParameter.ContentSha256', status: 400 });
    });

    it('V3 empty body but x-acs-content-sha256 of something else -> InvalidParameter.ContentSha256 400', async () => {
      const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK, contentSha256: sha256Hex('x') });
      expectRawError(await rawRequest(port, req), { code: 'InvalidParameter.ContentSha256', status: 400 });
    });

    for (const [param, code] of [['Timestamp', 'MissingTimestamp'], ['SignatureNonce', 'MissingSignatureNonce'], ['AccessKeyId', 'MissingAccessKeyId']]) {
      it(`V1 GET without ${param} (signed) -> ${code} 400`, async () => {
        const params = v1Params({ action: 'ListRegions', accessKeyId: AK, overrides: { [param]: null } });
        assert.ok(!(param in params));
        const req = buildV1Request({ params, secret: SK });
        expectRawError(await rawRequest(port, req), { code, status: 400 });
      });
    }

    it('V1 GET with a duplicated query parameter -> InvalidParameter 400', async () => {
      const params = Object.entries(v1Params({ action: 'ListRegions', accessKeyId: AK }));
      params.push(['AcceptLanguage', 'en-US'], ['AcceptLanguage', 'zh-CN']);
      const req = buildV1Request({ params, secret: SK });
      assert.equal((req.path.match(/AcceptLanguage=/g) || []).length, 2);
      expectRawError(await rawRequest(port, req), { code: 'InvalidParameter', status: 400 });
    });

    it('V1 GET with a duplicated Action -> InvalidParameter 400', async () => {
      const params = Object.entries(v1Params({ action: 'ListRegions', accessKeyId: AK }));
      params.push(['Action', 'ListRegions']);
      const req = buildV1Request({ params, secret: SK });
      expectRawError(await rawRequest(port, req), { code: 'InvalidParameter', status: 400 });
    });

    it('V3 with a duplicated query parameter -> InvalidParameter 400', async () => {
      const req = buildV3Request({ port, action: 'ListRegions', accessKeyId: AK, secret: SK, query: [['AcceptLanguage', 'en-US'], ['AcceptLanguage', 'en-US']] });
      expectRawError(await rawRequest(port, req), { code: 'InvalidParameter', status: 400 });
    });

    it('every error answer carries a distinct RequestId', async () => {
      const ids = new Set();
      for (let i = 0; i < 3; i++) {
        const res = await rawRequest(port, { method: 'PUT', path: '/' });
        assert.match(res.json.RequestId, REQUEST_ID_RE);
        ids.add(res.json.RequestId);
      }
      assert.equal(ids.size, 3);
    });
  });
});

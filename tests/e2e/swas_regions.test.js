'use strict';
// SWAS ListRegions through every client and wire format the official SDKs use, plus raw
// V1 JSON/XML: same answers, SDK model shape, languages, keep-alive.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const Swas = require('@alicloud/swas-open20200601');

const {
  startServer, clients, makeTempDir, removeDir, newRootKey, rootEnv,
  v1Params, buildV1Request, rawRequest, REQUEST_ID_RE,
} = require('./lib/server');
const {
  expectSdkError, expectPopError, expectRawError, assertListRegionsWire, assertListRegionsModel, REQUIRED_REGIONS,
} = require('./lib/expect');

const listRegions = (client, acceptLanguage) => client.listRegions(new Swas.ListRegionsRequest(acceptLanguage ? { acceptLanguage } : {}));
// SDK model regions -> comparable wire-shaped list.
const modelToWire = regions => regions.map(r => ({ RegionId: r.regionId, LocalName: r.localName, RegionEndpoint: r.regionEndpoint }));

describe('SWAS ListRegions', () => {
  let server, dataDir, port;
  const root = newRootKey();
  const AK = root.AccessKeyId;
  const SK = root.AccessKeySecret;
  let reference; // wire regions from the V3 call, the yardstick for the other clients

  before(async () => {
    dataDir = makeTempDir();
    server = await startServer({ env: rootEnv(root), dataDir });
    port = server.port;
  });

  after(async () => {
    if (server) await server.stop();
    removeDir(dataDir);
  });

  describe('across clients', () => {
    it('(a) swas SDK, default config (V3 ACS3-HMAC-SHA256)', async () => {
      const res = await listRegions(clients.swas(port, AK, SK));
      const body = assertListRegionsModel(res);
      assert.equal(res.headers['content-type'], 'application/json;charset=utf-8');
      reference = modelToWire(body.regions);
    });

    it("(b) swas SDK, signatureAlgorithm 'v2' (V1 HMAC-SHA1 in the query)", async () => {
      assert.ok(reference, 'no reference answer: case (a) failed');
      const body = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK, { signatureAlgorithm: 'v2' })));
      assert.deepEqual(modelToWire(body.regions), reference);
    });

    it('(c) pop-core V1 GET', async () => {
      assert.ok(reference, 'no reference answer: case (a) failed');
      const json = assertListRegionsWire(await clients.pop(port, AK, SK).request('ListRegions', {}));
      assert.deepEqual(json.Regions, reference);
    });

    it('(d) pop-core V1 POST form body', async () => {
      assert.ok(reference, 'no reference answer: case (a) failed');
      const json = assertListRegionsWire(await clients.pop(port, AK, SK).request('ListRegions', {}, { method: 'POST' }));
      assert.deepEqual(json.Regions, reference);
    });

    it('(e) raw V1 GET Format=XML -> XML body, text/xml;charset=utf-8', async () => {
      assert.ok(reference, 'no reference answer: case (a) failed');
      const params = v1Params({ action: 'ListRegions', accessKeyId: AK, overrides: { Format: 'XML' } });
      const res = await rawRequest(port, buildV1Request({ params, secret: SK }));
      assert.equal(res.status, 200, `got ${res.status} ${res.body}`);
      assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
      assert.match(res.body, /<ListRegionsResponse>[\s\S]*<\/ListRegionsResponse>\s*$/);
      assert.ok(res.body.includes('<RegionId>cn-hangzhou</RegionId>'), res.body.slice(0, 500));
      const rid = /<RequestId>([^<]*)<\/RequestId>/.exec(res.body);
      assert.ok(rid, `no <RequestId> in ${res.body.slice(0, 300)}`);
      assert.match(rid[1], REQUEST_ID_RE);
      assert.ok(!/<Code>/.test(res.body), 'success XML carries <Code>');
      for (const id of REQUIRED_REGIONS) assert.ok(res.body.includes(`<RegionId>${id}</RegionId>`), `XML lacks ${id}`);
      assert.equal((res.body.match(/<RegionId>/g) || []).length, reference.length, 'XML region count');
    });

    // Alibaba's RPC docs: Format defaults to XML. The SDKs always send it.
    it('raw V1 GET without Format -> XML (the RPC default)', async () => {
      const params = v1Params({ action: 'ListRegions', accessKeyId: AK, overrides: { Format: null } });
      const res = await rawRequest(port, buildV1Request({ params, secret: SK }));
      assert.equal(res.status, 200, `got ${res.status} ${res.body}`);
      assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
      assert.match(res.body, /<ListRegionsResponse>[\s\S]*<RegionId>cn-hangzhou<\/RegionId>/);
    });

    it('raw V1 GET Format=JSON -> exact wire shape, application/json;charset=utf-8', async () => {
      assert.ok(reference, 'no reference answer: case (a) failed');
      const res = await rawRequest(port, buildV1Request({ params: v1Params({ action: 'ListRegions', accessKeyId: AK }), secret: SK }));
      assert.equal(res.status, 200, `got ${res.status} ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/json;charset=utf-8');
      assert.deepEqual(assertListRegionsWire(res.json).Regions, reference);
    });

    it('raw V1 Format=XML error -> <Error> with Code, text/xml;charset=utf-8', async () => {
      const params = v1Params({ action: 'ListRegions', accessKeyId: AK, overrides: { Format: 'XML' } });
      const res = await rawRequest(port, buildV1Request({ params, secret: 'wrong-secret' }));
      assert.equal(res.status, 400, `got ${res.status} ${res.body}`);
      assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
      assert.match(res.body, /<Error>[\s\S]*<\/Error>\s*$/);
      assert.ok(res.body.includes('<Code>SignatureDoesNotMatch</Code>'), res.body);
      const rid = /<RequestId>([^<]*)<\/RequestId>/.exec(res.body);
      assert.ok(rid, res.body);
      assert.match(rid[1], REQUEST_ID_RE);
      for (const tag of ['HostId', 'Message', 'Recommend']) assert.match(res.body, new RegExp(`<${tag}>[^<]*</${tag}>`), `<${tag}> in ${res.body}`);
    });

    it('raw V1 Format=XML with AcceptLanguage=xx -> <Error> InvalidParameter 400', async () => {
      const params = v1Params({ action: 'ListRegions', accessKeyId: AK, params: { AcceptLanguage: 'xx' }, overrides: { Format: 'XML' } });
      const res = await rawRequest(port, buildV1Request({ params, secret: SK }));
      assert.equal(res.status, 400, `got ${res.status} ${res.body}`);
      assert.equal(res.headers['content-type'], 'text/xml;charset=utf-8');
      assert.ok(res.body.includes('<Code>InvalidParameter</Code>'), res.body);
    });
  });

  describe('RegionEndpoint', () => {
    // swasd's documented choice (src/swas/api/routes.h, `swasd --help`): RegionEndpoint is the
    // Host the caller used, so a client that follows it keeps talking to swasd; --public-endpoint
    // overrides it. (Alibaba answers swas.<region>.aliyuncs.com.)
    it('defaults to the Host the caller used, for every region and client', async () => {
      const host = `127.0.0.1:${port}`;
      const v3 = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK)));
      for (const r of v3.regions) assert.equal(r.regionEndpoint, host, `V3 RegionEndpoint of ${r.regionId}`);
      const pop = assertListRegionsWire(await clients.pop(port, AK, SK).request('ListRegions', {}));
      for (const r of pop.Regions) assert.equal(r.RegionEndpoint, host, `pop-core RegionEndpoint of ${r.RegionId}`);
    });

    it('--public-endpoint sets it', async () => {
      const dir = makeTempDir();
      const other = await startServer({ env: rootEnv(root), dataDir: dir, args: ['--public-endpoint', 'swas.example.test:8443'] });
      try {
        const body = assertListRegionsModel(await listRegions(clients.swas(other.port, AK, SK)));
        for (const r of body.regions) assert.equal(r.regionEndpoint, 'swas.example.test:8443', `RegionEndpoint of ${r.regionId}`);
      } finally {
        await other.stop();
        removeDir(dir);
      }
    });
  });

  describe('AcceptLanguage', () => {
    const hz = regions => regions.find(r => r.regionId === 'cn-hangzhou');

    it('default is zh-CN (Chinese LocalName)', async () => {
      const dflt = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK)));
      const zh = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK), 'zh-CN'));
      assert.deepEqual(modelToWire(dflt.regions), modelToWire(zh.regions));
      assert.ok(hz(zh.regions).localName.includes('杭州'), `zh-CN LocalName of cn-hangzhou: ${hz(zh.regions).localName}`);
    });

    it('en-US gives English names, same regions', async () => {
      const zh = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK), 'zh-CN'));
      const en = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK), 'en-US'));
      assert.deepEqual(en.regions.map(r => r.regionId), zh.regions.map(r => r.regionId));
      assert.deepEqual(en.regions.map(r => r.regionEndpoint), zh.regions.map(r => r.regionEndpoint));
      assert.match(hz(en.regions).localName, /Hangzhou/, `en-US LocalName of cn-hangzhou: ${hz(en.regions).localName}`);
      for (const r of en.regions) assert.match(r.localName, /^[\x20-\x7e]+$/, `en-US LocalName not ASCII: ${JSON.stringify(r)}`);
    });

    // The API page documents zh-CN and en-US only; anything else is refused
    // (docs/coverage.md, "Notes on choices").
    it('ja-JP (undocumented) -> InvalidParameter 400', async () => {
      await expectSdkError(listRegions(clients.swas(port, AK, SK), 'ja-JP'), { code: 'InvalidParameter', status: 400 });
    });

    it('pop-core with AcceptLanguage=en-US matches the V3 answer', async () => {
      const en = assertListRegionsModel(await listRegions(clients.swas(port, AK, SK), 'en-US'));
      const json = assertListRegionsWire(await clients.pop(port, AK, SK).request('ListRegions', { AcceptLanguage: 'en-US' }));
      assert.deepEqual(json.Regions, modelToWire(en.regions));
    });

    for (const bad of ['xx', 'en']) {
      it(`AcceptLanguage=${bad} -> InvalidParameter 400 (swas SDK V3)`, async () => {
        await expectSdkError(listRegions(clients.swas(port, AK, SK), bad), { code: 'InvalidParameter', status: 400 });
      });
    }

    it("AcceptLanguage=xx -> InvalidParameter 400 (swas SDK 'v2' and pop-core)", async () => {
      await expectSdkError(listRegions(clients.swas(port, AK, SK, { signatureAlgorithm: 'v2' }), 'xx'), { code: 'InvalidParameter', status: 400 });
      await expectPopError(clients.pop(port, AK, SK).request('ListRegions', { AcceptLanguage: 'xx' }), { code: 'InvalidParameter', status: 400 });
    });
  });

  describe('keep-alive and request ids', () => {
    it('several sequential calls on one V3 client succeed with distinct RequestIds', async () => {
      const c = clients.swas(port, AK, SK);
      const ids = new Set();
      for (let i = 0; i < 6; i++) {
        const body = assertListRegionsModel(await listRegions(c, i % 2 ? 'en-US' : undefined));
        ids.add(body.requestId);
      }
      assert.equal(ids.size, 6);
    });

    it('several sequential calls on one pop-core client (keep-alive agent) succeed', async () => {
      const pop = clients.pop(port, AK, SK);
      const ids = new Set();
      for (let i = 0; i < 6; i++) {
        const json = assertListRegionsWire(await pop.request('ListRegions', {}, i % 2 ? { method: 'POST' } : {}));
        ids.add(json.RequestId);
      }
      assert.equal(ids.size, 6);
    });

    it('an error in the middle does not break the kept-alive connection', async () => {
      const c = clients.swas(port, AK, SK);
      assertListRegionsModel(await listRegions(c));
      await expectSdkError(listRegions(c, 'xx'), { code: 'InvalidParameter', status: 400 });
      assertListRegionsModel(await listRegions(c));
    });

    it('concurrent calls succeed', async () => {
      const c = clients.swas(port, AK, SK);
      const pop = clients.pop(port, AK, SK);
      const results = await Promise.all([
        listRegions(c), listRegions(c, 'en-US'), listRegions(c),
        pop.request('ListRegions', {}), pop.request('ListRegions', {}, { method: 'POST' }),
      ]);
      for (const r of results.slice(0, 3)) assertListRegionsModel(r);
      for (const r of results.slice(3)) assertListRegionsWire(r);
    });
  });
});

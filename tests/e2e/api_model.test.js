'use strict';
// The API model (api/sdk/*.json, generated from the official SDKs by
// tools/apigen/generate.js): every operation any of the five SDKs knows
// answers -- its real shape when swasd implements it, else the documented
// NotImplemented.Swasd -- and only names no SDK knows get
// InvalidAction.NotFound. Also: the committed specs match the installed
// SDKs (drift check), and implemented answers decode through the SDK.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Swas = require('@alicloud/swas-open20200601');
const $dara = require('@darabonba/typescript');

const {
  REPO_ROOT, SWASD_BIN, startServer, clients, makeTempDir, removeDir, newRootKey, rootEnv,
} = require('./lib/server');
const { expectPopError } = require('./lib/expect');

const SPEC_DIR = path.join(REPO_ROOT, 'api', 'sdk');
const PRODUCTS = ['swas-open', 'ecs', 'vpc', 'ram', 'sts'];

function loadSpec(code) {
  return JSON.parse(fs.readFileSync(path.join(SPEC_DIR, `${code}.json`), 'utf8'));
}

// What swasd implements, from its own operation table.
function implementedByVersion() {
  const table = JSON.parse(execFileSync(SWASD_BIN, ['--dump-operations'], { encoding: 'utf8' }));
  const out = new Map();
  for (const p of table.Products) out.set(p.Version, new Set(p.Operations.map(o => o.Action)));
  return out;
}

describe('API model: generated from the official SDKs', () => {
  it('the committed specs match the installed SDK packages (drift check)', () => {
    // Exits 1 and names the file when a spec differs from what the
    // generator writes from tests/e2e/node_modules today.
    const out = execFileSync('node', [path.join(REPO_ROOT, 'tools', 'apigen', 'generate.js'), '--check'],
      { encoding: 'utf8' });
    for (const code of PRODUCTS) assert.match(out, new RegExp(`api/sdk/${code}\\.json matches`));
  });

  it('covers every operation of the five SDKs', () => {
    const counts = {};
    for (const code of PRODUCTS) {
      const spec = loadSpec(code);
      counts[code] = spec.operations.length;
      const Client = require(spec.package).default;
      const methods = Object.getOwnPropertyNames(Client.prototype).filter(n => n.endsWith('WithOptions'));
      assert.equal(spec.operations.length, methods.length, `${code}: one entry per SDK method`);
    }
    assert.equal(counts['swas-open'], 98);
    const coverage = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'coverage.md'), 'utf8');
    for (const code of PRODUCTS) {
      assert.ok(coverage.includes(`| ${counts[code]} |`), `docs/coverage.md shows ${code}'s ${counts[code]} operations`);
    }
  });
});

describe('API model: every known operation answers', () => {
  let server, dataDir, root, implemented;

  before(async () => {
    root = newRootKey();
    dataDir = makeTempDir();
    server = await startServer({ env: rootEnv(root), dataDir });
    implemented = implementedByVersion();
  });
  after(async () => {
    if (server) await server.stop();
    removeDir(dataDir);
  });

  for (const code of PRODUCTS) {
    it(`${code}: each operation answers its shape or NotImplemented.Swasd, never InvalidAction.NotFound`, async () => {
      const spec = loadSpec(code);
      const pop = clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret, spec.version);
      const served = implemented.get(spec.version) || new Set();
      let notImplemented = 0;
      let answered = 0;
      for (const op of spec.operations) {
        if (served.has(op.action)) {
          // Implemented: with only RegionId it does its work or refuses
          // the input -- with the operation's own codes, not a routing one.
          try {
            await pop.request(op.action, { RegionId: 'cn-hangzhou' }, { method: 'POST' });
            answered++;
          } catch (e) {
            assert.ok(e.code, `${op.action}: ${e.message}`);
            assert.notEqual(e.code, 'InvalidAction.NotFound', `${op.action} is implemented`);
            assert.notEqual(e.code, 'NotImplemented.Swasd', `${op.action} is implemented`);
            assert.notEqual(e.code, 'InternalError', `${op.action}: ${JSON.stringify(e.data)}`);
            answered++;
          }
          continue;
        }
        const e = await expectPopError(
          pop.request(op.action, { RegionId: 'cn-hangzhou' }, { method: 'POST' }),
          { code: 'NotImplemented.Swasd', status: 400, messageIncludes: op.action });
        assert.match(e.data.Message, new RegExp(`${code} ${spec.version} ${op.action}`));
        notImplemented++;
      }
      assert.equal(answered, served.size, `${code}: every implemented operation was called`);
      assert.equal(answered + notImplemented, spec.operations.length);
    });
  }

  it('a name no SDK knows is still InvalidAction.NotFound; an unknown Version InvalidVersion', async () => {
    const pop = clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret);
    await expectPopError(pop.request('ShareImageToEverybody', { RegionId: 'cn-hangzhou' }, { method: 'POST' }),
      { code: 'InvalidAction.NotFound', status: 404 });
    const vpc = clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret, '2016-04-28');
    await expectPopError(vpc.request('ShareImageToEverybody', {}, { method: 'POST' }),
      { code: 'InvalidAction.NotFound', status: 404 });
    const odd = clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret, '2099-01-01');
    await expectPopError(odd.request('ListRegions', {}, { method: 'POST' }),
      { code: 'InvalidVersion', status: 400 });
  });

  it('the not-implemented answer needs a valid signature first', async () => {
    const pop = clients.pop(server.port, root.AccessKeyId, 'not-the-secret');
    await expectPopError(pop.request('ListFirewallRules', { RegionId: 'cn-hangzhou' }, { method: 'POST' }),
      { code: 'SignatureDoesNotMatch', status: 400 });
  });

  it('implemented list answers decode through the SDK response models', async () => {
    // swasd runs with --strict-answers in this suite (lib/server.js), so an
    // answer that does not fit the SDK model is an InternalError; here the
    // SDK itself casts each answer into its typed model.
    const client = clients.swas(server.port, root.AccessKeyId, root.AccessKeySecret);
    const calls = [
      ['listRegions', new Swas.ListRegionsRequest({})],
      ['listPlans', new Swas.ListPlansRequest({ regionId: 'cn-hangzhou' })],
      ['listImages', new Swas.ListImagesRequest({ regionId: 'cn-hangzhou' })],
      ['listInstances', new Swas.ListInstancesRequest({ regionId: 'cn-hangzhou' })],
      ['listDisks', new Swas.ListDisksRequest({ regionId: 'cn-hangzhou' })],
      ['listSnapshots', new Swas.ListSnapshotsRequest({ regionId: 'cn-hangzhou' })],
      ['listCustomImages', new Swas.ListCustomImagesRequest({ regionId: 'cn-hangzhou' })],
    ];
    for (const [method, req] of calls) {
      const res = await client[method](req);
      assert.equal(res.statusCode, 200, method);
      assert.ok(res.body.requestId, `${method}: RequestId`);
      // Re-cast the body through the model: the SDK throws on a shape mismatch.
      const Body = res.body.constructor;
      assert.doesNotThrow(() => $dara.cast(res.body.toMap(), new Body({})), method);
    }
    const images = await client.listCustomImages(new Swas.ListCustomImagesRequest({ regionId: 'cn-hangzhou' }));
    // The SDK types ListCustomImages' counts as strings; swasd sends them so.
    assert.equal(typeof images.body.totalCount, 'string');
  });
});

'use strict';
// GET /metrics (docs/operations.md, "Metrics"): Prometheus text that `promtool check metrics`
// accepts, whose counters and histograms move with the calls just made, with resources by kind,
// build info, store commits and nonces. Served without credentials to loopback clients.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');

const { startServer, rawRequest, makeTempDir, removeDir, newRootKey, rootEnv, usingPostgres } = require('./lib/server');

// The store this run uses (the postgres stage runs the suite again on PostgreSQL).
const BACKEND = usingPostgres() ? 'postgresql' : 'sqlite';
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { runSwasd } = require('./lib/ops');

const Swas = require('@alicloud/swas-open20200601');

// The sample value of the series `name{labels}` (labels exactly as rendered), or undefined.
function sample(text, series) {
  for (const line of text.split('\n')) {
    if (line.startsWith(series + ' ')) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

async function scrape(port) {
  const r = await rawRequest(port, { path: '/metrics' });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
  return r.body;
}

function promtoolCheck(text) {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 30000 });
  assert.ok(!r.error, `promtool not runnable (scripts/install-deps.sh installs it): ${r.error}`);
  assert.equal(r.status, 0, `promtool check metrics failed:\n${r.stdout}${r.stderr}\n--- metrics ---\n${text}`);
  assert.equal((r.stdout + r.stderr).trim(), '', `promtool lint findings:\n${r.stdout}${r.stderr}`);
}

const OK_LIST_REGIONS = 'swasd_requests_total{product="SWAS-OPEN",action="ListRegions",code="OK"}';
const DENIED_LIST = 'swasd_requests_total{product="SWAS-OPEN",action="ListInstances",code="Forbidden.RAM"}';
const LATENCY_COUNT = 'swasd_request_duration_seconds_count{product="SWAS-OPEN",action="ListRegions"}';

describe('GET /metrics', () => {
  let server, dataDir, root, rootSwas, user, version;

  before(async () => {
    dataDir = makeTempDir();
    root = newRootKey();
    server = await startServer({ env: rootEnv(root), dataDir });
    rootSwas = S.swasClient(server.port, root);
    user = await L.makeUser(L.ramClient(server.port, root));
    version = runSwasd(['--version']).stdout.trim().replace(/^swasd /, '');
  });
  after(async () => {
    if (server) await server.stop();
    removeDir(dataDir);
  });

  it('passes promtool check metrics, before and after calls', async () => {
    promtoolCheck(await scrape(server.port));
    await rootSwas.listRegions(new Swas.ListRegionsRequest({}));
    await expectSdkError(S.R.listInstances(L.swasClient(server.port, user.key)), { code: 'Forbidden.RAM', status: 403 });
    promtoolCheck(await scrape(server.port));
  });

  it('counts the calls just made, by product, action and code, with their latency', async () => {
    const before = await scrape(server.port);
    const ok0 = sample(before, OK_LIST_REGIONS) || 0;
    const denied0 = sample(before, DENIED_LIST) || 0;
    const lat0 = sample(before, LATENCY_COUNT) || 0;
    const nonces0 = sample(before, 'swasd_nonces_claimed_total');
    const commits0 = sample(before, 'swasd_store_commit_duration_seconds_count');
    const groups0 = sample(before, 'swasd_store_commit_group_size_sum');
    const table0 = sample(before, 'swasd_nonce_table_entries');

    for (let i = 0; i < 3; i++) await rootSwas.listRegions(new Swas.ListRegionsRequest({}));
    const userSwas = L.swasClient(server.port, user.key);
    for (let i = 0; i < 2; i++) {
      await expectSdkError(S.R.listInstances(userSwas), { code: 'Forbidden.RAM', status: 403 });
    }

    const after = await scrape(server.port);
    assert.equal(sample(after, OK_LIST_REGIONS), ok0 + 3);
    assert.equal(sample(after, DENIED_LIST), denied0 + 2);
    assert.equal(sample(after, LATENCY_COUNT), lat0 + 3);
    assert.equal(sample(after, LATENCY_COUNT.replace('_count{', '_bucket{').replace('"}', '",le="+Inf"}')), lat0 + 3);
    // Every signed call records its nonce in the store: 5 claims, each a committed write.
    assert.equal(sample(after, 'swasd_nonces_claimed_total'), nonces0 + 5);
    // ... and holds it in memory too, to refuse a replay at once.
    assert.equal(sample(after, 'swasd_nonce_table_entries'), table0 + 5);
    assert.ok(sample(after, 'swasd_store_commit_duration_seconds_count') > commits0);
    assert.ok(sample(after, 'swasd_store_commit_group_size_sum') >= groups0 + 5);
    assert.equal(sample(after, 'swasd_requests_in_flight'), 1, 'the scrape itself is in flight');
  });

  it('an unknown action is counted without its name as a label', async () => {
    const { callApi, clients } = require('./lib/server');
    const c = clients.openapi(server.port, root.AccessKeyId, root.AccessKeySecret);
    await expectSdkError(callApi(c, 'NoSuchActionAtAll'), { code: 'InvalidAction.NotFound', status: 404 });
    const text = await scrape(server.port);
    assert.ok(!text.includes('NoSuchActionAtAll'));
    assert.ok(sample(text, 'swasd_requests_total{product="SWAS-OPEN",action="",code="InvalidAction.NotFound"}') >= 1, text);
  });

  it('resources by kind, build info and start time', async () => {
    const text = await scrape(server.port);
    assert.equal(sample(text, `swasd_build_info{version="${version}",backend="${BACKEND}"}`), 1, text);
    assert.ok(Math.abs(sample(text, 'swasd_start_time_seconds') - Date.now() / 1000) < 600);
    assert.equal(sample(text, 'swasd_resources{kind="ram.user"}'), 1, text);
    assert.equal(sample(text, 'swasd_resources{kind="swas.instance"}'), 0, text);
    for (const kind of ['swas.disk', 'swas.snapshot', 'swas.image', 'ecs.instance', 'vpc.vpc', 'ram.role', 'ram.policy']) {
      assert.notEqual(sample(text, `swasd_resources{kind="${kind}"}`), undefined, kind);
    }
  });

  it('needs no credentials on loopback, and /healthz names the version', async () => {
    const r = await rawRequest(server.port, { path: '/healthz' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { Status: 'OK', Backend: BACKEND, Durable: true, Version: version });
  });
});

'use strict';
// The database goes away under a running swasd and comes back (PostgreSQL only: runs when
// SWASD_E2E_DATABASE_ADMIN_DSN is set; it starts its own throwaway cluster with
// scripts/pg-cluster.sh, since it stops and starts the server). While PostgreSQL is down every
// request is answered at once with 503 ServiceUnavailable (the SDK's ServerError), never a
// hang or a 500; once it is back, requests succeed without restarting swasd, and everything
// acknowledged before is still there.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const {
  REPO_ROOT, startServer, removeDir, makeTempDir, rawRequest, usingPostgres, psql, dsnWithDatabase,
} = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, PLAN_ID } = S;

const skip = usingPostgres() ? false : 'PostgreSQL only: set SWASD_E2E_DATABASE_ADMIN_DSN (scripts/pg-cluster.sh start DIR prints one)';
const CLUSTER = path.join(REPO_ROOT, 'scripts/pg-cluster.sh');
const cluster = (cmd, dir) => execFileSync(CLUSTER, [cmd, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120000 }).trim();
const UNAVAILABLE = { code: 'ServiceUnavailable', status: 503 };

describe('PostgreSQL stops and starts under a running swasd', { skip }, () => {
  let clusterDir, dataDir, server, c, root;
  const acked = { instanceIds: [], token: S.newToken(), tokenAnswer: null, shared: null };

  before(async () => {
    // pg-cluster.sh hands the directory to the postgres user (when run as root).
    clusterDir = makeTempDir('swasd-pgc-');
    const adminDsn = cluster('start', clusterDir);
    psql('CREATE DATABASE swasd', adminDsn);
    dataDir = makeTempDir();
    root = S.newSafeRootKey();
    server = await startServer({
      env: { SWASD_ROOT_ACCESS_KEY_ID: root.AccessKeyId, SWASD_ROOT_ACCESS_KEY_SECRET: root.AccessKeySecret, SWASD_ROOT_ACCOUNT_ID: root.AccountId },
      dataDir,
      database: dsnWithDatabase(adminDsn, 'swasd'),
      masterKeyFile: path.join(dataDir, 'pg-master.key'),
      args: S.readyArgs(),
    });
    c = S.swasClient(server.port, root);
  });

  after(async () => {
    if (server) await server.stop();
    if (clusterDir) {
      try { cluster('stop', clusterDir); } catch (_) { /* best effort */ }
      removeDir(clusterDir);
    }
    removeDir(dataDir);
  });

  it('requests succeed while PostgreSQL is up; their effects are acknowledged', async () => {
    const imageId = await S.systemImageId(c);
    const first = await R.createInstances(c, { planId: PLAN_ID, imageId, period: 1, amount: 2, clientToken: acked.token });
    acked.instanceIds.push(...first.instanceIds);
    acked.tokenAnswer = first.instanceIds;
    await S.waitInstanceStatus(c, first.instanceIds[0], 'Running');
    const made = await S.makeImage(c, { instanceId: first.instanceIds[0] });
    S.assertRequestIdOnly(await R.modifyImageShareStatus(c, { imageId: made.imageId, operation: 'Share' }));
    acked.shared = made.imageId;
    const res = await rawRequest(server.port, { method: 'GET', path: '/healthz' });
    assert.equal(res.status, 200, res.body);
  });

  it('PostgreSQL stopped -> every request answers 503 ServiceUnavailable at once (reads, writes, /healthz)', async () => {
    cluster('down', clusterDir);
    for (let i = 0; i < 3; i++) {
      for (const call of [
        () => R.listInstances(c),
        () => R.listCustomImages(c),
        () => R.modifyImageShareStatus(c, { imageId: acked.shared, operation: 'UnShare' }),
        () => R.createInstances(c, { planId: PLAN_ID, imageId: 'whatever', period: 1 }),
      ]) {
        const t0 = Date.now();
        await expectSdkError(call, UNAVAILABLE);
        assert.ok(Date.now() - t0 < 5000, `a request took ${Date.now() - t0} ms while the database was down`);
      }
    }
    const res = await rawRequest(server.port, { method: 'GET', path: '/healthz' });
    assert.equal(res.status, 503, res.body);
    assert.equal(server.exited, null, 'swasd exited while the database was down');
  });

  it('PostgreSQL started again -> requests succeed without restarting swasd; nothing acknowledged is lost', async () => {
    cluster('up', clusterDir);
    // The very first request already reconnects.
    const listed = await R.listInstances(c, { pageSize: 100 });
    const ids = listed.instances.map(i => i.instanceId);
    for (const id of acked.instanceIds) assert.ok(ids.includes(id), `instance ${id} lost: ${JSON.stringify(ids)}`);
    assert.equal((await S.getCustomImage(c, acked.shared)).inShare, true, 'acknowledged Share lost');
    // The ClientToken still gives the first answer, and creates nothing.
    const imageId = await S.systemImageId(c);
    const again = await R.createInstances(c, { planId: PLAN_ID, imageId, period: 1, amount: 2, clientToken: acked.token });
    assert.deepEqual(again.instanceIds, acked.tokenAnswer);
    assert.equal((await R.listInstances(c, { pageSize: 100 })).totalCount, listed.totalCount);
    // The UnShare refused with 503 while down did not happen; now it does.
    S.assertRequestIdOnly(await R.modifyImageShareStatus(c, { imageId: acked.shared, operation: 'UnShare' }));
    assert.equal((await S.getCustomImage(c, acked.shared)).inShare, false);
    const res = await rawRequest(server.port, { method: 'GET', path: '/healthz' });
    assert.equal(res.status, 200, res.body);
    assert.equal(server.exited, null);
  });
});

'use strict';
// Store faults end to end, through swasd's hidden `--fault-injection SPEC` flag (a
// store::FaultyStore around the SQLite store; src/store/faulty). The official SDK sees each
// fault as a proper error envelope (InternalError 500 / ServiceUnavailable 503 with a
// RequestId), the state stays consistent, and requests succeed again once the fault is gone.
// The in-process unit tests (faulty_gateway_test) cover each fault in detail; these check the
// wiring and what a real client experiences.
const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { removeDir, makeTempDir, SWASD_BIN, rawRequest } = require('../e2e/lib/server');
const { expectSdkError } = require('../e2e/lib/expect');
const S = require('../e2e/lib/swas');
const { R } = S;

const started = [];
after(async () => {
  for (const env of started) { await env.server.stop(); removeDir(env.dataDir); }
});

async function start(spec) {
  const env = await S.startSwas({ args: ['--fault-injection', spec] });
  started.push(env);
  return env;
}

describe('--fault-injection', () => {
  it('refuses a bad spec at start, naming it', () => {
    const dir = makeTempDir();
    const r = spawnSync(SWASD_BIN, ['--listen', '127.0.0.1:0', '--data-dir', dir, '--fault-injection', 'explode'], { encoding: 'utf8', timeout: 10000 });
    removeDir(dir);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /fault injection spec: 'explode': unknown fault/);
  });

  it('is not shown in --help', () => {
    const r = spawnSync(SWASD_BIN, ['--help'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    // The hidden store-fault flag; --enable-fault-injection (the admin API's) is public.
    assert.ok(!/(^|\s)--fault-injection|SWASD_FAULT_INJECTION/.test(r.stdout), r.stdout);
  });

  it('a full disk (while a flag file exists): 500 InternalError, nothing written, then recovery', async () => {
    const flagDir = makeTempDir('swasd-full-');
    const flag = path.join(flagDir, 'full');
    const env = await start(`disk-full,when-file=${flag}`);
    const health = await rawRequest(env.port, { path: '/healthz' });
    assert.equal(health.json.Backend, 'faulty(sqlite)');
    const c = S.swasClient(env.port, env.root);
    const img = await S.systemImageId(c);
    const before = (await R.listInstances(c)).totalCount;
    fs.writeFileSync(flag, '');
    // Every signed call claims its nonce first: with the disk full even reads get 500, and
    // the message stays generic.
    for (const call of [() => R.createInstances(c, { imageId: img, amount: 1 }), () => R.listInstances(c)]) {
      const e = await expectSdkError(call, { code: 'InternalError', status: 500 });
      assert.equal(e.data.Message, 'An error occurred while processing your request.');
    }
    fs.unlinkSync(flag);
    assert.equal((await R.listInstances(c)).totalCount, before, 'a refused write left something behind');
    await R.createInstances(c, { imageId: img, amount: 1 });
    assert.equal((await R.listInstances(c)).totalCount, before + 1);
    const logs = env.server.stdout + env.server.stderr;
    assert.match(logs, /store fault injection active/);
    assert.match(logs, /fault injection: commit failed/);
    removeDir(flagDir);
  });

  it('an unavailable store: 503 ServiceUnavailable; /healthz still answers', async () => {
    const flagDir = makeTempDir('swasd-down-');
    const flag = path.join(flagDir, 'down');
    const env = await start(`unavailable,when-file=${flag}`);
    const c = S.swasClient(env.port, env.root);
    fs.writeFileSync(flag, '');
    await expectSdkError(R.listCustomImages(c), { code: 'ServiceUnavailable', status: 503 });
    fs.unlinkSync(flag);
    await R.listCustomImages(c);
    removeDir(flagDir);
  });

  it('lost acknowledgements: a ClientToken retry returns the ImageId that was committed', async () => {
    const env = await start('none');
    const c = S.swasClient(env.port, env.root);
    const inst = await S.makeInstance(c);
    const { snapshotId } = await S.makeSnapshot(c, inst);
    await env.server.stop();
    // Same data dir; now every 2nd write commits but answers 500. A call makes two writes
    // (its nonce, then its work), so the work's acknowledgement is the one lost.
    const env2 = await S.startSwas({ dataDir: env.dataDir, root: env.root, args: ['--fault-injection', 'lose-ack-every=2'] });
    started.push(env2);
    const c2 = S.swasClient(env2.port, env.root);
    const params = { instanceId: inst, systemSnapshotId: snapshotId, imageName: 'lost-ack', clientToken: S.newToken() };
    await expectSdkError(R.createCustomImage(c2, params), { code: 'InternalError', status: 500 });
    // The next call's work write is the 4th write: its ack is lost too. Read around it.
    const again = await R.createCustomImage(c2, params).catch(e => e);
    await env2.server.stop();
    const env3 = await S.startSwas({ dataDir: env.dataDir, root: env.root });
    started.push(env3);
    const c3 = S.swasClient(env3.port, env.root);
    const list = await R.listCustomImages(c3);
    assert.equal(list.customImages.length, 1, `exactly one image despite two attempts: ${JSON.stringify(list.customImages)}`);
    const replay = await R.createCustomImage(c3, params);
    assert.equal(replay.imageId, list.customImages[0].imageId);
    if (again && again.imageId) assert.equal(again.imageId, replay.imageId);
  });
});

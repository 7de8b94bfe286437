'use strict';
// Throttling (docs/operations.md, "Throttling"): per-account, per-action token buckets set with
// --throttle. The refusal is Alibaba's Throttling.User (HTTP 400, "Request was denied due to user
// flow control.") through the SWAS SDK and pop-core, changes nothing, and recovers once the bucket
// refills (on the test clock); other actions and other accounts have their own buckets; a server
// without --throttle never refuses; a malformed rule stops swasd at start.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');

const { removeDir, makeTempDir, SWASD_BIN } = require('./lib/server');
const { expectSdkError, expectPopError, expectThrottled } = require('./lib/expect');
const S = require('./lib/swas');

const MESSAGE = 'Request was denied due to user flow control.';
const share = (c, imageId, operation) => S.R.modifyImageShareStatus(c, { imageId, operation });
const listRegions = c => c.listRegions(new S.Swas.ListRegionsRequest({}));

describe('throttling', () => {
  let env, a, imageId, other;

  before(async () => {
    env = await S.startSwas({
      args: [...S.TEST_CLOCK_ARGS, '--throttle', 'ModifyImageShareStatus=1/m,burst=2;ListRegions=2/s'],
    });
    a = S.swasClient(env.port, env.root);
    ({ imageId } = await S.makeImage(a));
    other = S.createAccount(env.dataDir, 'other');
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('refuses past the burst with Throttling.User 400, changing nothing, and recovers', async () => {
    await share(a, imageId, 'Share');
    await share(a, imageId, 'UnShare');
    const e = await expectThrottled(share(a, imageId, 'Share'));
    assert.equal(e.data.Message, MESSAGE);
    assert.equal((await S.getCustomImage(a, imageId)).inShare, false, 'a throttled Share changed the image');
    // pop-core (V1) gets the same answer.
    const pop = S.popClient(env.port, env.root);
    const pe = await expectPopError(pop.request('ModifyImageShareStatus',
      { RegionId: S.REGION, ImageId: imageId, Operation: 'Share' }, { method: 'POST' }),
    { code: 'Throttling.User', status: 400 });
    assert.equal(pe.data.Message, MESSAGE);
    // Other actions and other accounts are not held back.
    await S.R.listCustomImages(a);
    await expectSdkError(share(S.swasClient(env.port, other), imageId, 'Share'),
      { code: 'InvalidImageId.NotFound', status: 404 });
    // One token a minute: a minute later one call passes, the next is refused again.
    await S.advanceClock(env.port, 61);
    await share(a, imageId, 'Share');
    assert.equal((await S.getCustomImage(a, imageId)).inShare, true);
    await expectThrottled(share(a, imageId, 'UnShare'));
  });

  it('counts per second for a /s rule', async () => {
    const c = S.swasClient(env.port, env.root);
    const calls = await Promise.allSettled(Array.from({ length: 10 }, () => listRegions(c)));
    const refused = calls.filter(r => r.status === 'rejected');
    assert.ok(refused.length >= 1 && refused.length <= 8,
      `2/s with a burst of 2 let ${10 - refused.length} of 10 concurrent calls through`);
    for (const r of refused) assert.equal(r.reason.code, 'Throttling.User');
    await S.advanceClock(env.port, 2);
    await listRegions(c);
  });

  it('never refuses without --throttle', async () => {
    const plain = await S.startSwas();
    try {
      const c = S.swasClient(plain.port, plain.root);
      await Promise.all(Array.from({ length: 20 }, () => listRegions(c)));
    } finally {
      await plain.server.stop();
      removeDir(plain.dataDir);
    }
  });

  it('stops at start on a malformed rule, saying which', () => {
    const dir = makeTempDir();
    try {
      const r = spawnSync(SWASD_BIN, ['--data-dir', dir, '--listen', '127.0.0.1:0', '--throttle', 'ModifyImageShareStatus=5/hour'],
        { encoding: 'utf8', timeout: 10000 });
      assert.equal(r.status, 2, `exit ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, /--throttle 'ModifyImageShareStatus=5\/hour'/);
    } finally {
      removeDir(dir);
    }
  });
});

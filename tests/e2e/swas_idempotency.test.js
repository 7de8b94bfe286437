'use strict';
// ClientToken idempotence on every mutating SWAS operation: same token + same parameters ->
// same answer and no second effect; same token + other parameters -> IdempotentParameterMismatch
// 400; concurrent calls with one token -> one resource; tokens are per account and per action.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, REGION, PLAN_ID, jsonIds } = S;

const MISMATCH = { code: 'IdempotentParameterMismatch', status: 400 };

let env, a, b, other;

before(async () => {
  // Clocked (lib/swas.js): in-between states hold until a wait helper moves the clock on.
  env = await S.startSwas({ clocked: true });
  a = S.swasClient(env.port, env.root);
  other = S.createAccount(env.dataDir, 'other');
  b = S.swasClient(env.port, other);
});

after(async () => {
  if (env) { await env.server.stop(); removeDir(env.dataDir); }
});

function tenant(name) {
  const key = S.createAccount(env.dataDir, name);
  return { key, c: S.swasClient(env.port, key), pop: S.popClient(env.port, key) };
}

const countInstances = async c => (await R.listInstances(c, { pageSize: 100 })).totalCount;
const countSnapshots = async c => (await R.listSnapshots(c, { pageSize: 100 })).totalCount;
const countImages = async c => Number((await R.listCustomImages(c, { pageSize: 100 })).totalCount);

// ==========================================================================================
describe('CreateInstances', () => {
  let t, img, params;
  before(async () => {
    t = tenant('idem-instances');
    img = await S.systemImageId(t.c);
    params = { planId: PLAN_ID, imageId: img, period: 1, amount: 2, chargeType: 'PrePaid', autoRenew: false };
  });

  it('same token + same params -> same InstanceIds, no new instances', async () => {
    const token = S.newToken();
    const first = await R.createInstances(t.c, { ...params, clientToken: token });
    assert.equal(first.instanceIds.length, 2);
    const n = await countInstances(t.c);
    for (let i = 0; i < 3; i++) {
      const again = await R.createInstances(t.c, { ...params, clientToken: token });
      assert.deepEqual(again.instanceIds, first.instanceIds, `replay ${i + 1}`);
    }
    // A fresh client (new nonces, new connection) replays the same way.
    const fresh = S.swasClient(env.port, t.key);
    assert.deepEqual((await R.createInstances(fresh, { ...params, clientToken: token })).instanceIds, first.instanceIds);
    assert.equal(await countInstances(t.c), n);
  });

  it('same token + same params through pop-core (V1) -> same InstanceIds', async () => {
    const token = S.newToken();
    const first = await R.createInstances(t.c, { ...params, clientToken: token });
    const n = await countInstances(t.c);
    const json = await t.pop.request('CreateInstances', {
      RegionId: REGION, PlanId: PLAN_ID, ImageId: img, Period: '1', Amount: '2', ChargeType: 'PrePaid', AutoRenew: 'false', ClientToken: token,
    }, { method: 'POST' });
    assert.deepEqual(JSON.parse(JSON.stringify(json)).InstanceIds, first.instanceIds);
    assert.equal(await countInstances(t.c), n);
  });

  it('same token + different params -> IdempotentParameterMismatch 400, nothing created', async () => {
    const token = S.newToken();
    const first = await R.createInstances(t.c, { ...params, clientToken: token });
    const n = await countInstances(t.c);
    await expectSdkError(R.createInstances(t.c, { ...params, amount: 1, clientToken: token }), MISMATCH);
    await expectSdkError(R.createInstances(t.c, { ...params, period: 3, clientToken: token }), MISMATCH);
    await expectSdkError(R.createInstances(t.c, { ...params, autoRenew: true, clientToken: token }), MISMATCH);
    assert.equal(await countInstances(t.c), n);
    // The original answer is still what the token gives.
    assert.deepEqual((await R.createInstances(t.c, { ...params, clientToken: token })).instanceIds, first.instanceIds);
  });

  it('concurrent calls with one token -> all succeed with the same ids, one set of instances', async () => {
    const token = S.newToken();
    const n = await countInstances(t.c);
    const clientsN = [0, 1, 2, 3].map(() => S.swasClient(env.port, t.key));
    const answers = await Promise.all(clientsN.map(c => R.createInstances(c, { ...params, clientToken: token })));
    for (const ans of answers) assert.deepEqual(ans.instanceIds, answers[0].instanceIds, JSON.stringify(answers.map(x => x.instanceIds)));
    assert.equal(await countInstances(t.c), n + 2);
  });

  it('concurrent calls with one token and different params -> one wins, the other IdempotentParameterMismatch', async () => {
    const token = S.newToken();
    const n = await countInstances(t.c);
    const settled = await Promise.allSettled([
      R.createInstances(S.swasClient(env.port, t.key), { ...params, amount: 1, clientToken: token }),
      R.createInstances(S.swasClient(env.port, t.key), { ...params, amount: 2, clientToken: token }),
    ]);
    const ok = settled.filter(x => x.status === 'fulfilled');
    const bad = settled.filter(x => x.status === 'rejected');
    assert.equal(ok.length, 1, JSON.stringify(settled.map(x => x.status === 'fulfilled' ? x.value : { code: x.reason.code, status: x.reason.statusCode })));
    assert.equal(bad[0].reason.code, 'IdempotentParameterMismatch', JSON.stringify({ code: bad[0].reason.code, status: bad[0].reason.statusCode }));
    assert.equal(bad[0].reason.statusCode, 400);
    assert.equal(await countInstances(t.c), n + ok[0].value.instanceIds.length);
  });

  it('tokens are case-sensitive: "Tok-…" and "tok-…" are two requests', async () => {
    const base = 'Tok-' + S.newToken();
    const n = await countInstances(t.c);
    const upper = await R.createInstances(t.c, { ...params, clientToken: base });
    const lower = await R.createInstances(t.c, { ...params, clientToken: base.toLowerCase() });
    assert.ok(!lower.instanceIds.some(id => upper.instanceIds.includes(id)), 'tokens differing in case replayed each other');
    assert.equal(await countInstances(t.c), n + 4);
  });

  it('the same token used by another account is independent', async () => {
    const token = S.newToken();
    const t2 = tenant('idem-instances-2');
    const mine = await R.createInstances(t.c, { ...params, clientToken: token });
    const theirs = await R.createInstances(t2.c, { ...params, clientToken: token });
    assert.equal(theirs.instanceIds.length, 2);
    assert.ok(!theirs.instanceIds.some(id => mine.instanceIds.includes(id)), 'another account got the same instances');
    assert.equal(await countInstances(t2.c), 2);
    // And with different params there it is still not a mismatch with the first account's call.
    const t3 = tenant('idem-instances-3');
    const third = await R.createInstances(t3.c, { ...params, amount: 1, clientToken: token });
    assert.equal(third.instanceIds.length, 1);
  });

  it('ClientToken longer than 64 chars -> 400', async () => {
    const n = await countInstances(t.c);
    await S.expectSdkClientError(R.createInstances(t.c, { ...params, clientToken: 'y'.repeat(65) }), { statuses: [400] });
    assert.equal(await countInstances(t.c), n);
  });
});

// ==========================================================================================
describe('power operations and UpdateInstanceAttribute', () => {
  let t, id;
  before(async () => {
    t = tenant('idem-power');
    id = await S.makeInstance(t.c);
  });

  it('StopInstance replayed after the instance is Stopped -> success, no error, still Stopped', async () => {
    const token = S.newToken();
    S.assertRequestIdOnly(await R.stopInstance(t.c, { instanceId: id, clientToken: token }));
    await S.waitInstanceStatus(t.c, id, 'Stopped');
    S.assertRequestIdOnly(await R.stopInstance(t.c, { instanceId: id, clientToken: token }));
    assert.equal((await S.getInstance(t.c, id)).status, 'Stopped');
    // Without a token it is a new request and the state is wrong.
    await expectSdkError(R.stopInstance(t.c, { instanceId: id }), { code: 'IncorrectInstanceStatus', status: 403 });
    // Start; the Stop replay has no second effect.
    await R.startInstance(t.c, { instanceId: id, clientToken: S.newToken() });
    await S.waitInstanceStatus(t.c, id, 'Running');
    S.assertRequestIdOnly(await R.stopInstance(t.c, { instanceId: id, clientToken: token }));
    assert.equal((await S.getInstance(t.c, id)).status, 'Running', 'a replayed Stop stopped the instance again');
  });

  it('a token is per action: the same token on Stop, Start and Reboot are three requests', async () => {
    const token = S.newToken();
    await R.stopInstance(t.c, { instanceId: id, clientToken: token });
    await S.waitInstanceStatus(t.c, id, 'Stopped');
    await R.startInstance(t.c, { instanceId: id, clientToken: token });
    assert.equal((await S.getInstance(t.c, id)).status, 'Starting');
    await S.waitInstanceStatus(t.c, id, 'Running');
    await R.rebootInstance(t.c, { instanceId: id, clientToken: token });
    assert.equal((await S.getInstance(t.c, id)).status, 'Starting');
    await S.waitInstanceStatus(t.c, id, 'Running');
  });

  it('RebootInstance: same token, other instance -> IdempotentParameterMismatch 400', async () => {
    const id2 = await S.makeInstance(t.c);
    const token = S.newToken();
    await R.rebootInstance(t.c, { instanceId: id, clientToken: token });
    await expectSdkError(R.rebootInstance(t.c, { instanceId: id2, clientToken: token }), MISMATCH);
    await S.waitInstanceStatus(t.c, id, 'Running');
    assert.equal((await S.getInstance(t.c, id2)).status, 'Running', 'the mismatched call rebooted the other instance');
  });

  it('UpdateInstanceAttribute: replay has no second effect; other name -> mismatch', async () => {
    const token = S.newToken();
    await R.updateInstanceAttribute(t.c, { instanceId: id, instanceName: 'first-name', clientToken: token });
    assert.equal((await S.getInstance(t.c, id)).instanceName, 'first-name');
    await expectSdkError(R.updateInstanceAttribute(t.c, { instanceId: id, instanceName: 'second-name', clientToken: token }), MISMATCH);
    assert.equal((await S.getInstance(t.c, id)).instanceName, 'first-name');
    await R.updateInstanceAttribute(t.c, { instanceId: id, instanceName: 'third-name' });
    S.assertRequestIdOnly(await R.updateInstanceAttribute(t.c, { instanceId: id, instanceName: 'first-name', clientToken: token }));
    assert.equal((await S.getInstance(t.c, id)).instanceName, 'third-name', 'a replay renamed the instance again');
  });
});

// ==========================================================================================
describe('snapshots and custom images', () => {
  let t, inst, disk;
  before(async () => {
    t = tenant('idem-images');
    // Four instances: a custom-image quota of 12 for this tenant.
    [inst] = await S.makeInstances(t.c, { amount: 4 });
    disk = (await S.systemDisk(t.c, inst)).diskId;
  });

  it('CreateSnapshot: same token -> same SnapshotId, one snapshot; other name -> mismatch', async () => {
    const token = S.newToken();
    const first = await R.createSnapshot(t.c, { diskId: disk, snapshotName: 'idem-snap', clientToken: token });
    const again = await R.createSnapshot(t.c, { diskId: disk, snapshotName: 'idem-snap', clientToken: token });
    assert.equal(again.snapshotId, first.snapshotId);
    assert.equal(await countSnapshots(t.c), 1);
    await expectSdkError(R.createSnapshot(t.c, { diskId: disk, snapshotName: 'idem-snap-2', clientToken: token }), MISMATCH);
    assert.equal(await countSnapshots(t.c), 1);
    await S.waitSnapshotAccomplished(t.c, first.snapshotId);
    assert.equal((await R.createSnapshot(t.c, { diskId: disk, snapshotName: 'idem-snap', clientToken: token })).snapshotId, first.snapshotId);
  });

  it('CreateSnapshot: concurrent calls with one token -> one snapshot', async () => {
    const token = S.newToken();
    const n = await countSnapshots(t.c);
    const answers = await Promise.all([0, 1, 2].map(() =>
      R.createSnapshot(S.swasClient(env.port, t.key), { diskId: disk, snapshotName: 'idem-conc', clientToken: token })));
    assert.ok(answers.every(x => x.snapshotId === answers[0].snapshotId), JSON.stringify(answers.map(x => x.snapshotId)));
    assert.equal(await countSnapshots(t.c), n + 1);
    await S.waitSnapshotAccomplished(t.c, answers[0].snapshotId);
  });

  it('a token is per action: the same token on CreateSnapshot and CreateCustomImage', async () => {
    const token = S.newToken();
    const snap = await R.createSnapshot(t.c, { diskId: disk, snapshotName: 'per-action', clientToken: token });
    await S.waitSnapshotAccomplished(t.c, snap.snapshotId);
    const img = await R.createCustomImage(t.c, { instanceId: inst, systemSnapshotId: snap.snapshotId, imageName: 'per-action-image', clientToken: token });
    assert.match(img.imageId, S.IMAGE_ID_RE);
    await S.waitImageAvailable(t.c, img.imageId);
    // Both tokens still replay their own action.
    assert.equal((await R.createSnapshot(t.c, { diskId: disk, snapshotName: 'per-action', clientToken: token })).snapshotId, snap.snapshotId);
    assert.equal((await R.createCustomImage(t.c, { instanceId: inst, systemSnapshotId: snap.snapshotId, imageName: 'per-action-image', clientToken: token })).imageId, img.imageId);
  });

  describe('CreateCustomImage', () => {
    let snap;
    before(async () => {
      snap = (await S.makeSnapshot(t.c, inst)).snapshotId;
    });

    it('same token -> same ImageId, one image (while "4" and after "1"); other name -> mismatch', async () => {
      const token = S.newToken();
      const f = { instanceId: inst, systemSnapshotId: snap, imageName: 'idem-image', description: 'd', clientToken: token };
      const n = await countImages(t.c);
      const first = await R.createCustomImage(t.c, f);
      assert.equal((await R.createCustomImage(t.c, f)).imageId, first.imageId);
      await S.waitImageAvailable(t.c, first.imageId);
      assert.equal((await R.createCustomImage(t.c, f)).imageId, first.imageId);
      assert.equal(await countImages(t.c), n + 1);
      await expectSdkError(R.createCustomImage(t.c, { ...f, imageName: 'idem-image-2' }), MISMATCH);
      await expectSdkError(R.createCustomImage(t.c, { ...f, description: 'other' }), MISMATCH);
      assert.equal(await countImages(t.c), n + 1);
    });

    it('concurrent calls with one token -> one image', async () => {
      const token = S.newToken();
      const s2 = (await S.makeSnapshot(t.c, inst)).snapshotId;
      const n = await countImages(t.c);
      const f = { instanceId: inst, systemSnapshotId: s2, imageName: 'idem-conc-image', clientToken: token };
      const answers = await Promise.all([0, 1, 2].map(() => R.createCustomImage(S.swasClient(env.port, t.key), f)));
      assert.ok(answers.every(x => x.imageId === answers[0].imageId), JSON.stringify(answers.map(x => x.imageId)));
      assert.equal(await countImages(t.c), n + 1);
      await S.waitImageAvailable(t.c, answers[0].imageId);
    });
  });

  describe('ModifyImageShareStatus', () => {
    let imageId;
    before(async () => {
      imageId = (await S.makeImage(t.c, { instanceId: inst })).imageId;
    });

    it('replayed Share after an UnShare -> success and no second effect', async () => {
      const token = S.newToken();
      S.assertRequestIdOnly(await R.modifyImageShareStatus(t.c, { imageId, operation: 'Share', clientToken: token }));
      assert.equal((await S.getCustomImage(t.c, imageId)).inShare, true);
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'UnShare' });
      S.assertRequestIdOnly(await R.modifyImageShareStatus(t.c, { imageId, operation: 'Share', clientToken: token }));
      assert.equal((await S.getCustomImage(t.c, imageId)).inShare, false, 'a replayed Share shared the image again');
    });

    it('same token with UnShare -> IdempotentParameterMismatch 400', async () => {
      const token = S.newToken();
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'Share', clientToken: token });
      await expectSdkError(R.modifyImageShareStatus(t.c, { imageId, operation: 'UnShare', clientToken: token }), MISMATCH);
      assert.equal((await S.getCustomImage(t.c, imageId)).inShare, true);
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'UnShare' });
    });

    it('concurrent Share calls with one token -> all succeed, shared once', async () => {
      const token = S.newToken();
      const answers = await Promise.all([0, 1, 2].map(() =>
        R.modifyImageShareStatus(S.swasClient(env.port, t.key), { imageId, operation: 'Share', clientToken: token })));
      for (const ans of answers) S.assertRequestIdOnly(ans);
      assert.equal((await S.getCustomImage(t.c, imageId)).inShare, true);
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'UnShare' });
    });

    it("another account's identical token does not replay this account's answer", async () => {
      const token = S.newToken();
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'Share', clientToken: token });
      await expectSdkError(R.modifyImageShareStatus(b, { imageId, operation: 'Share', clientToken: token }),
        { code: 'InvalidImageId.NotFound', status: 404 });
      await R.modifyImageShareStatus(t.c, { imageId, operation: 'UnShare' });
    });
  });

  describe('deletes', () => {
    it('DeleteCustomImage replayed after the delete -> success (not NotFound); other image -> mismatch', async () => {
      const x = await S.makeImage(t.c, { instanceId: inst });
      const y = await S.makeImage(t.c, { instanceId: inst });
      const token = S.newToken();
      S.assertRequestIdOnly(await R.deleteCustomImage(t.c, { imageId: x.imageId, clientToken: token }));
      S.assertRequestIdOnly(await R.deleteCustomImage(t.c, { imageId: x.imageId, clientToken: token }));
      await expectSdkError(R.deleteCustomImage(t.c, { imageId: y.imageId, clientToken: token }), MISMATCH);
      assert.ok(await S.getCustomImage(t.c, y.imageId), 'the mismatched call deleted the other image');
      // DeleteSnapshot with a token, replayed.
      await R.deleteCustomImage(t.c, { imageId: y.imageId });
      const stoken = S.newToken();
      S.assertRequestIdOnly(await R.deleteSnapshot(t.c, { snapshotId: x.snapshotId, clientToken: stoken }));
      S.assertRequestIdOnly(await R.deleteSnapshot(t.c, { snapshotId: x.snapshotId, clientToken: stoken }));
      await expectSdkError(R.deleteSnapshot(t.c, { snapshotId: x.snapshotId }), { code: 'InvalidSnapshotId.NotFound', status: 404 });
      await expectSdkError(R.deleteSnapshot(t.c, { snapshotId: y.snapshotId, clientToken: stoken }), MISMATCH);
      assert.ok(await S.getSnapshot(t.c, y.snapshotId), 'the mismatched call deleted the other snapshot');
    });

    it('DeleteCustomImages replayed -> success; other list -> mismatch', async () => {
      const [x, y] = await Promise.all([S.makeImage(t.c, { instanceId: inst }), S.makeImage(t.c)]);
      const token = S.newToken();
      const ids = jsonIds([x.imageId, y.imageId]);
      S.assertRequestIdOnly(await R.deleteCustomImages(t.c, { imageIds: ids, clientToken: token }));
      S.assertRequestIdOnly(await R.deleteCustomImages(t.c, { imageIds: ids, clientToken: token }));
      await expectSdkError(R.deleteCustomImages(t.c, { imageIds: jsonIds([x.imageId]), clientToken: token }), MISMATCH);
      assert.equal(await S.getCustomImage(t.c, x.imageId), undefined);
    });
  });
});

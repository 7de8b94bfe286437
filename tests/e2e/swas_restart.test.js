'use strict';
// A SWAS flow interrupted by SIGTERM and continued on the same data dir: transitions in flight
// at the stop (image "4", snapshot Progressing, instance Pending / Stopping) complete after the
// restart; sharing works and persists; ClientToken replays give the original answers.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, makeTempDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, PLAN_ID, jsonIds } = S;

describe('SWAS state across SIGTERM + restart', () => {
  const root = S.newSafeRootKey();
  const dataDir = makeTempDir();
  let server, a, b, other;
  const st = {};
  const tokens = { inst: S.newToken(), snap: S.newToken(), image: S.newToken(), share: S.newToken(), pending: S.newToken() };

  // Clocked (lib/swas.js): the transitions in flight at each stop are certainly still in
  // flight, and complete after the restart only when the wait helpers move the clock on.
  let clockOffsetMs = 0;
  // The first image takes many settles' worth of clock: the waits for other resources in the
  // first run do not finish it; the second run moves the clock past it explicitly.
  const IMAGE_MS = 60 * S.CLOCKED_MS;  // an hour, the most swasd accepts
  const start = async (ready) => {
    const env = await S.startSwas({ dataDir, root, ready, clocked: true, clockOffsetMs });
    server = env.server;
    a = S.swasClient(server.port, root);
    if (other) b = S.swasClient(server.port, other);
  };
  const stop = async () => {
    clockOffsetMs = server.clockOffsetMs;
    const res = await server.stop();
    assert.deepEqual(res, { code: 0, signal: null }, `swasd exit on SIGTERM\n${server.describe()}`);
  };

  before(async () => {
    // The image is still "4" when the server is stopped: nothing moves the clock past it.
    await start({ imageMs: IMAGE_MS });
  });

  after(async () => {
    if (server) await server.kill();
    removeDir(dataDir);
  });

  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };

  it('first run: instance (token) -> Running, snapshot (token) -> Accomplished, image (token) still "4"', async () => {
    other = S.createAccount(dataDir, 'other');
    b = S.swasClient(server.port, other);
    st.sysImage = await S.systemImageId(a);
    st.instParams = { planId: PLAN_ID, imageId: st.sysImage, period: 1, amount: 1 };
    const inst = await R.createInstances(a, { ...st.instParams, clientToken: tokens.inst });
    st.instanceId = inst.instanceIds[0];
    await S.waitInstanceStatus(a, st.instanceId, 'Running');
    st.diskId = (await S.systemDisk(a, st.instanceId)).diskId;
    const snap = await R.createSnapshot(a, { diskId: st.diskId, snapshotName: 'restart-snap', clientToken: tokens.snap });
    st.snapshotId = snap.snapshotId;
    await S.waitSnapshotAccomplished(a, st.snapshotId);
    st.imageParams = { instanceId: st.instanceId, systemSnapshotId: st.snapshotId, imageName: 'restart-image' };
    const img = await R.createCustomImage(a, { ...st.imageParams, clientToken: tokens.image });
    st.imageId = img.imageId;
    assert.equal((await S.getCustomImage(a, st.imageId)).status, '4');
    // UnShare while creating: recorded, nothing changes (it was not shared).
    S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { imageId: st.imageId, operation: 'UnShare' }));
    // The other tenant's image, to check isolation after the restart.
    st.otherImage = (await S.makeImage(b, { wait: false })).imageId;
  });

  it('first run: an instance Pending, a snapshot Progressing and a Stop in flight, then SIGTERM -> exit 0', async () => {
    need('instanceId', 'imageId');
    st.secondInstance = await S.makeInstance(a); // Running
    const pend = await R.createInstances(a, { ...st.instParams, clientToken: tokens.pending });
    st.pendingInstance = pend.instanceIds[0];
    const snap2 = await R.createSnapshot(a, { diskId: st.diskId, snapshotName: 'in-flight' });
    st.progressingSnapshot = snap2.snapshotId;
    await R.stopInstance(a, { instanceId: st.secondInstance });
    st.imageBefore = await S.getCustomImage(a, st.imageId);
    assert.equal(st.imageBefore.status, '4', 'the image must still be creating at the stop');
    await stop();
  });

  it('second run: the image becomes "1" with its fields unchanged', async () => {
    need('imageId');
    await start({});
    await S.advanceClock(server.port, IMAGE_MS / 1000);
    const img = await S.waitImageAvailable(a, st.imageId, S.REGION, 20000);
    for (const k of ['imageId', 'name', 'creationTime', 'systemSnapshotId', 'instanceId', 'userId', 'regionId']) {
      assert.deepEqual(img[k], st.imageBefore[k], `${k} changed across the restart`);
    }
    assert.equal(img.inShare, false);
  });

  it('second run: the Pending instance becomes Running, the snapshot Accomplished, the stopping instance Stopped', async () => {
    need('pendingInstance', 'progressingSnapshot', 'secondInstance');
    await S.waitInstanceStatus(a, st.pendingInstance, 'Running');
    await S.waitSnapshotAccomplished(a, st.progressingSnapshot);
    await S.waitInstanceStatus(a, st.secondInstance, 'Stopped');
    assert.equal((await S.getInstance(a, st.instanceId)).status, 'Running');
    const disks = await R.listDisks(a, { pageSize: 100 });
    assert.equal(disks.totalCount, 3, 'one System disk per instance');
  });

  it('second run: Share works; Share=true finds it', async () => {
    need('imageId');
    S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { imageId: st.imageId, operation: 'Share', clientToken: tokens.share }));
    assert.equal((await S.getCustomImage(a, st.imageId)).inShare, true);
    assert.deepEqual((await R.listCustomImages(a, { share: true })).customImages.map(i => i.imageId), [st.imageId]);
  });

  it('second run: ClientToken replays from the first run return the original results', async () => {
    need('instanceId', 'snapshotId', 'imageId');
    const n = (await R.listInstances(a, { pageSize: 100 })).totalCount;
    assert.deepEqual((await R.createInstances(a, { ...st.instParams, clientToken: tokens.inst })).instanceIds, [st.instanceId]);
    assert.deepEqual((await R.createInstances(a, { ...st.instParams, clientToken: tokens.pending })).instanceIds, [st.pendingInstance]);
    assert.equal((await R.listInstances(a, { pageSize: 100 })).totalCount, n);
    assert.equal((await R.createSnapshot(a, { diskId: st.diskId, snapshotName: 'restart-snap', clientToken: tokens.snap })).snapshotId, st.snapshotId);
    assert.equal((await R.createCustomImage(a, { ...st.imageParams, clientToken: tokens.image })).imageId, st.imageId);
    assert.equal(Number((await R.listCustomImages(a)).totalCount), 1);
    await expectSdkError(R.createCustomImage(a, { ...st.imageParams, imageName: 'restart-image-2', clientToken: tokens.image }),
      { code: 'IdempotentParameterMismatch', status: 400 });
    await expectSdkError(R.createInstances(a, { ...st.instParams, amount: 2, clientToken: tokens.inst }),
      { code: 'IdempotentParameterMismatch', status: 400 });
  });

  it('second run: the other tenant\'s image finished too and stays invisible to the first', async () => {
    need('otherImage');
    await S.waitImageAvailable(b, st.otherImage);
    assert.deepEqual((await R.listCustomImages(a, { imageIds: jsonIds([st.otherImage]) })).customImages, []);
    await expectSdkError(R.modifyImageShareStatus(a, { imageId: st.otherImage, operation: 'Share' }), { code: 'InvalidImageId.NotFound', status: 404 });
    await stop();
  });

  it('third run: the share persisted; the Share token replays; UnShare and the cleanup work', async () => {
    need('imageId');
    await start({});
    assert.equal((await S.getCustomImage(a, st.imageId)).inShare, true, 'InShare lost across the restart');
    await expectSdkError(R.deleteCustomImage(a, { imageId: st.imageId }), { code: 'CustomImageInShare', status: 400 });
    S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { imageId: st.imageId, operation: 'UnShare' }));
    // Replay of the second run's Share: success, no second effect.
    S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { imageId: st.imageId, operation: 'Share', clientToken: tokens.share }));
    assert.equal((await S.getCustomImage(a, st.imageId)).inShare, false, 'a replayed Share (after restart) shared the image again');
    await expectSdkError(R.deleteSnapshot(a, { snapshotId: st.snapshotId }), { code: 'SnapshotCreatedImage', status: 403 });
    S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId: st.imageId }));
    S.assertRequestIdOnly(await R.deleteSnapshot(a, { snapshotId: st.snapshotId }));
    assert.deepEqual((await R.listCustomImages(a)).customImages, []);
    await stop();
  });
});

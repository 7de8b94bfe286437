'use strict';
// The ModifyImageShareStatus seed story end to end, the swas SDK and the ECS SDK side by side:
// SWAS custom image -> not visible in ECS -> Share -> DescribeImages finds it at once (others,
// same ImageId; not in another region, not for another account) -> RunInstances -> Running ->
// StopInstance -> Stopped -> ReInitDisk ok -> UnShare -> DescribeImages no longer lists it ->
// RunInstances / CreateInstance / ReplaceSystemDisk 404 -> ReInitDisk 403 IncorrectImageStatus
// -> the instances are unaffected -> Share again -> ReInitDisk ok (AutoStartInstance) -> UnShare
// and delete the SWAS image -> RunInstances 404.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const { E, REGION, REGION2, TYPE } = X;

const NOT_FOUND_IMAGE = { code: 'InvalidImageId.NotFound', status: 404 };
const IMAGE_GONE = { code: 'IncorrectImageStatus', status: 403, messageIncludes: 'no longer available' };

describe('SWAS image shared to ECS: the seed story', () => {
  let env, swas, ecs, ecsB, swasB;
  const st = {};
  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };

  before(async () => {
    env = await X.startEcs();
    swas = S.swasClient(env.port, env.root);
    ecs = X.ecsClient(env.port, env.root);
    const other = S.createAccount(env.dataDir, 'other');
    swasB = S.swasClient(env.port, other);
    ecsB = X.ecsClient(env.port, other);
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('a SWAS custom image (Status "1") is made; not shared yet', async () => {
    const img = await S.makeImage(swas, { name: 'seed-image', description: 'seed story' });
    st.imageId = img.imageId;
    st.snapshotId = img.snapshotId;
    st.swasImage = await S.getCustomImage(swas, img.imageId);
    assert.equal(st.swasImage.inShare, false, JSON.stringify(st.swasImage));
  });

  it('before Share: DescribeImages ImageId=<m-id> -> empty (TotalCount 0, not an error); RunInstances -> 404', async () => {
    need('imageId');
    const body = await E.describeImages(ecs, { imageId: st.imageId });
    assert.equal(body.totalCount, 0, JSON.stringify(body));
    assert.deepEqual(X.images(body), []);
    const others = await E.describeImages(ecs, { imageOwnerAlias: 'others', pageSize: 100 });
    assert.ok(!X.images(others).some(i => i.imageId === st.imageId), `unshared image listed as others: ${JSON.stringify(others)}`);
    await expectSdkError(E.runInstances(ecs, { imageId: st.imageId, amount: 1 }), NOT_FOUND_IMAGE);
  });

  it('Share (swas SDK) -> the very next DescribeImages finds it: same m-id, others, Available, not public', async () => {
    need('imageId');
    S.assertRequestIdOnly(await X.share(swas, st.imageId), 'Share');
    // No waiting: the Share has returned, so the next ECS call must see it.
    const body = await E.describeImages(ecs, { imageId: st.imageId });
    assert.match(body.requestId, REQUEST_ID_RE);
    assert.equal(body.regionId, REGION, JSON.stringify(body));
    assert.equal(body.totalCount, 1, JSON.stringify(body));
    assert.equal(body.pageNumber, 1, JSON.stringify(body));
    assert.equal(body.pageSize, 10, JSON.stringify(body));
    const list = X.images(body);
    assert.equal(list.length, 1, JSON.stringify(body));
    const img = list[0];
    const ctx = JSON.stringify(img);
    assert.equal(img.imageId, st.imageId, ctx);
    assert.equal(img.imageName, 'seed-image', ctx);
    assert.equal(img.imageOwnerAlias, 'others', ctx);
    assert.equal(img.status, 'Available', ctx);
    assert.equal(img.isPublic, false, ctx);
    assert.equal(img.size, st.swasImage.requiredSystemDiskSize, `Size should be the SWAS image's size: ${ctx}`);
    assert.equal(img.OSType, 'linux', ctx);
    assert.equal(typeof img.OSName, 'string', ctx);
    assert.ok(img.OSName.length > 0, ctx);
    assert.equal(typeof img.platform, 'string', ctx);
    assert.ok(img.platform.length > 0, ctx);
    assert.equal(img.architecture, 'x86_64', ctx);
    assert.match(img.creationTime, X.ECS_TIME_RE, ctx);
    assert.ok(Math.abs(Date.parse(img.creationTime) - Date.parse(st.swasImage.creationTime)) < 60000,
      `CreationTime ${img.creationTime} should be the SWAS image's ${st.swasImage.creationTime}`);
    assert.equal(typeof img.usage, 'string', ctx);
    assert.equal(typeof img.description, 'string', ctx);
    const maps = X.items(img, 'diskDeviceMappings', 'diskDeviceMapping');
    assert.equal(maps.length, 1, ctx);
    assert.equal(maps[0].type, 'system', ctx);
    assert.equal(maps[0].size, String(img.size), `DiskDeviceMapping.Size is a string equal to Size: ${ctx}`);
    assert.equal(typeof maps[0].snapshotId, 'string', ctx);
    assert.equal(typeof maps[0].device, 'string', ctx);
    // The SWAS side agrees.
    assert.equal((await S.getCustomImage(swas, st.imageId)).inShare, true);
  });

  it('ImageOwnerAlias=others lists it; system does not; Status=Available lists it', async () => {
    need('imageId');
    const others = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'others', pageSize: 100 }));
    assert.ok(others.some(i => i.imageId === st.imageId), `others: ${JSON.stringify(others.map(i => i.imageId))}`);
    for (const i of others) assert.equal(i.imageOwnerAlias, 'others', JSON.stringify(i));
    const system = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 100 }));
    assert.ok(system.length > 0, 'no public image');
    assert.ok(!system.some(i => i.imageId === st.imageId), 'shared image listed as system');
    assert.equal((await E.describeImages(ecs, { imageId: st.imageId, imageOwnerAlias: 'system' })).totalCount, 0);
    assert.equal((await E.describeImages(ecs, { imageId: st.imageId, imageOwnerAlias: 'others' })).totalCount, 1);
    assert.equal((await E.describeImages(ecs, { imageId: st.imageId, status: 'Available' })).totalCount, 1);
  });

  it('not in another region, not for another account', async () => {
    need('imageId');
    const r2 = await E.describeImages(ecs, { regionId: REGION2, imageId: st.imageId });
    assert.equal(r2.totalCount, 0, `listed in ${REGION2}: ${JSON.stringify(r2)}`);
    assert.deepEqual(X.images(r2), []);
    const r2others = X.images(await E.describeImages(ecs, { regionId: REGION2, imageOwnerAlias: 'others', pageSize: 100 }));
    assert.ok(!r2others.some(i => i.imageId === st.imageId), `listed as others in ${REGION2}`);
    const b = await E.describeImages(ecsB, { imageId: st.imageId });
    assert.equal(b.totalCount, 0, `visible to another account: ${JSON.stringify(b)}`);
    const bOthers = X.images(await E.describeImages(ecsB, { imageOwnerAlias: 'others', pageSize: 100 }));
    assert.ok(!bOthers.some(i => i.imageId === st.imageId), 'listed as others for another account');
    await expectSdkError(E.runInstances(ecs, { regionId: REGION2, imageId: st.imageId }), NOT_FOUND_IMAGE);
    await expectSdkError(E.runInstances(ecsB, { imageId: st.imageId }), NOT_FOUND_IMAGE);
  });

  it('RunInstances with the shared image -> i-… id, Pending then Running, ImageId = the m-id', async () => {
    need('imageId');
    const body = await E.runInstances(ecs, { imageId: st.imageId, instanceType: TYPE, amount: 1, instanceName: 'from-swas' });
    assert.match(body.requestId, REQUEST_ID_RE);
    const ids = X.runIds(body);
    assert.equal(ids.length, 1, JSON.stringify(body));
    assert.match(ids[0], X.INSTANCE_ID_RE);
    st.instanceId = ids[0];
    const first = await X.getInstance(ecs, st.instanceId);
    assert.ok(first, 'new instance not listed');
    assert.ok(['Pending', 'Running'].includes(first.status), JSON.stringify(first));
    const inst = await X.waitStatus(ecs, st.instanceId, 'Running');
    const ctx = JSON.stringify(inst);
    assert.equal(inst.imageId, st.imageId, ctx);
    assert.equal(inst.instanceName, 'from-swas', ctx);
    assert.equal(inst.regionId, REGION, ctx);
    assert.equal(inst.instanceType, TYPE, ctx);
    assert.equal(inst.OSType, 'linux', ctx);
  });

  it('a second instance from the shared image, left Running', async () => {
    need('imageId');
    st.runningId = await X.runOne(ecs, { imageId: st.imageId, instanceName: 'stays-running' });
  });

  it('the system disk: d-…, system, In_use, ImageId = the m-id', async () => {
    need('instanceId');
    const d = await X.systemDisk(ecs, st.instanceId);
    const ctx = JSON.stringify(d);
    assert.match(d.diskId, X.DISK_ID_RE, ctx);
    assert.equal(d.imageId, st.imageId, ctx);
    assert.equal(d.status, 'In_use', ctx);
    assert.ok(d.size >= st.swasImage.requiredSystemDiskSize, ctx);
    st.diskId = d.diskId;
  });

  it('ReInitDisk while Running -> 403 IncorrectInstanceStatus', async () => {
    need('diskId');
    await expectSdkError(E.reInitDisk(ecs, { diskId: st.diskId }), { code: 'IncorrectInstanceStatus', status: 403 });
  });

  it('StopInstance -> Stopping -> Stopped', async () => {
    need('instanceId');
    S.assertRequestIdOnly(await E.stopInstance(ecs, { instanceId: st.instanceId }), 'StopInstance');
    const first = await X.getInstance(ecs, st.instanceId);
    assert.ok(['Stopping', 'Stopped'].includes(first.status), JSON.stringify(first));
    await X.waitStatus(ecs, st.instanceId, 'Stopped');
  });

  it('ReInitDisk while shared -> ok; the instance stays Stopped, the disk keeps its id', async () => {
    need('diskId');
    S.assertRequestIdOnly(await E.reInitDisk(ecs, { diskId: st.diskId, password: 'Passw0rd!2024' }), 'ReInitDisk');
    const inst = await X.waitStatus(ecs, st.instanceId, 'Stopped');
    assert.equal(inst.imageId, st.imageId);
    const d = await X.systemDisk(ecs, st.instanceId);
    assert.equal(d.diskId, st.diskId);
    assert.equal(d.imageId, st.imageId);
  });

  it('UnShare (swas SDK) -> the very next DescribeImages no longer lists it (ImageId, others)', async () => {
    need('imageId');
    S.assertRequestIdOnly(await X.unshare(swas, st.imageId), 'UnShare');
    const body = await E.describeImages(ecs, { imageId: st.imageId });
    assert.equal(body.totalCount, 0, `still listed after UnShare: ${JSON.stringify(body)}`);
    assert.deepEqual(X.images(body), []);
    const others = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'others', pageSize: 100 }));
    assert.ok(!others.some(i => i.imageId === st.imageId), 'still listed as others after UnShare');
    const any = X.images(await E.describeImages(ecs, { pageSize: 100, status: 'Available,Creating,Waiting,UnAvailable,CreateFailed,Deprecated' }));
    assert.ok(!any.some(i => i.imageId === st.imageId), 'still listed under some status after UnShare');
    assert.equal((await S.getCustomImage(swas, st.imageId)).inShare, false);
  });

  it('after UnShare: RunInstances and CreateInstance -> 404 InvalidImageId.NotFound; nothing created', async () => {
    need('imageId');
    const before = (await E.describeInstances(ecs, {})).totalCount;
    await expectSdkError(E.runInstances(ecs, { imageId: st.imageId }), NOT_FOUND_IMAGE);
    await expectSdkError(E.createInstance(ecs, { imageId: st.imageId }), NOT_FOUND_IMAGE);
    assert.equal((await E.describeInstances(ecs, {})).totalCount, before, 'a refused call created an instance');
  });

  it('after UnShare: ReInitDisk -> 403 IncorrectImageStatus ("no longer available")', async () => {
    need('diskId');
    await expectSdkError(E.reInitDisk(ecs, { diskId: st.diskId }), IMAGE_GONE);
    await expectSdkError(E.reInitDisk(ecs, { diskId: st.diskId, autoStartInstance: true }), IMAGE_GONE);
  });

  it('after UnShare: ReplaceSystemDisk with the unshared image -> 404 InvalidImageId.NotFound', async () => {
    need('instanceId');
    await expectSdkError(E.replaceSystemDisk(ecs, { instanceId: st.instanceId, imageId: st.imageId }), NOT_FOUND_IMAGE);
  });

  it('after UnShare: the instances are unaffected (Stopped one still Stopped with its disk; the other still Running)', async () => {
    need('instanceId', 'runningId', 'diskId');
    const stopped = await X.getInstance(ecs, st.instanceId);
    assert.ok(stopped, 'instance vanished after UnShare');
    assert.equal(stopped.status, 'Stopped', JSON.stringify(stopped));
    assert.equal(stopped.imageId, st.imageId, JSON.stringify(stopped));
    assert.equal((await X.systemDisk(ecs, st.instanceId)).diskId, st.diskId);
    const running = await X.getInstance(ecs, st.runningId);
    assert.ok(running, 'running instance vanished after UnShare');
    assert.equal(running.status, 'Running', JSON.stringify(running));
    // It keeps running and can still be rebooted (the image is not needed for that).
    S.assertRequestIdOnly(await E.rebootInstance(ecs, { instanceId: st.runningId }), 'RebootInstance');
    await X.waitStatus(ecs, st.runningId, 'Running');
  });

  it('Share again -> listed again at once; ReInitDisk ok with AutoStartInstance -> Running', async () => {
    need('imageId', 'diskId');
    S.assertRequestIdOnly(await X.share(swas, st.imageId), 'Share again');
    assert.equal((await E.describeImages(ecs, { imageId: st.imageId })).totalCount, 1, 'not listed after a second Share');
    S.assertRequestIdOnly(await E.reInitDisk(ecs, { diskId: st.diskId, autoStartInstance: true }), 'ReInitDisk');
    await X.waitStatus(ecs, st.instanceId, 'Running');
  });

  it('UnShare + DeleteCustomImage (swas) -> RunInstances 404; the ECS instances still exist', async () => {
    need('imageId');
    await X.unshare(swas, st.imageId);
    S.assertRequestIdOnly(await S.R.deleteCustomImage(swas, { imageId: st.imageId }), 'DeleteCustomImage');
    await expectSdkError(E.runInstances(ecs, { imageId: st.imageId }), NOT_FOUND_IMAGE);
    assert.equal((await E.describeImages(ecs, { imageId: st.imageId })).totalCount, 0);
    assert.ok(await X.getInstance(ecs, st.instanceId), 'instance vanished after the image was deleted');
    assert.ok(await X.getInstance(ecs, st.runningId), 'instance vanished after the image was deleted');
  });

  it('another account sharing its own image sees only its own; A still cannot use it', async () => {
    const img = await X.makeSharedImage(swasB);
    assert.equal((await E.describeImages(ecsB, { imageId: img.imageId })).totalCount, 1);
    assert.equal((await E.describeImages(ecs, { imageId: img.imageId })).totalCount, 0, "B's shared image visible to A");
    await expectSdkError(E.runInstances(ecs, { imageId: img.imageId }), NOT_FOUND_IMAGE);
    const id = await X.runOne(ecsB, { imageId: img.imageId });
    assert.equal((await X.getInstance(ecsB, id)).imageId, img.imageId);
  });
});

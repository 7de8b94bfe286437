'use strict';
// The whole SWAS custom-image happy path through the official swas SDK (V3), step by step:
// ListPlans -> ListImages -> CreateInstances -> Running -> ListDisks -> CreateSnapshot ->
// Accomplished -> CreateCustomImage -> "1" -> Share -> ListCustomImages (InShare, Share filter)
// -> delete refused while shared -> UnShare -> DeleteSnapshot refused while the image exists ->
// DeleteCustomImage -> DeleteSnapshot. Then ModifyImageShareStatus via pop-core (V1) and the
// swas SDK with signatureAlgorithm 'v2'.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, rawRequest, v1Params, buildV1Request, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError, expectPopError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, REGION, PLAN_ID, jsonIds } = S;

describe('SWAS happy path: instance -> snapshot -> custom image -> share -> cleanup', () => {
  let env, c, pop;
  const st = {}; // state carried from step to step

  before(async () => {
    // Clocked (lib/swas.js): in-between states hold until a wait helper moves the clock on.
    env = await S.startSwas({ clocked: true });
    c = S.swasClient(env.port, env.root);
    pop = S.popClient(env.port, env.root);
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };

  it('ListPlans: >= 5 plans with the documented fields, incl. swas.s2.c2m1s40b3t04', async () => {
    const body = await R.listPlans(c);
    assert.match(body.requestId, REQUEST_ID_RE);
    assert.ok(Array.isArray(body.plans), JSON.stringify(body).slice(0, 300));
    assert.ok(body.plans.length >= 5, `only ${body.plans.length} plans`);
    for (const p of body.plans) {
      const ctx = JSON.stringify(p);
      assert.equal(typeof p.planId, 'string', ctx);
      for (const k of ['core', 'memory', 'diskSize', 'bandwidth', 'flow']) assert.equal(typeof p[k], 'number', `${k}: ${ctx}`);
      assert.equal(typeof p.originPrice, 'string', `originPrice: ${ctx}`);
      assert.ok(Number.isFinite(Number(p.originPrice)), `originPrice numeric: ${ctx}`);
      assert.equal(p.currency, 'CNY', ctx);
      assert.equal(typeof p.supportPlatform, 'string', `supportPlatform: ${ctx}`);
      assert.ok(/Linux|Windows/.test(p.supportPlatform), `supportPlatform: ${ctx}`);
      for (const k of ['diskType', 'planType', 'publicIpNum']) assert.equal(typeof p[k], 'string', `${k}: ${ctx}`);
    }
    const plan = body.plans.find(p => p.planId === PLAN_ID);
    assert.ok(plan, `${PLAN_ID} missing from ${JSON.stringify(body.plans.map(p => p.planId))}`);
    assert.equal(plan.core, 2);
    assert.equal(plan.memory, 1);
    assert.equal(plan.diskSize, 40);
  });

  it('ListImages: system and app images with 32-hex ids; a Linux system image is picked', async () => {
    const body = await R.listImages(c);
    assert.ok(Array.isArray(body.images), JSON.stringify(body).slice(0, 300));
    const types = new Set(body.images.map(i => i.imageType));
    assert.ok(types.has('system'), `no system image: ${[...types]}`);
    assert.ok(types.has('app'), `no app image: ${[...types]}`);
    for (const i of body.images) {
      const ctx = JSON.stringify(i);
      assert.match(i.imageId, S.HEX32_RE, ctx);
      assert.ok(['system', 'app'].includes(i.imageType), `no custom image yet: ${ctx}`);
      assert.ok(['Linux', 'Windows'].includes(i.platform), ctx);
      assert.equal(typeof i.imageName, 'string', ctx);
      assert.ok(i.imageName.length > 0, ctx);
      assert.equal(typeof i.description, 'string', ctx);
    }
    const img = body.images.find(i => i.imageType === 'system' && i.platform === 'Linux');
    assert.ok(img, 'no Linux system image');
    st.imageId = img.imageId;
  });

  it('CreateInstances -> one 32-hex InstanceId; ListInstances shows it Pending', async () => {
    need('imageId');
    const body = await R.createInstances(c, { planId: PLAN_ID, imageId: st.imageId, period: 1, amount: 1, chargeType: 'PrePaid', autoRenew: false });
    assert.match(body.requestId, REQUEST_ID_RE);
    assert.equal(body.instanceIds.length, 1, JSON.stringify(body));
    assert.match(body.instanceIds[0], S.HEX32_RE);
    st.instanceId = body.instanceIds[0];
    const inst = await S.getInstance(c, st.instanceId);
    assert.ok(inst, 'new instance not listed');
    assert.equal(inst.status, 'Pending', JSON.stringify(inst));
  });

  it('the instance becomes Running with the documented fields', async () => {
    need('instanceId');
    const inst = await S.waitInstanceStatus(c, st.instanceId, 'Running');
    const ctx = JSON.stringify(inst);
    assert.equal(inst.regionId, REGION, ctx);
    assert.equal(inst.planId, PLAN_ID, ctx);
    assert.equal(inst.imageId, st.imageId, ctx);
    assert.equal(inst.chargeType, 'PrePaid', ctx);
    assert.equal(inst.businessStatus, 'Normal', ctx);
    assert.equal(typeof inst.instanceName, 'string', ctx);
    assert.match(inst.creationTime, S.TIME_RE, ctx);
    assert.match(inst.expiredTime, S.TIME_RE, ctx);
    assert.ok(Date.parse(inst.expiredTime) > Date.parse(inst.creationTime), ctx);
    assert.match(inst.publicIpAddress, /^\d+\.\d+\.\d+\.\d+$/, ctx);
    assert.match(inst.innerIpAddress, /^\d+\.\d+\.\d+\.\d+$/, ctx);
    const list = await R.listInstances(c);
    assert.equal(list.totalCount, 1);
    assert.equal(list.pageNumber, 1);
    assert.equal(list.pageSize, 10);
    const statuses = await R.listInstanceStatus(c);
    assert.deepEqual(statuses.instanceStatuses.map(s => [s.instanceId, s.status]), [[st.instanceId, 'Running']]);
  });

  it('ListDisks: exactly one System disk, In_use, on the instance', async () => {
    need('instanceId');
    const body = await R.listDisks(c, { instanceId: st.instanceId });
    assert.equal(body.totalCount, 1, JSON.stringify(body));
    const d = body.disks[0];
    const ctx = JSON.stringify(d);
    assert.match(d.diskId, S.DISK_ID_RE, ctx);
    assert.equal(d.diskType, 'System', ctx);
    assert.equal(d.status, 'In_use', ctx);
    assert.equal(d.instanceId, st.instanceId, ctx);
    assert.equal(d.regionId, REGION, ctx);
    assert.equal(d.size, 40, ctx);
    assert.equal(typeof d.category, 'string', ctx);
    assert.equal(typeof d.diskName, 'string', ctx);
    assert.equal(typeof d.device, 'string', ctx);
    assert.match(d.creationTime, S.TIME_RE, ctx);
    st.diskId = d.diskId;
  });

  it('CreateSnapshot -> s-… id, Progressing then Accomplished / 100%', async () => {
    need('diskId');
    const body = await R.createSnapshot(c, { diskId: st.diskId, snapshotName: 'flow-snap' });
    assert.match(body.snapshotId, S.SNAPSHOT_ID_RE, JSON.stringify(body));
    st.snapshotId = body.snapshotId;
    const first = await S.getSnapshot(c, st.snapshotId);
    assert.ok(first, 'snapshot not listed');
    assert.equal(first.status, 'Progressing', JSON.stringify(first));
    const s = await S.waitSnapshotAccomplished(c, st.snapshotId);
    const ctx = JSON.stringify(s);
    assert.equal(s.progress, '100%', ctx);
    assert.equal(s.snapshotName, 'flow-snap', ctx);
    assert.equal(s.sourceDiskId, st.diskId, ctx);
    assert.equal(s.sourceDiskType, 'System', ctx);
    assert.equal(s.instanceId, st.instanceId, ctx);
    assert.equal(s.regionId, REGION, ctx);
    assert.match(s.creationTime, S.TIME_RE, ctx);
  });

  it('CreateCustomImage -> m-… id, Status "4" then "1"', async () => {
    need('snapshotId');
    const body = await R.createCustomImage(c, {
      instanceId: st.instanceId, systemSnapshotId: st.snapshotId, imageName: 'flow-image', description: 'made by the flow test',
    });
    assert.match(body.imageId, S.IMAGE_ID_RE, JSON.stringify(body));
    assert.match(body.requestId, REQUEST_ID_RE);
    st.customImageId = body.imageId;
    const first = await S.getCustomImage(c, st.customImageId);
    assert.ok(first, 'image not listed');
    assert.equal(first.status, '4', JSON.stringify(first));
    const img = await S.waitImageAvailable(c, st.customImageId);
    const ctx = JSON.stringify(img);
    assert.equal(img.name, 'flow-image', ctx);
    assert.equal(img.description, 'made by the flow test', ctx);
    assert.equal(img.regionId, REGION, ctx);
    assert.match(img.creationTime, S.TIME_RE, ctx);
    assert.equal(img.systemSnapshotId, st.snapshotId, ctx);
    assert.equal(img.systemSnapshotName, 'flow-snap', ctx);
    assert.equal(img.instanceId, st.instanceId, ctx);
    assert.equal(typeof img.instanceName, 'string', ctx);
    assert.equal(img.userId, Number(env.root.AccountId), ctx);
    assert.equal(img.inShare, false, ctx);
    assert.equal(img.inShareUser, false, ctx);
    assert.equal(img.osType, 'Linux', ctx);
    assert.equal(typeof img.requiredSystemDiskSize, 'number', ctx);
    assert.equal(typeof img.sourceImageName, 'string', ctx);
    assert.ok(Array.isArray(img.createInstances), ctx);
  });

  it('ListImages ImageType=custom lists it (m-… id, custom)', async () => {
    need('customImageId');
    const body = await R.listImages(c, { imageType: 'custom' });
    const ids = body.images.map(i => i.imageId);
    assert.deepEqual(ids, [st.customImageId]);
    assert.equal(body.images[0].imageType, 'custom');
    assert.equal(body.images[0].imageName, 'flow-image');
  });

  it('ListCustomImages: paging fields are the SDK strings; UserId is the account id on the wire', async () => {
    need('customImageId');
    const body = await R.listCustomImages(c);
    assert.equal(body.totalCount, '1');
    assert.equal(body.pageNumber, '1');
    assert.equal(body.pageSize, '10');
    // Raw V1 JSON: UserId is the exact number (no precision loss, not a string).
    const params = v1Params({ action: 'ListCustomImages', accessKeyId: env.root.AccessKeyId, params: { RegionId: REGION } });
    const res = await rawRequest(env.port, buildV1Request({ params, secret: env.root.AccessKeySecret }));
    assert.equal(res.status, 200, res.body);
    assert.ok(new RegExp(`"UserId"\\s*:\\s*${env.root.AccountId}\\b`).test(res.body), `UserId on the wire: ${res.body}`);
  });

  it('ModifyImageShareStatus Share -> {RequestId} only', async () => {
    need('customImageId');
    const body = await R.modifyImageShareStatus(c, { imageId: st.customImageId, operation: 'Share' });
    S.assertRequestIdOnly(body, 'Share');
  });

  it('ListCustomImages: InShare true; Share=true finds it; Share=false does not', async () => {
    need('customImageId');
    const img = await S.getCustomImage(c, st.customImageId);
    assert.equal(img.inShare, true, JSON.stringify(img));
    assert.equal(img.inShareUser, false, JSON.stringify(img));
    const shared = await R.listCustomImages(c, { share: true });
    assert.deepEqual(shared.customImages.map(i => i.imageId), [st.customImageId]);
    assert.equal(shared.totalCount, '1');
    const unshared = await R.listCustomImages(c, { share: false });
    assert.deepEqual(unshared.customImages, []);
    assert.equal(unshared.totalCount, '0');
  });

  it('ListCustomImages wire JSON (raw V1): bare CustomImages array, JSON types as the SDK model declares', async () => {
    need('customImageId');
    const params = v1Params({ action: 'ListCustomImages', accessKeyId: env.root.AccessKeyId, params: { RegionId: REGION, Share: 'true' } });
    const res = await rawRequest(env.port, buildV1Request({ params, secret: env.root.AccessKeySecret }));
    assert.equal(res.status, 200, res.body);
    const j = res.json;
    assert.ok(!('Code' in j), res.body);
    assert.ok(Array.isArray(j.CustomImages), `CustomImages is not a bare array: ${res.body}`);
    assert.equal(j.CustomImages.length, 1, res.body);
    const img = j.CustomImages[0];
    assert.equal(img.ImageId, st.customImageId);
    assert.equal(img.InShare, true, `InShare must be the JSON boolean true: ${res.body}`);
    assert.equal(img.InShareUser, false, `InShareUser must be the JSON boolean false: ${res.body}`);
    assert.equal(img.Status, '1', `Status must be the JSON string "1": ${res.body}`);
    assert.equal(typeof img.UserId, 'number', res.body);
    assert.ok(Array.isArray(img.CreateInstances), res.body);
    assert.ok(!('Shared' in img), `no Shared field: ${res.body}`);
  });

  it('DeleteCustomImage while shared -> CustomImageInShare 400; still listed', async () => {
    need('customImageId');
    await expectSdkError(R.deleteCustomImage(c, { imageId: st.customImageId }), { code: 'CustomImageInShare', status: 400 });
    assert.ok(await S.getCustomImage(c, st.customImageId), 'image vanished after a refused delete');
  });

  it('UnShare -> InShare false; Share=false finds it', async () => {
    need('customImageId');
    S.assertRequestIdOnly(await R.modifyImageShareStatus(c, { imageId: st.customImageId, operation: 'UnShare' }), 'UnShare');
    const img = await S.getCustomImage(c, st.customImageId);
    assert.equal(img.inShare, false, JSON.stringify(img));
    assert.deepEqual((await R.listCustomImages(c, { share: false })).customImages.map(i => i.imageId), [st.customImageId]);
    assert.deepEqual((await R.listCustomImages(c, { share: true })).customImages, []);
  });

  it('DeleteSnapshot while an image was made from it -> SnapshotCreatedImage 403', async () => {
    need('snapshotId');
    await expectSdkError(R.deleteSnapshot(c, { snapshotId: st.snapshotId }), { code: 'SnapshotCreatedImage', status: 403 });
    assert.ok(await S.getSnapshot(c, st.snapshotId), 'snapshot vanished after a refused delete');
  });

  it('DeleteCustomImage -> ok; ListCustomImages empty; ListImages custom empty', async () => {
    need('customImageId');
    S.assertRequestIdOnly(await R.deleteCustomImage(c, { imageId: st.customImageId }), 'DeleteCustomImage');
    const body = await R.listCustomImages(c);
    assert.deepEqual(body.customImages, []);
    assert.equal(body.totalCount, '0');
    assert.deepEqual((await R.listImages(c, { imageType: 'custom' })).images, []);
  });

  it('DeleteSnapshot -> ok; gone from ListSnapshots', async () => {
    need('snapshotId');
    S.assertRequestIdOnly(await R.deleteSnapshot(c, { snapshotId: st.snapshotId }), 'DeleteSnapshot');
    const body = await R.listSnapshots(c, { snapshotIds: jsonIds([st.snapshotId]) });
    assert.deepEqual(body.snapshots, []);
    assert.equal(body.totalCount, 0);
  });

  describe('ModifyImageShareStatus through the V1 clients', () => {
    let imageId;
    before(async () => {
      imageId = (await S.makeImage(c, { instanceId: st.instanceId })).imageId;
    });

    it('pop-core GET Share -> exactly {RequestId}; image InShare', async () => {
      const json = JSON.parse(JSON.stringify(await pop.request('ModifyImageShareStatus', { RegionId: REGION, ImageId: imageId, Operation: 'Share' })));
      assert.deepEqual(Object.keys(json), ['RequestId'], JSON.stringify(json));
      assert.match(json.RequestId, REQUEST_ID_RE);
      assert.equal((await S.getCustomImage(c, imageId)).inShare, true);
    });

    it('pop-core POST UnShare -> exactly {RequestId}; image not InShare', async () => {
      const json = JSON.parse(JSON.stringify(await pop.request('ModifyImageShareStatus',
        { RegionId: REGION, ImageId: imageId, Operation: 'UnShare', ClientToken: S.newToken() }, { method: 'POST' })));
      assert.deepEqual(Object.keys(json), ['RequestId'], JSON.stringify(json));
      assert.equal((await S.getCustomImage(c, imageId)).inShare, false);
    });

    it('pop-core errors: OperationIllegal 400, InvalidImageId.NotFound 404, MissingParameter 400', async () => {
      await expectPopError(pop.request('ModifyImageShareStatus', { RegionId: REGION, ImageId: imageId, Operation: 'share' }),
        { code: 'InvalidParam.OperationIllegal', status: 400 });
      await expectPopError(pop.request('ModifyImageShareStatus', { RegionId: REGION, ImageId: 'm-doesnotexist000000', Operation: 'Share' }),
        { code: 'InvalidImageId.NotFound', status: 404 });
      await expectPopError(pop.request('ModifyImageShareStatus', { RegionId: REGION, Operation: 'Share' }),
        { code: 'MissingParameter', status: 400 });
    });

    it("swas SDK signatureAlgorithm 'v2': Share and UnShare", async () => {
      const v2 = S.swasClient(env.port, env.root, { signatureAlgorithm: 'v2' });
      S.assertRequestIdOnly(await R.modifyImageShareStatus(v2, { imageId, operation: 'Share' }));
      assert.equal((await S.getCustomImage(v2, imageId)).inShare, true);
      S.assertRequestIdOnly(await R.modifyImageShareStatus(v2, { imageId, operation: 'UnShare' }));
      assert.equal((await S.getCustomImage(c, imageId)).inShare, false);
      await expectSdkError(R.modifyImageShareStatus(v2, { imageId, operation: 'Delete' }), { code: 'InvalidParam.OperationIllegal', status: 400 });
    });
  });
});

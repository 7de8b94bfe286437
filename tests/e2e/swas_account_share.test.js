'use strict';
// Custom images shared to other accounts (AddCustomImageShareAccount, RemoveCustomImageShareAccount,
// ListCustomImageShareAccounts) and ResetSystem, through the official swas SDK.
//
// Alibaba's rules ("Share custom images across accounts"): same region only; at most 10 accounts
// per image; the recipient creates (and here resets) servers from it and cannot delete it,
// change it or share it on; the owner must unshare before deleting. Everything Alibaba leaves
// open is a decision in docs/coverage.md ("Decisions"): a recipient sees the image in ListImages
// and ListCustomImages (UserId: the owner; the owner's servers and snapshots blank); an account
// never shared with learns nothing, exactly as for an image that does not exist.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { R, REGION, REGION2, jsonIds } = S;
const { Swas } = S;
const { allow, deny, doc, imageArn } = L;

const NOT_FOUND_IMAGE = { code: 'InvalidImageId.NotFound', status: 404 };
const NOT_OWNER = { code: 'Forbidden.SharedImage', status: 403 };

const addAccounts = (c, imageId, accounts, regionId = REGION) =>
  c.addCustomImageShareAccount(new Swas.AddCustomImageShareAccountRequest({ regionId, imageId, account: accounts.map(Number) })).then(r => r.body);
const removeAccounts = (c, imageId, accounts, regionId = REGION) =>
  c.removeCustomImageShareAccount(new Swas.RemoveCustomImageShareAccountRequest({ regionId, imageId, account: accounts.map(Number) })).then(r => r.body);
const listAccounts = (c, imageId, extra = {}) =>
  c.listCustomImageShareAccounts(new Swas.ListCustomImageShareAccountsRequest({ regionId: REGION, imageId, ...extra })).then(r => r.body);
const resetSystem = (c, instanceId, imageId, regionId = REGION) =>
  c.resetSystem(new Swas.ResetSystemRequest({ regionId, instanceId, imageId })).then(r => r.body);

const customIds = async c => (await R.listImages(c, { imageType: 'custom' })).images.map(i => i.imageId);
const listedIds = async c => (await R.listCustomImages(c, { pageSize: 100 })).customImages.map(i => i.imageId);

describe('custom images shared to other accounts', () => {
  let env, a, b, c3, aKey, bKey, cKey, image, aInstance;

  before(async () => {
    env = await S.startSwas();
    aKey = env.root;
    bKey = S.createAccount(env.dataDir, 'recipient');
    cKey = S.createAccount(env.dataDir, 'bystander');
    a = S.swasClient(env.port, aKey);
    b = S.swasClient(env.port, bKey);
    c3 = S.swasClient(env.port, cKey);
    const made = await S.makeImage(a);
    image = made.imageId;
    aInstance = made.instanceId;
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('before sharing, the recipient sees nothing and cannot use the image', async () => {
    assert.ok(!(await customIds(b)).includes(image));
    await expectSdkError(R.createInstances(b, { imageId: image }), NOT_FOUND_IMAGE);
  });

  it('AddCustomImageShareAccount -> RequestId; ListCustomImageShareAccounts lists the account with numbers', async () => {
    S.assertRequestIdOnly(await addAccounts(a, image, [bKey.AccountId]));
    S.assertRequestIdOnly(await addAccounts(a, image, [bKey.AccountId]));  // already there: no change
    const body = await listAccounts(a, image);
    assert.equal(body.totalCount, 1, JSON.stringify(body));
    assert.equal(body.pageNumber, 1);
    assert.equal(body.pageSize, 10);
    assert.equal(body.imageShareUsers.length, 1);
    assert.equal(String(body.imageShareUsers[0].userId), bKey.AccountId);
    assert.match(body.imageShareUsers[0].sharedTime, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.0$/);
  });

  it('the owner sees InShareUser=true (InShare, the ECS share, is separate)', async () => {
    const img = await S.getCustomImage(a, image);
    assert.equal(img.inShareUser, true, JSON.stringify(img));
    assert.equal(img.inShare, false);
  });

  it('the recipient sees it in ListImages and ListCustomImages (UserId: the owner; no owner-private fields)', async () => {
    assert.ok((await customIds(b)).includes(image));
    const body = await R.listCustomImages(b, { imageIds: jsonIds([image]) });
    assert.equal(Number(body.totalCount), 1, JSON.stringify(body));
    const img = body.customImages[0];
    assert.equal(String(img.userId), aKey.AccountId);
    assert.equal(img.inShareUser, true);
    assert.equal(img.instanceId, '');
    assert.equal(img.systemSnapshotId, '');
    assert.deepEqual(img.createInstances, []);
    assert.equal(img.status, '1');
  });

  it('the recipient creates a server from it, and resets one to it', async () => {
    const ids = (await R.createInstances(b, { imageId: image })).instanceIds;
    await S.waitInstanceStatus(b, ids[0], 'Running');
    assert.equal((await S.getInstance(b, ids[0])).imageId, image);
    const other = await S.makeInstance(b);
    S.assertRequestIdOnly(await resetSystem(b, other, image));
    assert.equal((await S.getInstance(b, other)).status, 'Resetting');
    const inst = await S.waitInstanceStatus(b, other, 'Running');
    assert.equal(inst.imageId, image);
    // The owner's CreateInstances lists only its own servers.
    assert.ok(!(await S.getCustomImage(a, image)).createInstances.includes(ids[0]));
  });

  it('the recipient may not delete it, share it to ECS or on, nor list its accounts', async () => {
    await expectSdkError(R.deleteCustomImage(b, { imageId: image }), NOT_OWNER);
    await expectSdkError(R.modifyImageShareStatus(b, { imageId: image, operation: 'Share' }), NOT_OWNER);
    await expectSdkError(addAccounts(b, image, [cKey.AccountId]), NOT_OWNER);
    await expectSdkError(listAccounts(b, image), NOT_OWNER);
    assert.equal((await listAccounts(a, image)).totalCount, 1);
  });

  it('a third account learns nothing: every call answers as for an image that does not exist', async () => {
    assert.ok(!(await customIds(c3)).includes(image));
    assert.ok(!(await listedIds(c3)).includes(image));
    const missing = 'm-doesnotexist0000000';
    for (const id of [image, missing]) {
      await expectSdkError(R.createInstances(c3, { imageId: id }), NOT_FOUND_IMAGE);
      await expectSdkError(R.deleteCustomImage(c3, { imageId: id }), NOT_FOUND_IMAGE);
      await expectSdkError(listAccounts(c3, id), NOT_FOUND_IMAGE);
      await expectSdkError(addAccounts(c3, id, [bKey.AccountId]), NOT_FOUND_IMAGE);
    }
    const inst = await S.makeInstance(c3);
    await expectSdkError(resetSystem(c3, inst, image), NOT_FOUND_IMAGE);
  });

  it('the owner cannot delete it while shared: CustomImageInShare 400', async () => {
    await expectSdkError(R.deleteCustomImage(a, { imageId: image }), { code: 'CustomImageInShare', status: 400 });
  });

  it('limits: unknown account 404, the owner itself 400, more than 10 accounts 400, another region 404', async () => {
    await expectSdkError(addAccounts(a, image, ['1999999999999999']), { code: 'InvalidAccount.NotFound', status: 404 });
    await expectSdkError(addAccounts(a, image, [aKey.AccountId]), { code: 'InvalidParameter', status: 400 });
    await expectSdkError(addAccounts(a, image, [12345]), { code: 'InvalidParameter', status: 400 });
    const eleven = [];
    for (let i = 0; i < 10; i++) eleven.push(S.createAccount(env.dataDir, `many-${i}`).AccountId);
    await expectSdkError(addAccounts(a, image, eleven), { code: 'QuotaExceed.ShareAccount', status: 400 });
    assert.equal((await listAccounts(a, image)).totalCount, 1, 'a refused call must add nobody');
    await expectSdkError(addAccounts(a, image, [cKey.AccountId], REGION2), NOT_FOUND_IMAGE);
    await expectSdkError(
      a.addCustomImageShareAccount(new Swas.AddCustomImageShareAccountRequest({ regionId: REGION, imageId: image })),
      { code: 'MissingParameter', status: 400 });
  });

  it('RemoveCustomImageShareAccount takes the image away at once', async () => {
    const bInstance = (await R.createInstances(b, { imageId: image })).instanceIds[0];
    await S.waitInstanceStatus(b, bInstance, 'Running');
    S.assertRequestIdOnly(await removeAccounts(a, image, [bKey.AccountId]));
    assert.ok(!(await customIds(b)).includes(image));
    assert.ok(!(await listedIds(b)).includes(image));
    await expectSdkError(R.createInstances(b, { imageId: image }), NOT_FOUND_IMAGE);
    // Its servers stay, but cannot be reinstalled from the image any more.
    await expectSdkError(resetSystem(b, bInstance, undefined), NOT_FOUND_IMAGE);
    const img = await S.getCustomImage(a, image);
    assert.equal(img.inShareUser, false);
    assert.equal((await listAccounts(a, image)).totalCount, 0);
    S.assertRequestIdOnly(await removeAccounts(a, image, [bKey.AccountId]));  // not there: no change
  });

  it('once unshared from everyone the owner deletes it', async () => {
    S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId: image }));
    assert.ok(aInstance);
  });
});

describe('ResetSystem', () => {
  let env, a, inst, own, madeFrom;

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    const m = await S.makeImage(a);
    own = m.imageId;
    madeFrom = m.instanceId;
    inst = await S.makeInstance(a);
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('from an own custom image: Resetting, then Running with that image', async () => {
    S.assertRequestIdOnly(await resetSystem(a, inst, own));
    assert.equal((await S.getInstance(a, inst)).status, 'Resetting');
    const i = await S.waitInstanceStatus(a, inst, 'Running');
    assert.equal(i.imageId, own);
  });

  it('without ImageId: the current image again', async () => {
    S.assertRequestIdOnly(await resetSystem(a, inst, undefined));
    assert.equal((await S.waitInstanceStatus(a, inst, 'Running')).imageId, own);
  });

  it('from a public image', async () => {
    const sys = await S.systemImageId(a);
    S.assertRequestIdOnly(await resetSystem(a, inst, sys));
    assert.equal((await S.waitInstanceStatus(a, inst, 'Running')).imageId, sys);
  });

  it('not while Resetting or Stopping: IncorrectInstanceStatus 403', async () => {
    S.assertRequestIdOnly(await resetSystem(a, inst, own));
    await expectSdkError(resetSystem(a, inst, own), { code: 'IncorrectInstanceStatus', status: 403 });
    await S.waitInstanceStatus(a, inst, 'Running');
  });

  it('not from an image made from the same server', async () => {
    await expectSdkError(resetSystem(a, madeFrom, own), { code: 'InvalidImage.CreatedFromInstance', status: 400 });
  });

  it('an image of another region, or unknown: InvalidImageId.NotFound 404', async () => {
    const other = (await S.makeImage(a, { regionId: REGION2 })).imageId;
    await expectSdkError(resetSystem(a, inst, other), NOT_FOUND_IMAGE);
    await expectSdkError(resetSystem(a, inst, 'm-doesnotexist0000000'), NOT_FOUND_IMAGE);
  });

  it('an image needing a bigger system disk than the server has: InvalidImage.DiskSizeExceeded 400', async () => {
    const plans = (await R.listPlans(a)).plans.slice().sort((x, y) => x.diskSize - y.diskSize);
    const small = plans[0];
    const big = plans[plans.length - 1];
    assert.ok(big.diskSize > small.diskSize, JSON.stringify(plans.map(p => p.diskSize)));
    const bigServer = await S.makeInstance(a, { planId: big.planId });
    const bigImage = (await S.makeImage(a, { instanceId: bigServer })).imageId;
    const smallServer = await S.makeInstance(a, { planId: small.planId });
    await expectSdkError(resetSystem(a, smallServer, bigImage), { code: 'InvalidImage.DiskSizeExceeded', status: 400 });
  });

  it('a server created from an image with data-disk data cannot be reset', async () => {
    const sys = await S.systemImageId(a);
    const withData = (await R.createInstances(a, { imageId: sys, dataDiskSize: 20 })).instanceIds[0];
    await S.waitInstanceStatus(a, withData, 'Running');
    const disks = (await R.listDisks(a, { instanceId: withData })).disks;
    const sysDisk = disks.find(d => d.diskType === 'System');
    const dataDisk = disks.find(d => d.diskType === 'Data');
    assert.ok(dataDisk && dataDisk.size === 20, JSON.stringify(disks));
    const s1 = (await R.createSnapshot(a, { diskId: sysDisk.diskId, snapshotName: 'sys' })).snapshotId;
    await S.waitSnapshotAccomplished(a, s1);
    const s2 = (await R.createSnapshot(a, { diskId: dataDisk.diskId, snapshotName: 'data' })).snapshotId;
    await S.waitSnapshotAccomplished(a, s2);
    const img = (await R.createCustomImage(a, { instanceId: withData, systemSnapshotId: s1, dataSnapshotId: s2, imageName: 'with-data' })).imageId;
    await S.waitImageAvailable(a, img);
    assert.equal((await S.getCustomImage(a, img)).requiredDataDiskSize, 20);
    const fromIt = (await R.createInstances(a, { imageId: img, dataDiskSize: 20 })).instanceIds[0];
    await S.waitInstanceStatus(a, fromIt, 'Running');
    await expectSdkError(resetSystem(a, fromIt, undefined), { code: 'UnsupportedOperation.DataDiskImage', status: 400 });
    await expectSdkError(resetSystem(a, fromIt, sys), { code: 'UnsupportedOperation.DataDiskImage', status: 400 });
  });

  it('snapshots taken before a reset cannot roll the disk back (ResetDisk); later ones can', async () => {
    const server = await S.makeInstance(a);
    const before = await S.makeSnapshot(a, server);
    S.assertRequestIdOnly(await resetSystem(a, server, undefined));
    await S.waitInstanceStatus(a, server, 'Running');
    const after = await S.makeSnapshot(a, server);
    await R.stopInstance(a, { instanceId: server });
    await S.waitInstanceStatus(a, server, 'Stopped');
    const resetDisk = snapshotId => a.resetDisk(new Swas.ResetDiskRequest({ regionId: REGION, diskId: before.diskId, snapshotId })).then(r => r.body);
    await expectSdkError(resetDisk(before.snapshotId), { code: 'InvalidSnapshot.CreatedBeforeReset', status: 400 });
    S.assertRequestIdOnly(await resetDisk(after.snapshotId));
  });

  it('Windows <-> Linux: allowed in the Chinese mainland, refused outside it (InvalidImage.OsTypeMismatch)', async () => {
    const WINDOWS = (await R.listImages(a, { imageType: 'system' })).images.find(i => i.platform === 'Windows');
    assert.ok(WINDOWS, 'the catalog has a Windows system image');
    const mainland = await S.makeInstance(a);
    S.assertRequestIdOnly(await resetSystem(a, mainland, WINDOWS.imageId));
    assert.equal((await S.waitInstanceStatus(a, mainland, 'Running')).imageId, WINDOWS.imageId);
    const HK = 'cn-hongkong';
    const hk = await S.makeInstance(a, { regionId: HK });
    await expectSdkError(resetSystem(a, hk, WINDOWS.imageId, HK), { code: 'InvalidImage.OsTypeMismatch', status: 400 });
    const linux = await S.systemImageId(a, HK);
    S.assertRequestIdOnly(await resetSystem(a, hk, linux, HK));
  });

  it('DataDiskSize not a multiple of 20: InvalidParameter 400', async () => {
    await expectSdkError(R.createInstances(a, { dataDiskSize: 30, imageId: await S.systemImageId(a) }), { code: 'InvalidParameter', status: 400 });
  });
});

describe('account sharing under RAM', () => {
  let env, acct, root, rootRam, bKey, image;
  const ADD = 'swas-open:AddCustomImageShareAccount';
  const REMOVE = 'swas-open:RemoveCustomImageShareAccount';
  const LIST = 'swas-open:ListCustomImageShareAccounts';

  const userWith = policies => L.makeSwasUser(env.port, rootRam, policies);
  const denied = (user, action, type) => L.subUserDenied(acct, user, action, type);

  before(async () => {
    env = await S.startSwas();
    acct = env.root.AccountId;
    root = S.swasClient(env.port, env.root);
    rootRam = L.ramClient(env.port, env.root);
    bKey = S.createAccount(env.dataDir, 'recipient');
    image = (await S.makeImage(root)).imageId;
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('allowed on the image ARN: add, list, remove succeed', async () => {
    const { swas } = await userWith([{ custom: doc(allow([ADD, REMOVE, LIST], imageArn(acct, image))) }]);
    S.assertRequestIdOnly(await addAccounts(swas, image, [bKey.AccountId]));
    assert.equal((await listAccounts(swas, image)).totalCount, 1);
    S.assertRequestIdOnly(await removeAccounts(swas, image, [bKey.AccountId]));
  });

  it('implicit deny: no statement -> Forbidden.RAM, nothing shared', async () => {
    const { user, swas } = await userWith([{ custom: doc(allow('swas-open:ListCustomImages', '*')) }]);
    await L.expectDenied(addAccounts(swas, image, [bKey.AccountId]), denied(user, ADD));
    await L.expectDenied(listAccounts(swas, image), denied(user, LIST));
    await L.expectDenied(removeAccounts(swas, image, [bKey.AccountId]), denied(user, REMOVE));
    assert.equal((await listAccounts(root, image)).totalCount, 0);
  });

  it('implicit deny: allowed on another image only', async () => {
    const { user, swas } = await userWith([{ custom: doc(allow(ADD, imageArn(acct, 'm-other'))) }]);
    await L.expectDenied(addAccounts(swas, image, [bKey.AccountId]), denied(user, ADD));
  });

  it('explicit deny beats an allow', async () => {
    const { user, swas } = await userWith([{ custom: doc(allow('swas-open:*', '*'), deny(ADD, imageArn(acct, image))) }]);
    await L.expectDenied(addAccounts(swas, image, [bKey.AccountId]), denied(user, ADD, 'ExplicitDeny'));
    assert.equal((await listAccounts(swas, image)).totalCount, 0);
  });
});

'use strict';
// The image side of ECS through the official ECS and SWAS SDKs: a SWAS image shared to ECS
// (ImageOwnerId, IsSelfShared, Usable, IsPublic and the DescribeImages filters), what ECS
// refuses for it (DeleteImage, ModifyImageAttribute, ModifyImageSharePermission,
// DescribeImageSharePermission, CopyImage to another region) and what it allows (CopyImage in
// its region), then the move from SWAS to ECS: CreateImage from an instance launched from the
// shared image -> Creating -> Available -> listed as self -> RunInstances from it after the SWAS
// image is unshared -> ReInitDisk of that instance -> CopyImage / ModifyImageAttribute ->
// ModifyImageSharePermission to a second account, which sees and launches it -> DeleteImage.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const L = require('./lib/ram');
const { E, Ecs, REGION, REGION2 } = X;

const NOT_OWNER = { code: 'InvalidImageId.NotFound', status: 403, messageIncludes: 'not you onwer' };
const NOT_FOUND = { code: 'InvalidImageId.NotFound', status: 404 };

const call = (c, name, Req, f) => c[name](new Ecs[Req]({ regionId: REGION, ...f })).then(r => r.body);
const createImage = (c, f) => call(c, 'createImage', 'CreateImageRequest', f);
const copyImage = (c, f) => call(c, 'copyImage', 'CopyImageRequest', f);
const deleteImage = (c, f) => call(c, 'deleteImage', 'DeleteImageRequest', f);
const modifyImageAttribute = (c, f) => call(c, 'modifyImageAttribute', 'ModifyImageAttributeRequest', f);
const modifySharePermission = (c, f) => call(c, 'modifyImageSharePermission', 'ModifyImageSharePermissionRequest', f);
const describeSharePermission = (c, f) => call(c, 'describeImageSharePermission', 'DescribeImageSharePermissionRequest', f);

// The image as DescribeImages lists it with `extra` filters, or undefined.
async function listed(c, imageId, extra = {}) {
  return X.describeImage(c, imageId, REGION, { pageSize: 100, ...extra });
}

async function waitAvailable(c, imageId) {
  return S.waitFor(async () => listed(c, imageId), S.WAIT_MS, { what: `ECS image ${imageId} Available` });
}

describe('ECS images: the SWAS-shared image and images of ECS\'s own', () => {
  let env, swas, ecs, ecsB, other;
  const st = {};
  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };

  before(async () => {
    env = await X.startEcs();
    swas = S.swasClient(env.port, env.root);
    ecs = X.ecsClient(env.port, env.root);
    other = S.createAccount(env.dataDir, 'images-other');
    ecsB = X.ecsClient(env.port, other);
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('a shared SWAS image: ImageOwnerId is the account, IsSelfShared empty, Usable, not public', async () => {
    const img = await X.makeSharedImage(swas, { name: 'images-source' });
    st.swasImageId = img.imageId;
    const got = await listed(ecs, st.swasImageId);
    assert.ok(got, 'shared image not listed');
    const ctx = JSON.stringify(got);
    assert.equal(got.imageOwnerAlias, 'others', ctx);
    assert.equal(got.imageOwnerId, Number(env.root.AccountId), ctx);
    assert.equal(got.isSelfShared, '', ctx);
    assert.equal(got.usable, true, ctx);
    assert.equal(got.isPublic, false, ctx);
    assert.equal(got.architecture, 'x86_64', ctx);
    st.size = got.size;
    st.creationTime = got.creationTime;
    // Public images: no owner id, public.
    const pub = (await X.publicImages(ecs))[0];
    assert.equal(pub.imageOwnerId, undefined, JSON.stringify(pub));
    assert.equal(pub.isPublic, true, JSON.stringify(pub));
  });

  it('DescribeImages filters: IsPublic, ImageOwnerId, Usage, Architecture, Filter.N creation times', async () => {
    need('swasImageId', 'creationTime');
    const id = st.swasImageId;
    assert.ok(await listed(ecs, id, { isPublic: false }));
    assert.equal(await listed(ecs, id, { isPublic: true }), undefined);
    const onlyPublic = X.images(await E.describeImages(ecs, { isPublic: true, pageSize: 100 }));
    assert.ok(onlyPublic.length > 0 && onlyPublic.every(i => i.isPublic === true), JSON.stringify(onlyPublic));
    // ImageOwnerId as the wire carries it (a 16-digit id may not survive a JS number).
    const raw = await X.ecsRaw(ecs, 'DescribeImages', { RegionId: REGION, ImageOwnerId: env.root.AccountId, PageSize: '100' });
    assert.deepEqual(raw.Images.Image.map(i => i.ImageId), [id], JSON.stringify(raw));
    const rawOther = await X.ecsRaw(ecs, 'DescribeImages', { RegionId: REGION, ImageOwnerId: other.AccountId });
    assert.equal(rawOther.TotalCount, 0, JSON.stringify(rawOther));
    // Usage: no instance runs from it yet.
    assert.ok(await listed(ecs, id, { usage: 'none' }));
    assert.equal(await listed(ecs, id, { usage: 'instance' }), undefined);
    assert.ok(await listed(ecs, id, { architecture: 'x86_64' }));
    assert.equal(await listed(ecs, id, { architecture: 'arm64' }), undefined);
    // Filter.N: CreationStartTime / CreationEndTime in minutes (yyyy-MM-ddTHH:mmZ).
    const created = Date.parse(st.creationTime);
    const minute = ms => new Date(ms).toISOString().slice(0, 16) + 'Z';
    const filter = (key, value) => [new Ecs.DescribeImagesRequestFilter({ key, value })];
    assert.ok(await listed(ecs, id, { filter: filter('CreationStartTime', minute(created - 60000)) }));
    assert.equal(await listed(ecs, id, { filter: filter('CreationStartTime', minute(created + 120000)) }), undefined);
    assert.equal(await listed(ecs, id, { filter: filter('CreationEndTime', minute(created - 60000)) }), undefined);
    await expectSdkError(E.describeImages(ecs, { filter: filter('CreationEndTime', 'yesterday') }),
      { code: 'InvalidParameter', status: 400 });
  });

  it('what ECS refuses for the shared image: DeleteImage, ModifyImageAttribute, sharing it on, CopyImage to another region', async () => {
    need('swasImageId');
    const imageId = st.swasImageId;
    await expectSdkError(deleteImage(ecs, { imageId }), NOT_OWNER);
    await expectSdkError(deleteImage(ecs, { imageId, force: true }), NOT_OWNER);
    await expectSdkError(modifyImageAttribute(ecs, { imageId, imageName: 'Renamed' }), NOT_OWNER);
    await expectSdkError(modifySharePermission(ecs, { imageId, addAccount: [other.AccountId] }), NOT_OWNER);
    await expectSdkError(describeSharePermission(ecs, { imageId }), NOT_OWNER);
    await expectSdkError(copyImage(ecs, { imageId, destinationRegionId: REGION2, destinationImageName: 'Away' }),
      { code: 'OperationDenied.SameRegionOnly', status: 403 });
    await expectSdkError(deleteImage(ecs, { imageId: 'm-nosuchimage0000000' }), NOT_FOUND);
    // Still there, unchanged.
    assert.equal((await listed(ecs, imageId)).imageName, 'images-source');
  });

  it('CopyImage of the shared image within its region: an own image that outlives the share', async () => {
    need('swasImageId');
    const body = await copyImage(ecs, { imageId: st.swasImageId, destinationImageName: 'CopiedFromSwas' });
    assert.match(body.imageId, X.IMAGE_ID_RE, JSON.stringify(body));
    const got = await waitAvailable(ecs, body.imageId);
    assert.equal(got.imageOwnerAlias, 'self', JSON.stringify(got));
    assert.equal(got.isCopied, true, JSON.stringify(got));
    assert.equal(got.size, st.size, JSON.stringify(got));
    st.copyId = body.imageId;
  });

  it('CreateImage from an instance launched from the shared image: name checks, Creating -> Available, listed as self', async () => {
    need('swasImageId');
    st.instanceId = await X.runOne(ecs, { imageId: st.swasImageId });
    assert.ok(await listed(ecs, st.swasImageId, { usage: 'instance' }));
    for (const imageName of ['1starts-with-digit', 'x', 'has space', 'aliyun-reserved', 'a'.repeat(129)]) {
      await expectSdkError(createImage(ecs, { instanceId: st.instanceId, imageName }),
        { code: 'InvalidImageName.Malformed', status: 400 });
    }
    await expectSdkError(createImage(ecs, { instanceId: st.instanceId, imageName: 'Ok', description: 'http://x' }),
      { code: 'InvalidDescription.Malformed', status: 400 });
    await expectSdkError(createImage(ecs, { imageName: 'NoSource' }), { code: 'MissingParameter', status: 400 });
    await expectSdkError(createImage(ecs, { instanceId: 'i-nosuchinstance', imageName: 'Nope' }),
      { code: 'InvalidInstanceId.NotFound', status: 404 });

    const body = await createImage(ecs, { instanceId: st.instanceId, imageName: 'Moved:to_ecs-1.0', description: 'from SWAS' });
    assert.match(body.imageId, X.IMAGE_ID_RE, JSON.stringify(body));
    st.ownId = body.imageId;
    await expectSdkError(createImage(ecs, { instanceId: st.instanceId, imageName: 'Moved:to_ecs-1.0' }),
      { code: 'InvalidImageName.Duplicated', status: 400 });
    // Listed when Status asks for Creating or Available, whichever it is by now.
    const early = await listed(ecs, st.ownId, { status: 'Creating,Available' });
    assert.ok(early && ['Creating', 'Available'].includes(early.status), JSON.stringify(early));

    const got = await waitAvailable(ecs, st.ownId);
    const ctx = JSON.stringify(got);
    assert.equal(got.imageName, 'Moved:to_ecs-1.0', ctx);
    assert.equal(got.description, 'from SWAS', ctx);
    assert.equal(got.imageOwnerAlias, 'self', ctx);
    assert.equal(got.imageOwnerId, Number(env.root.AccountId), ctx);
    assert.equal(got.isSelfShared, 'False', ctx);
    assert.equal(got.usable, true, ctx);
    assert.equal(got.isPublic, false, ctx);
    assert.equal(got.size, st.size, ctx);
    const self = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'self', pageSize: 100 })).map(i => i.imageId);
    assert.deepEqual(self.sort(), [st.copyId, st.ownId].sort());
  });

  it('after UnShare: the SWAS image is gone from ECS; RunInstances from the own image works, and ReInitDisk of that instance', async () => {
    need('ownId', 'swasImageId');
    await X.unshare(swas, st.swasImageId);
    assert.equal(await listed(ecs, st.swasImageId), undefined);
    st.ownInstanceId = await X.runOne(ecs, { imageId: st.ownId });
    const inst = await X.getInstance(ecs, st.ownInstanceId);
    assert.equal(inst.imageId, st.ownId, JSON.stringify(inst));
    await X.stopAndWait(ecs, st.ownInstanceId);
    const disk = await X.systemDisk(ecs, st.ownInstanceId);
    S.assertRequestIdOnly(await E.reInitDisk(ecs, { diskId: disk.diskId }), 'ReInitDisk');
    // The copy made from the shared image launches too.
    await X.runOne(ecs, { imageId: st.copyId });
  });

  it('ModifyImageAttribute renames an own image; DeleteImage deletes an unused one', async () => {
    need('copyId', 'ownId');
    await expectSdkError(modifyImageAttribute(ecs, { imageId: st.copyId, imageName: 'Moved:to_ecs-1.0' }),
      { code: 'InvalidImageName.Duplicated', status: 400 });
    S.assertRequestIdOnly(await modifyImageAttribute(ecs, { imageId: st.copyId, imageName: 'Renamed', description: 'new words' }), 'ModifyImageAttribute');
    const got = await listed(ecs, st.copyId);
    assert.equal(got.imageName, 'Renamed', JSON.stringify(got));
    assert.equal(got.description, 'new words', JSON.stringify(got));
    // An instance runs from the copy: refused without Force.
    await expectSdkError(deleteImage(ecs, { imageId: st.copyId }), { code: 'ImageUsingByInstance', status: 403 });
    S.assertRequestIdOnly(await deleteImage(ecs, { imageId: st.copyId, force: true }), 'DeleteImage');
    assert.equal(await listed(ecs, st.copyId), undefined);
  });

  it('ModifyImageSharePermission: a second account sees the image as others and launches from it; unshared, it no longer can', async () => {
    need('ownId');
    const imageId = st.ownId;
    await expectSdkError(modifySharePermission(ecs, { imageId, addAccount: [env.root.AccountId] }),
      { code: 'InvalidAccount.Forbbiden', status: 404 });
    await expectSdkError(modifySharePermission(ecs, { imageId, addAccount: ['1999999999999999'] }),
      { code: 'InvalidAccount.NotFound', status: 404 });
    assert.equal(await listed(ecsB, imageId), undefined);

    S.assertRequestIdOnly(await modifySharePermission(ecs, { imageId, addAccount: [other.AccountId] }), 'ModifyImageSharePermission');
    const perms = await describeSharePermission(ecs, { imageId });
    assert.equal(perms.imageId, imageId, JSON.stringify(perms));
    assert.equal(perms.totalCount, 1, JSON.stringify(perms));
    assert.deepEqual(perms.accounts.account.map(a => a.aliyunId), [other.AccountId], JSON.stringify(perms));
    assert.ok(Array.isArray(perms.shareGroups.shareGroup), JSON.stringify(perms));
    assert.equal((await listed(ecs, imageId)).isSelfShared, 'True');

    const seen = await listed(ecsB, imageId, { imageOwnerAlias: 'others' });
    assert.ok(seen, 'the second account does not see the shared image');
    assert.equal(seen.imageOwnerId, Number(env.root.AccountId), JSON.stringify(seen));
    assert.equal(seen.isSelfShared, '', JSON.stringify(seen));
    st.bInstanceId = await X.runOne(ecsB, { imageId });
    // The recipient can neither delete nor share it on.
    await expectSdkError(deleteImage(ecsB, { imageId, force: true }), NOT_OWNER);
    await expectSdkError(modifySharePermission(ecsB, { imageId, addAccount: [env.root.AccountId] }), NOT_OWNER);

    S.assertRequestIdOnly(await modifySharePermission(ecs, { imageId, removeAccount: [other.AccountId] }), 'ModifyImageSharePermission');
    assert.equal(await listed(ecsB, imageId), undefined);
    await expectSdkError(E.runInstances(ecsB, { imageId, amount: 1 }), NOT_FOUND);
    assert.equal((await describeSharePermission(ecs, { imageId })).totalCount, 0);
  });

  it('RAM: ecs:<Action> on acs:ecs:<region>:<account>:image/<ImageId>, enforced per image', async () => {
    need('ownId');
    const acct = env.root.AccountId;
    const rootRam = L.ramClient(env.port, env.root);
    const user = await L.makeUser(rootRam, { policies: [{ custom: L.doc(
      L.allow('ecs:ModifyImageAttribute', `acs:ecs:${REGION}:${acct}:image/${st.ownId}`),
      L.allow('ecs:DescribeImages', '*'),
    ) }] });
    const ecsU = X.ecsClient(env.port, user.key);
    S.assertRequestIdOnly(await modifyImageAttribute(ecsU, { imageId: st.ownId, description: 'by a RAM user' }), 'ModifyImageAttribute');
    assert.equal((await listed(ecsU, st.ownId)).description, 'by a RAM user');
    const denied = action => L.subUserDenied(acct, user, action);
    await L.expectDenied(modifyImageAttribute(ecsU, { imageId: 'm-anotherimage000000', description: 'no' }), denied('ecs:ModifyImageAttribute'));
    await L.expectDenied(deleteImage(ecsU, { imageId: st.ownId, force: true }), denied('ecs:DeleteImage'));
    await L.expectDenied(createImage(ecsU, { instanceId: st.ownInstanceId, imageName: 'ByUser' }), denied('ecs:CreateImage'));
    await L.expectDenied(copyImage(ecsU, { imageId: st.ownId }), denied('ecs:CopyImage'));
    await L.expectDenied(modifySharePermission(ecsU, { imageId: st.ownId, addAccount: [other.AccountId] }), denied('ecs:ModifyImageSharePermission'));
    await L.expectDenied(describeSharePermission(ecsU, { imageId: st.ownId }), denied('ecs:DescribeImageSharePermission'));
    assert.ok(await listed(ecs, st.ownId), 'a denied DeleteImage deleted the image');
  });

  it('DeleteImage of the own image: shared or in use only with Force; then ReInitDisk of its instance is refused', async () => {
    need('ownId', 'ownInstanceId');
    const imageId = st.ownId;
    S.assertRequestIdOnly(await modifySharePermission(ecs, { imageId, addAccount: [other.AccountId] }), 'ModifyImageSharePermission');
    await expectSdkError(deleteImage(ecs, { imageId }), { code: 'ImageUsingByInstance', status: 403 });
    S.assertRequestIdOnly(await deleteImage(ecs, { imageId, force: true }), 'DeleteImage');
    assert.equal(await listed(ecs, imageId, { status: 'Creating,Available' }), undefined);
    assert.equal(await listed(ecsB, imageId), undefined);
    const disk = await X.systemDisk(ecs, st.ownInstanceId);
    await expectSdkError(E.reInitDisk(ecs, { diskId: disk.diskId }),
      { code: 'IncorrectImageStatus', status: 403, messageIncludes: 'no longer available' });
  });
});

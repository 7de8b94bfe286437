'use strict';
// Tags and resource groups on SWAS resources through the official SDK: TagResources,
// UntagResources and ListTagResources on instance, disk, snapshot and customimage; Tag.N and
// ResourceGroupId on CreateSnapshot / CreateCustomImage; the Tags and ResourceGroupId of the
// List* answers and their filters; the limits and their codes; account isolation; RAM.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { Swas, R, REGION } = S;

const T = {
  tag: (c, f) => c.tagResources(new Swas.TagResourcesRequest({
    regionId: REGION, ...f, tag: (f.tag || []).map(t => new Swas.TagResourcesRequestTag(t)),
  })).then(r => r.body),
  untag: (c, f) => c.untagResources(new Swas.UntagResourcesRequest({ regionId: REGION, ...f })).then(r => r.body),
  list: (c, f) => c.listTagResources(new Swas.ListTagResourcesRequest({
    regionId: REGION, ...f, tag: f.tag && f.tag.map(t => new Swas.ListTagResourcesRequestTag(t)),
  })).then(r => r.body),
};

// ListTagResources rows as [id, key, value] triples.
const rows = body => (body.tagResources && body.tagResources.tagResource || [])
  .map(r => [r.resourceId, r.tagKey, r.tagValue]);
const plainTags = tags => (tags || []).map(t => [t.key, t.value]);
const codeOf = (code, status) => ({ code, status });

let env, root, other;
let res;  // {instanceId, diskId, snapshotId, imageId}

before(async () => {
  env = await S.startSwas();
  root = S.swasClient(env.port, env.root);
  other = S.swasClient(env.port, S.createAccount(env.dataDir, 'tags-other'));
  res = await S.makeImage(root);
});

after(async () => {
  if (env) { await env.server.stop(); removeDir(env.dataDir); }
});

const TYPES = () => [
  ['instance', res.instanceId, async () => (await R.listInstances(root, { instanceIds: S.jsonIds([res.instanceId]) })).instances[0]],
  ['disk', res.diskId, async () => (await R.listDisks(root, { diskIds: S.jsonIds([res.diskId]) })).disks[0]],
  ['snapshot', res.snapshotId, async () => (await R.listSnapshots(root, { snapshotIds: S.jsonIds([res.snapshotId]) })).snapshots[0]],
  ['customimage', res.imageId, async () => (await R.listCustomImages(root, { imageIds: S.jsonIds([res.imageId]) })).customImages[0]],
];

describe('round trip on every resource type', () => {
  it('TagResources, ListTagResources, the List* answer, UntagResources, All', async () => {
    for (const [type, id, get] of TYPES()) {
      S.assertRequestIdOnly(await T.tag(root, {
        resourceType: type, resourceId: [id], tag: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'a' }],
      }), `TagResources ${type}`);
      await T.tag(root, { resourceType: type, resourceId: [id], tag: [{ key: 'env', value: 'prod' }] });
      const listed = await T.list(root, { resourceType: type, resourceId: [id] });
      assert.deepEqual(rows(listed), [[id, 'env', 'prod'], [id, 'team', 'a']], type);
      assert.equal(listed.tagResources.tagResource[0].resourceType, type);
      const item = await get();
      assert.deepEqual(plainTags(item.tags), [['env', 'prod'], ['team', 'a']], `${type} Tags`);
      assert.match(item.resourceGroupId, /^rg-acfm[0-9a-z]{15}$/, `${type} ResourceGroupId`);

      await T.untag(root, { resourceType: type, resourceId: [id], tagKey: ['team', 'absent'] });
      assert.deepEqual(plainTags((await get()).tags), [['env', 'prod']], `${type} after untag`);
      await T.untag(root, { resourceType: type, resourceId: [id] });  // neither keys nor All
      assert.equal((await get()).tags.length, 1, `${type}: no TagKey and no All removes nothing`);
      await T.untag(root, { resourceType: type, resourceId: [id], all: true });
      assert.deepEqual(plainTags((await get()).tags), [], `${type} after All`);
    }
  });

  it('ListInstances shows the disks\' tags too', async () => {
    await T.tag(root, { resourceType: 'disk', resourceId: [res.diskId], tag: [{ key: 'd', value: '1' }] });
    const inst = (await R.listInstances(root, { instanceIds: S.jsonIds([res.instanceId]) })).instances[0];
    const disk = inst.disks.find(d => d.diskId === res.diskId);
    assert.deepEqual(plainTags(disk.diskTags), [['d', '1']]);
    assert.equal(disk.resourceGroupId, inst.resourceGroupId);
    await T.untag(root, { resourceType: 'disk', resourceId: [res.diskId], all: true });
  });
});

describe('Tag.N and ResourceGroupId on create, and the filters', () => {
  let snap, img, defaultGroup;
  before(async () => {
    defaultGroup = (await R.listInstances(root, { instanceIds: S.jsonIds([res.instanceId]) })).instances[0].resourceGroupId;
    const disk = await S.systemDisk(root, res.instanceId);
    snap = (await R.createSnapshot(root, {
      diskId: disk.diskId, snapshotName: 'tagged', resourceGroupId: 'rg-team-a',
      tag: [new Swas.CreateSnapshotRequestTag({ key: 'owner', value: 'alice' })],
    })).snapshotId;
    await S.waitSnapshotAccomplished(root, snap);
    img = (await R.createCustomImage(root, {
      instanceId: res.instanceId, systemSnapshotId: snap, imageName: 'tagged-image', resourceGroupId: 'rg-team-a',
      tag: [new Swas.CreateCustomImageRequestTag({ key: 'owner', value: 'alice' }),
        new Swas.CreateCustomImageRequestTag({ key: 'tier', value: '' })],
    })).imageId;
  });

  it('the create calls store them and the List* answers return them', async () => {
    const s = (await R.listSnapshots(root, { snapshotIds: S.jsonIds([snap]) })).snapshots[0];
    assert.deepEqual(plainTags(s.tags), [['owner', 'alice']]);
    assert.equal(s.resourceGroupId, 'rg-team-a');
    const i = (await R.listCustomImages(root, { imageIds: S.jsonIds([img]) })).customImages[0];
    assert.deepEqual(plainTags(i.tags), [['owner', 'alice'], ['tier', '']]);
    assert.equal(i.resourceGroupId, 'rg-team-a');
    assert.deepEqual(rows(await T.list(root, { resourceType: 'customimage', tag: [{ key: 'owner', value: 'alice' }] })),
      [[img, 'owner', 'alice'], [img, 'tier', '']]);
  });

  it('filters by Tag.N and ResourceGroupId on ListSnapshots, ListCustomImages, ListInstances, ListDisks', async () => {
    const ownerTag = [new Swas.ListSnapshotsRequestTag({ key: 'owner', value: 'alice' })];
    assert.deepEqual((await R.listSnapshots(root, { tag: ownerTag })).snapshots.map(x => x.snapshotId), [snap]);
    assert.deepEqual((await R.listSnapshots(root, { resourceGroupId: 'rg-team-a' })).snapshots.map(x => x.snapshotId), [snap]);
    assert.equal((await R.listSnapshots(root, { resourceGroupId: defaultGroup })).snapshots.some(x => x.snapshotId === snap), false);
    const wrongValue = [new Swas.ListSnapshotsRequestTag({ key: 'owner', value: 'bob' })];
    assert.equal((await R.listSnapshots(root, { tag: wrongValue })).totalCount, 0);

    const keyOnly = [new Swas.ListCustomImagesRequestTag({ key: 'tier' })];
    const imgs = await R.listCustomImages(root, { tag: keyOnly });
    assert.deepEqual(imgs.customImages.map(x => x.imageId), [img]);
    assert.equal(Number(imgs.totalCount), 1);
    assert.equal(Number((await R.listCustomImages(root, { resourceGroupId: 'rg-none' })).totalCount), 0);

    await T.tag(root, { resourceType: 'instance', resourceId: [res.instanceId], tag: [{ key: 'role', value: 'web' }] });
    await T.tag(root, { resourceType: 'disk', resourceId: [res.diskId], tag: [{ key: 'role', value: 'web' }] });
    const web = [new Swas.ListInstancesRequestTag({ key: 'role', value: 'web' })];
    assert.deepEqual((await R.listInstances(root, { tag: web })).instances.map(x => x.instanceId), [res.instanceId]);
    assert.equal((await R.listInstances(root, { resourceGroupId: defaultGroup })).totalCount >= 1, true);
    assert.equal((await R.listInstances(root, { resourceGroupId: 'rg-team-a' })).totalCount, 0);
    const webDisk = [new Swas.ListDisksRequestTag({ key: 'role', value: 'web' })];
    assert.deepEqual((await R.listDisks(root, { tag: webDisk })).disks.map(x => x.diskId), [res.diskId]);
    assert.equal((await R.listDisks(root, { resourceGroupId: 'rg-team-a' })).totalCount, 0);
  });

  it('a malformed Tag.N on create creates nothing', async () => {
    const disk = await S.systemDisk(root, res.instanceId);
    const before = (await R.listSnapshots(root, {})).totalCount;
    await expectSdkError(R.createSnapshot(root, {
      diskId: disk.diskId, tag: [new Swas.CreateSnapshotRequestTag({ key: 'aliyun:x', value: 'v' })],
    }), codeOf('InvalidTagKey.Malformed', 400));
    assert.equal((await R.listSnapshots(root, {})).totalCount, before);
  });
});

describe('limits and their codes', () => {
  let id;
  before(async () => { id = await S.makeInstance(root); });
  const tag = (tags, f = {}) => T.tag(root, { resourceType: 'instance', resourceId: [id], tag: tags, ...f });

  it('keys and values', async () => {
    for (const key of ['aliyun-x', 'acs:x', 'Aliyun', 'k'.repeat(65), 'http://x']) {
      await expectSdkError(tag([{ key, value: 'v' }]), codeOf('InvalidTagKey.Malformed', 400));
    }
    await expectSdkError(tag([{ key: 'k', value: 'v'.repeat(65) }]), codeOf('InvalidTagValue.Malformed', 400));
    await expectSdkError(tag([{ key: 'k', value: '1' }, { key: 'k', value: '2' }]), codeOf('Duplicate.TagKey', 400));
    await expectSdkError(tag([{ value: 'v' }]), codeOf('MissingParameter', 400));
    S.assertRequestIdOnly(await tag([{ key: '标'.repeat(64), value: '值'.repeat(64) }]));
    await T.untag(root, { resourceType: 'instance', resourceId: [id], all: true });
  });

  it('20 tags per request and per resource; 50 resources per request', async () => {
    const many = n => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    await expectSdkError(tag(many(21)), codeOf('InvalidParameter', 400));
    await tag(many(20));
    await expectSdkError(tag([{ key: 'one-more', value: '' }]), codeOf('OperationDenied.QuotaExceed', 400));
    await tag([{ key: 'k0', value: 'overwrite' }]);
    const ids = Array.from({ length: 51 }, () => id);
    await expectSdkError(tag([{ key: 'k0', value: '' }], { resourceId: ids }), codeOf('InvalidParameter', 400));
    await T.untag(root, { resourceType: 'instance', resourceId: [id], all: true });
  });

  it('resource types, ids, a missing ResourceId and NextToken', async () => {
    await expectSdkError(tag([{ key: 'k', value: '' }], { resourceType: 'bogus' }), codeOf('InvalidResourceType.NotFound', 404));
    await expectSdkError(tag([{ key: 'k', value: '' }], { resourceType: 'firewallrule' }), codeOf('InvalidResourceType.NotSupported', 400));
    await expectSdkError(tag([{ key: 'k', value: '' }], { resourceId: [id, 'nope'] }), codeOf('InvalidResourceId.NotFound', 404));
    await expectSdkError(tag([{ key: 'k', value: '' }], { resourceType: 'disk' }), codeOf('InvalidResourceId.NotFound', 404));
    assert.deepEqual(rows(await T.list(root, { resourceType: 'instance', resourceId: [id] })), [], 'all or nothing');
    await expectSdkError(T.untag(root, { resourceType: 'instance', all: true }), codeOf('MissingParameter', 400));
    await expectSdkError(T.list(root, { resourceType: 'instance', nextToken: 'garbage' }), codeOf('InvalidNextToken', 400));
  });

  it('ListTagResources pages by 50 with NextToken', async () => {
    const ids = (await R.createInstances(root, { imageId: await S.systemImageId(root), amount: 3 })).instanceIds;
    const twenty = Array.from({ length: 20 }, (_, i) => ({ key: `p${String(i).padStart(2, '0')}`, value: 'v' }));
    await T.tag(root, { resourceType: 'instance', resourceId: ids, tag: twenty });
    const first = await T.list(root, { resourceType: 'instance', resourceId: ids });
    assert.equal(rows(first).length, 50);
    assert.ok(first.nextToken, 'a next page');
    const second = await T.list(root, { resourceType: 'instance', resourceId: ids, nextToken: first.nextToken });
    assert.equal(rows(second).length, 10);
    assert.ok(!second.nextToken, `last page: ${JSON.stringify(second.nextToken)}`);
    const all = [...rows(first), ...rows(second)];
    assert.equal(new Set(all.map(r => `${r[0]}/${r[1]}`)).size, 60);
  });
});

describe('another account', () => {
  it('cannot tag, untag or list the owner\'s resources, nor tell them from missing ones', async () => {
    for (const [type, id] of TYPES()) {
      const e = { code: 'InvalidResourceId.NotFound', status: 404 };
      await expectSdkError(T.tag(other, { resourceType: type, resourceId: [id], tag: [{ key: 'x', value: 'y' }] }), e);
      await expectSdkError(T.untag(other, { resourceType: type, resourceId: [id], all: true }), e);
      await expectSdkError(T.tag(other, { resourceType: type, resourceId: ['nope'], tag: [{ key: 'x', value: 'y' }] }), e);
      assert.deepEqual(rows(await T.list(other, { resourceType: type, resourceId: [id] })), []);
      assert.deepEqual(rows(await T.list(other, { resourceType: type })), []);
    }
  });
});

describe('RAM', () => {
  let ram, acct;
  before(() => { ram = L.ramClient(env.port, env.root); acct = env.root.AccountId; });
  const userWith = async policies => {
    const user = await L.makeUser(ram, { policies });
    return { user, swas: L.swasClient(env.port, user.key) };
  };
  const denied = (user, action, noPermissionType = 'ImplicitDeny') => ({
    action, principalType: 'SubUser', noPermissionType, ownerId: acct, displayNames: [user.userName, user.userId],
  });
  const tagIt = c => T.tag(c, { resourceType: 'instance', resourceId: [res.instanceId], tag: [{ key: 'ram', value: '1' }] });

  it('a user without policies may do none of the three', async () => {
    const { user, swas } = await userWith([]);
    await L.expectDenied(tagIt(swas), denied(user, 'swas-open:TagResources'));
    await L.expectDenied(T.untag(swas, { resourceType: 'instance', resourceId: [res.instanceId], all: true }),
      denied(user, 'swas-open:UntagResources'));
    await L.expectDenied(T.list(swas, { resourceType: 'instance' }), denied(user, 'swas-open:ListTagResources'));
  });

  it('ListTagResources alone lists but does not tag; TagResources on * tags', async () => {
    const lister = await userWith([{ custom: L.doc(L.allow('swas-open:ListTagResources')) }]);
    await T.list(lister.swas, { resourceType: 'instance' });
    await L.expectDenied(tagIt(lister.swas), denied(lister.user, 'swas-open:TagResources'));

    const tagger = await userWith([{ custom: L.doc(L.allow(['swas-open:TagResources', 'swas-open:ListTagResources'], '*')) }]);
    S.assertRequestIdOnly(await tagIt(tagger.swas));
    assert.ok(rows(await T.list(tagger.swas, { resourceType: 'instance', resourceId: [res.instanceId] }))
      .some(r => r[1] === 'ram'));
  });

  it('an explicit Deny wins over AliyunSWASFullAccess', async () => {
    const { user, swas } = await userWith(['AliyunSWASFullAccess', { custom: L.doc(L.deny('swas-open:UntagResources')) }]);
    await tagIt(swas);
    await L.expectDenied(T.untag(swas, { resourceType: 'instance', resourceId: [res.instanceId], all: true }),
      denied(user, 'swas-open:UntagResources', 'ExplicitDeny'));
  });
});

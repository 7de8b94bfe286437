'use strict';
// SWAS resources beyond the happy path: catalog filters, CreateInstances errors, ListInstances
// paging and filters, power operations and their state errors, disks, snapshots, custom image
// name rules / duplicate names / quota / snapshot checks, ListCustomImages filters and paging,
// deletes, unknown regions and (account, region) scoping.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const { R, REGION, REGION2, NOWHERE, PLAN_ID, jsonIds } = S;

const NOT_FOUND = {
  instance: { code: 'InvalidInstanceId.NotFound', status: 404 },
  image: { code: 'InvalidImageId.NotFound', status: 404 },
  plan: { code: 'InvalidPlanId.NotFound', status: 404 },
  disk: { code: 'InvalidDiskId.NotFound', status: 404 },
  snapshot: { code: 'InvalidSnapshotId.NotFound', status: 404 },
  region: { code: 'InvalidRegionId.NotFound', status: 404 },
};
const INCORRECT_STATUS = { code: 'IncorrectInstanceStatus', status: 403 };
const MISSING = { code: 'MissingParameter', status: 400 };
const INVALID = { code: 'InvalidParameter', status: 400 };
const FAKE_HEX = '0123456789abcdef0123456789abcdef';

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

// A fresh tenant with its own client.
function tenant(name) {
  const key = S.createAccount(env.dataDir, name);
  return { key, c: S.swasClient(env.port, key) };
}

const countInstances = async (c, regionId = REGION) => (await R.listInstances(c, { regionId, pageSize: 100 })).totalCount;
const countImages = async (c, regionId = REGION) => Number((await R.listCustomImages(c, { regionId, pageSize: 100 })).totalCount);

// ==========================================================================================
describe('catalog', () => {
  it('ListPlans in another region also answers >= 5 plans', async () => {
    const body = await R.listPlans(a, { regionId: REGION2 });
    assert.ok(body.plans.length >= 5, JSON.stringify(body).slice(0, 300));
  });

  it('ListImages ImageType=system / app filter by type', async () => {
    const sys = (await R.listImages(a, { imageType: 'system' })).images;
    const app = (await R.listImages(a, { imageType: 'app' })).images;
    assert.ok(sys.length > 0 && app.length > 0, `system ${sys.length}, app ${app.length}`);
    assert.ok(sys.every(i => i.imageType === 'system'), JSON.stringify(sys));
    assert.ok(app.every(i => i.imageType === 'app'), JSON.stringify(app));
    for (const i of [...sys, ...app]) assert.match(i.imageId, S.HEX32_RE);
  });

  it('ListImages ImageIds (JSON string) returns exactly those images', async () => {
    const all = (await R.listImages(a)).images;
    const pick = [all[0].imageId, all[all.length - 1].imageId];
    const got = (await R.listImages(a, { imageIds: jsonIds(pick) })).images.map(i => i.imageId);
    assert.deepEqual(got.sort(), [...new Set(pick)].sort());
  });

  it('ListPlans / ListImages in an unknown region -> InvalidRegionId.NotFound 404', async () => {
    await expectSdkError(R.listPlans(a, { regionId: NOWHERE }), NOT_FOUND.region);
    await expectSdkError(R.listImages(a, { regionId: NOWHERE }), NOT_FOUND.region);
  });

  describe('custom images in ListImages', () => {
    let img, img2;
    before(async () => {
      [img, img2] = await Promise.all([S.makeImage(a), S.makeImage(a, { regionId: REGION2 })]);
    });

    it('ImageType=custom lists the caller\'s custom image in that region only', async () => {
      const mine = (await R.listImages(a, { imageType: 'custom' })).images;
      assert.ok(mine.some(i => i.imageId === img.imageId), JSON.stringify(mine));
      assert.ok(!mine.some(i => i.imageId === img2.imageId), 'REGION2 image listed in REGION');
      for (const i of mine) {
        assert.equal(i.imageType, 'custom', JSON.stringify(i));
        assert.match(i.imageId, S.IMAGE_ID_RE);
      }
      const r2 = (await R.listImages(a, { regionId: REGION2, imageType: 'custom' })).images.map(i => i.imageId);
      assert.ok(r2.includes(img2.imageId) && !r2.includes(img.imageId), JSON.stringify(r2));
      const byId = (await R.listImages(a, { imageType: 'custom', imageIds: jsonIds([img.imageId]) })).images;
      assert.deepEqual(byId.map(i => [i.imageId, i.imageName]), [[img.imageId, img.name]]);
    });

    it('system / app listings carry no custom image', async () => {
      const all = (await R.listImages(a, { imageType: 'system' })).images.concat((await R.listImages(a, { imageType: 'app' })).images);
      assert.ok(!all.some(i => i.imageId === img.imageId));
    });

    it('another account never sees them', async () => {
      const theirs = (await R.listImages(b, { imageType: 'custom' })).images.map(i => i.imageId);
      assert.ok(!theirs.includes(img.imageId), JSON.stringify(theirs));
      const theirs2 = (await R.listImages(b)).images.map(i => i.imageId);
      assert.ok(!theirs2.includes(img.imageId), JSON.stringify(theirs2));
      const byId = (await R.listImages(b, { imageType: 'custom', imageIds: jsonIds([img.imageId]) })).images;
      assert.deepEqual(byId, []);
    });
  });
});

// ==========================================================================================
describe('CreateInstances', () => {
  let t, sysImage;
  before(async () => {
    t = tenant('create-instances');
    sysImage = await S.systemImageId(t.c);
  });

  it('Amount 3 -> 3 distinct 32-hex ids, all listed; Amount omitted -> 1', async () => {
    const before = await countInstances(t.c);
    const body = await R.createInstances(t.c, { imageId: sysImage, amount: 3, period: 1, chargeType: 'PrePaid', autoRenew: true });
    assert.equal(body.instanceIds.length, 3, JSON.stringify(body));
    assert.equal(new Set(body.instanceIds).size, 3);
    for (const id of body.instanceIds) assert.match(id, S.HEX32_RE);
    const one = await R.createInstances(t.c, { imageId: sysImage, period: 12 });
    assert.equal(one.instanceIds.length, 1, JSON.stringify(one));
    assert.equal(await countInstances(t.c), before + 4);
    const listed = (await R.listInstances(t.c, { instanceIds: jsonIds(body.instanceIds) })).instances.map(i => i.instanceId);
    assert.deepEqual(listed.sort(), [...body.instanceIds].sort());
  });

  it('every valid Period is accepted (1,3,6,12,24,36)', async () => {
    for (const period of [1, 3, 6, 12, 24, 36]) {
      const body = await R.createInstances(t.c, { imageId: sysImage, period });
      assert.equal(body.instanceIds.length, 1, `Period ${period}: ${JSON.stringify(body)}`);
    }
  });

  it('unknown PlanId -> InvalidPlanId.NotFound 404', async () => {
    await expectSdkError(R.createInstances(t.c, { imageId: sysImage, planId: 'swas.s9.nosuchplan' }), NOT_FOUND.plan);
  });

  it('unknown ImageId (32 hex, and m-…) -> InvalidImageId.NotFound 404', async () => {
    await expectSdkError(R.createInstances(t.c, { imageId: FAKE_HEX }), NOT_FOUND.image);
    await expectSdkError(R.createInstances(t.c, { imageId: 'm-nosuchimage0000000' }), NOT_FOUND.image);
  });

  it('missing PlanId / ImageId / Period -> MissingParameter 400', async () => {
    await expectSdkError(R.createInstances(t.c, { imageId: sysImage, planId: undefined }), MISSING);
    await expectSdkError(R.createInstances(t.c, { imageId: undefined }), MISSING);
    await expectSdkError(R.createInstances(t.c, { imageId: sysImage, period: undefined }), MISSING);
  });

  it('invalid Period / Amount / ChargeType -> 400, nothing created', async () => {
    const n = await countInstances(t.c);
    for (const f of [{ period: 2 }, { period: 0 }, { period: 48 }, { amount: 0 }, { amount: 21 }, { chargeType: 'PostPaid' }]) {
      await S.expectSdkClientError(R.createInstances(t.c, { imageId: sysImage, ...f }), { statuses: [400] })
        .catch(e => { throw new Error(`${JSON.stringify(f)}: ${e.message}`); });
    }
    assert.equal(await countInstances(t.c), n);
  });

  it('Amount 20 is accepted', async () => {
    const body = await R.createInstances(t.c, { imageId: sysImage, amount: 20 });
    assert.equal(body.instanceIds.length, 20);
  });

  it('unknown RegionId -> InvalidRegionId.NotFound 404', async () => {
    await expectSdkError(R.createInstances(t.c, { regionId: NOWHERE, imageId: sysImage }), NOT_FOUND.region);
  });

  describe('from custom images', () => {
    let mine, mineR2, theirs;
    before(async () => {
      [mine, mineR2, theirs] = await Promise.all([
        S.makeImage(t.c), S.makeImage(t.c, { regionId: REGION2 }), S.makeImage(b),
      ]);
    });

    it("another account's custom image -> InvalidImageId.NotFound 404", async () => {
      await expectSdkError(R.createInstances(t.c, { imageId: theirs.imageId }), NOT_FOUND.image);
    });

    it("another region's custom image -> InvalidImageId.NotFound 404", async () => {
      await expectSdkError(R.createInstances(t.c, { imageId: mineR2.imageId }), NOT_FOUND.image);
      await expectSdkError(R.createInstances(t.c, { regionId: REGION2, imageId: mine.imageId }), NOT_FOUND.image);
    });

    it('own custom image -> instance with that ImageId; listed in CreateInstances of the image', async () => {
      const body = await R.createInstances(t.c, { imageId: mine.imageId });
      const id = body.instanceIds[0];
      const inst = await S.waitInstanceStatus(t.c, id, 'Running');
      assert.equal(inst.imageId, mine.imageId);
      const img = await S.getCustomImage(t.c, mine.imageId);
      assert.ok(Array.isArray(img.createInstances) && img.createInstances.includes(id), JSON.stringify(img));
    });
  });
});

// ==========================================================================================
describe('ListInstances / ListInstanceStatus paging and filters', () => {
  let t, ids;
  before(async () => {
    t = tenant('paging');
    ids = await S.makeInstances(t.c, { amount: 12 });
  });

  it('defaults: PageNumber 1, PageSize 10, TotalCount 12', async () => {
    const body = await R.listInstances(t.c);
    assert.equal(body.totalCount, 12);
    assert.equal(body.pageNumber, 1);
    assert.equal(body.pageSize, 10);
    assert.equal(body.instances.length, 10);
  });

  it('pages cover every instance exactly once', async () => {
    const seen = [];
    for (let p = 1; p <= 3; p++) {
      const body = await R.listInstances(t.c, { pageSize: 5, pageNumber: p });
      assert.equal(body.pageNumber, p);
      assert.equal(body.pageSize, 5);
      assert.equal(body.totalCount, 12);
      assert.equal(body.instances.length, p < 3 ? 5 : 2, `page ${p}`);
      seen.push(...body.instances.map(i => i.instanceId));
    }
    assert.deepEqual(seen.slice().sort(), ids.slice().sort());
    const beyond = await R.listInstances(t.c, { pageSize: 5, pageNumber: 4 });
    assert.deepEqual(beyond.instances, []);
    assert.equal(beyond.totalCount, 12);
    assert.equal((await R.listInstances(t.c, { pageSize: 100 })).instances.length, 12);
  });

  it('InstanceIds (JSON string) filter', async () => {
    const body = await R.listInstances(t.c, { instanceIds: jsonIds([ids[3], ids[7]]) });
    assert.equal(body.totalCount, 2);
    assert.deepEqual(body.instances.map(i => i.instanceId).sort(), [ids[3], ids[7]].sort());
  });

  it('ListInstanceStatus lists all, and filters by InstanceIds', async () => {
    const all = await R.listInstanceStatus(t.c, { pageSize: 100 });
    assert.deepEqual(all.instanceStatuses.map(s => s.instanceId).sort(), ids.slice().sort());
    assert.ok(all.instanceStatuses.every(s => s.status === 'Running'), JSON.stringify(all.instanceStatuses));
    const some = await R.listInstanceStatus(t.c, { instanceIds: jsonIds([ids[0]]) });
    assert.deepEqual(some.instanceStatuses.map(s => [s.instanceId, s.status]), [[ids[0], 'Running']]);
  });

  it('UpdateInstanceAttribute renames; InstanceName filter finds it', async () => {
    S.assertRequestIdOnly(await R.updateInstanceAttribute(t.c, { instanceId: ids[2], instanceName: 'renamed-web-1' }));
    assert.equal((await S.getInstance(t.c, ids[2])).instanceName, 'renamed-web-1');
    const body = await R.listInstances(t.c, { instanceName: 'renamed-web-1' });
    assert.deepEqual(body.instances.map(i => i.instanceId), [ids[2]]);
    assert.equal(body.totalCount, 1);
  });

  it('Status filter', async () => {
    await R.stopInstance(t.c, { instanceId: ids[5] });
    await S.waitInstanceStatus(t.c, ids[5], 'Stopped');
    const stopped = await R.listInstances(t.c, { status: 'Stopped' });
    assert.deepEqual(stopped.instances.map(i => i.instanceId), [ids[5]]);
    const running = await R.listInstances(t.c, { status: 'Running', pageSize: 100 });
    assert.equal(running.totalCount, 11);
    assert.ok(!running.instances.some(i => i.instanceId === ids[5]));
  });

  it('scoped by account and region', async () => {
    assert.equal((await R.listInstances(t.c, { regionId: REGION2 })).totalCount, 0);
    const theirs = (await R.listInstances(b, { pageSize: 100 })).instances.map(i => i.instanceId);
    assert.ok(!theirs.some(id => ids.includes(id)), 'another account lists these instances');
    assert.deepEqual((await R.listInstances(b, { instanceIds: jsonIds(ids) })).instances, []);
    assert.deepEqual((await R.listInstanceStatus(b, { instanceIds: jsonIds(ids) })).instanceStatuses, []);
  });

  it('unknown RegionId -> 404', async () => {
    await expectSdkError(R.listInstances(t.c, { regionId: NOWHERE }), NOT_FOUND.region);
    await expectSdkError(R.listInstanceStatus(t.c, { regionId: NOWHERE }), NOT_FOUND.region);
  });
});

// ==========================================================================================
describe('power operations', () => {
  let t, id;
  before(async () => {
    t = tenant('power');
  });

  it('Stop / Start / Reboot on a Pending instance -> IncorrectInstanceStatus 403', async () => {
    const fresh = await S.makeInstance(t.c, { wait: false });
    const st = (await S.getInstance(t.c, fresh)).status;
    assert.equal(st, 'Pending', 'the instance must still be Pending for this case');
    await expectSdkError(R.stopInstance(t.c, { instanceId: fresh }), INCORRECT_STATUS);
    await expectSdkError(R.rebootInstance(t.c, { instanceId: fresh }), INCORRECT_STATUS);
    await expectSdkError(R.startInstance(t.c, { instanceId: fresh }), INCORRECT_STATUS);
    id = fresh;
    await S.waitInstanceStatus(t.c, id, 'Running');
  });

  it('Start on Running -> IncorrectInstanceStatus 403', async () => {
    await expectSdkError(R.startInstance(t.c, { instanceId: id }), INCORRECT_STATUS);
  });

  it('Reboot: Running -> Starting -> Running', async () => {
    S.assertRequestIdOnly(await R.rebootInstance(t.c, { instanceId: id }));
    assert.equal((await S.getInstance(t.c, id)).status, 'Starting');
    await S.waitInstanceStatus(t.c, id, 'Running');
  });

  it('Stop: Running -> Stopping -> Stopped; Start while Stopping -> 403', async () => {
    S.assertRequestIdOnly(await R.stopInstance(t.c, { instanceId: id }));
    assert.equal((await S.getInstance(t.c, id)).status, 'Stopping');
    await expectSdkError(R.startInstance(t.c, { instanceId: id }), INCORRECT_STATUS);
    await S.waitInstanceStatus(t.c, id, 'Stopped');
    const st = await R.listInstanceStatus(t.c, { instanceIds: jsonIds([id]) });
    assert.equal(st.instanceStatuses[0].status, 'Stopped');
  });

  it('Stop / Reboot on Stopped -> IncorrectInstanceStatus 403', async () => {
    await expectSdkError(R.stopInstance(t.c, { instanceId: id }), INCORRECT_STATUS);
    await expectSdkError(R.rebootInstance(t.c, { instanceId: id }), INCORRECT_STATUS);
  });

  it('Start: Stopped -> Starting -> Running; Stop while Starting -> 403', async () => {
    S.assertRequestIdOnly(await R.startInstance(t.c, { instanceId: id }));
    assert.equal((await S.getInstance(t.c, id)).status, 'Starting');
    await expectSdkError(R.stopInstance(t.c, { instanceId: id }), INCORRECT_STATUS);
    await S.waitInstanceStatus(t.c, id, 'Running');
  });

  for (const [op, fn] of [
    ['StopInstance', R.stopInstance], ['StartInstance', R.startInstance], ['RebootInstance', R.rebootInstance],
    ['UpdateInstanceAttribute', (c, f) => R.updateInstanceAttribute(c, { instanceName: 'x-name', ...f })],
  ]) {
    it(`${op}: unknown, other account's, other region's instance -> InvalidInstanceId.NotFound 404`, async () => {
      assert.ok(id, 'no instance from the earlier cases');
      await expectSdkError(fn(t.c, { instanceId: FAKE_HEX }), NOT_FOUND.instance);
      await expectSdkError(fn(b, { instanceId: id }), NOT_FOUND.instance);
      await expectSdkError(fn(t.c, { regionId: REGION2, instanceId: id }), NOT_FOUND.instance);
      await expectSdkError(fn(t.c, { regionId: NOWHERE, instanceId: id }), NOT_FOUND.region);
      const inst = await S.getInstance(t.c, id);
      assert.equal(inst.status, 'Running', `${op} by a stranger changed the state`);
      assert.notEqual(inst.instanceName, 'x-name', `${op} by a stranger renamed it`);
    });
  }
});

// ==========================================================================================
describe('ListDisks', () => {
  let t, ids;
  before(async () => {
    t = tenant('disks');
    ids = await S.makeInstances(t.c, { amount: 3 });
  });

  it('every instance has exactly one System disk', async () => {
    const body = await R.listDisks(t.c, { pageSize: 100 });
    assert.equal(body.totalCount, 3);
    const sys = body.disks.filter(d => d.diskType === 'System');
    assert.deepEqual(sys.map(d => d.instanceId).sort(), ids.slice().sort());
    for (const d of body.disks) {
      assert.match(d.diskId, S.DISK_ID_RE);
      assert.equal(d.status, 'In_use');
      assert.equal(d.regionId, REGION);
    }
    assert.equal(new Set(body.disks.map(d => d.diskId)).size, 3);
  });

  it('filters: InstanceId, DiskIds, DiskType', async () => {
    const one = await R.listDisks(t.c, { instanceId: ids[1] });
    assert.equal(one.totalCount, 1);
    assert.equal(one.disks[0].instanceId, ids[1]);
    const d0 = (await S.systemDisk(t.c, ids[0])).diskId;
    const byIds = await R.listDisks(t.c, { diskIds: jsonIds([d0, one.disks[0].diskId]) });
    assert.deepEqual(byIds.disks.map(d => d.diskId).sort(), [d0, one.disks[0].diskId].sort());
    assert.equal((await R.listDisks(t.c, { diskType: 'System' })).totalCount, 3);
    const data = await R.listDisks(t.c, { diskType: 'Data' });
    assert.deepEqual(data.disks, []);
    assert.equal(data.totalCount, 0);
  });

  it('paging', async () => {
    const p1 = await R.listDisks(t.c, { pageSize: 2, pageNumber: 1 });
    const p2 = await R.listDisks(t.c, { pageSize: 2, pageNumber: 2 });
    assert.equal(p1.disks.length, 2);
    assert.equal(p2.disks.length, 1);
    assert.equal(p1.totalCount, 3);
    assert.equal(p2.pageNumber, 2);
    assert.equal(p2.pageSize, 2);
  });

  it('scoped by account and region; unknown region -> 404', async () => {
    assert.deepEqual((await R.listDisks(b, { instanceId: ids[0] })).disks, []);
    assert.deepEqual((await R.listDisks(t.c, { regionId: REGION2 })).disks, []);
    await expectSdkError(R.listDisks(t.c, { regionId: NOWHERE }), NOT_FOUND.region);
  });
});

// ==========================================================================================
describe('snapshots', () => {
  let t, inst, inst2, snap, snap2;
  before(async () => {
    t = tenant('snapshots');
    [inst, inst2] = await S.makeInstances(t.c, { amount: 2 });
    snap = await S.makeSnapshot(t.c, inst, { name: 'snap-one' });
    snap2 = await S.makeSnapshot(t.c, inst2, { name: 'snap-two' });
  });

  it('CreateSnapshot: unknown disk, other account\'s disk, other region -> InvalidDiskId.NotFound 404', async () => {
    await expectSdkError(R.createSnapshot(t.c, { diskId: 'd-nosuchdisk00000000', snapshotName: 'x1' }), NOT_FOUND.disk);
    await expectSdkError(R.createSnapshot(b, { diskId: snap.diskId, snapshotName: 'x2' }), NOT_FOUND.disk);
    await expectSdkError(R.createSnapshot(t.c, { regionId: REGION2, diskId: snap.diskId, snapshotName: 'x3' }), NOT_FOUND.disk);
    await expectSdkError(R.createSnapshot(t.c, { regionId: NOWHERE, diskId: snap.diskId, snapshotName: 'x4' }), NOT_FOUND.region);
    assert.equal((await R.listSnapshots(t.c)).totalCount, 2);
  });

  it('ListSnapshots filters: SnapshotIds, DiskId, InstanceId, SourceDiskType', async () => {
    const all = await R.listSnapshots(t.c);
    assert.equal(all.totalCount, 2);
    assert.equal(all.pageNumber, 1);
    assert.equal(all.pageSize, 10);
    for (const s of all.snapshots) {
      assert.equal(s.status, 'Accomplished');
      assert.equal(s.progress, '100%');
      assert.equal(s.sourceDiskType, 'System');
    }
    assert.deepEqual((await R.listSnapshots(t.c, { snapshotIds: jsonIds([snap2.snapshotId]) })).snapshots.map(s => s.snapshotId), [snap2.snapshotId]);
    assert.deepEqual((await R.listSnapshots(t.c, { diskId: snap.diskId })).snapshots.map(s => s.snapshotId), [snap.snapshotId]);
    assert.deepEqual((await R.listSnapshots(t.c, { instanceId: inst2 })).snapshots.map(s => s.snapshotId), [snap2.snapshotId]);
    assert.equal((await R.listSnapshots(t.c, { sourceDiskType: 'System' })).totalCount, 2);
    assert.deepEqual((await R.listSnapshots(t.c, { sourceDiskType: 'Data' })).snapshots, []);
    // ANDed filters.
    assert.deepEqual((await R.listSnapshots(t.c, { instanceId: inst, diskId: snap2.diskId })).snapshots, []);
    const p2 = await R.listSnapshots(t.c, { pageSize: 1, pageNumber: 2 });
    assert.equal(p2.snapshots.length, 1);
    assert.equal(p2.totalCount, 2);
  });

  it('scoped by account and region', async () => {
    assert.deepEqual((await R.listSnapshots(b, { snapshotIds: jsonIds([snap.snapshotId]) })).snapshots, []);
    assert.deepEqual((await R.listSnapshots(t.c, { regionId: REGION2 })).snapshots, []);
    await expectSdkError(R.listSnapshots(t.c, { regionId: NOWHERE }), NOT_FOUND.region);
  });

  it('DeleteSnapshot: unknown, other account\'s, other region -> InvalidSnapshotId.NotFound 404', async () => {
    await expectSdkError(R.deleteSnapshot(t.c, { snapshotId: 's-nosuchsnap00000000' }), NOT_FOUND.snapshot);
    await expectSdkError(R.deleteSnapshot(b, { snapshotId: snap.snapshotId }), NOT_FOUND.snapshot);
    await expectSdkError(R.deleteSnapshot(t.c, { regionId: REGION2, snapshotId: snap.snapshotId }), NOT_FOUND.snapshot);
    await expectSdkError(R.deleteSnapshot(t.c, { regionId: NOWHERE, snapshotId: snap.snapshotId }), NOT_FOUND.region);
    assert.ok(await S.getSnapshot(t.c, snap.snapshotId));
  });

  it('DeleteSnapshot ok, then the same id -> 404', async () => {
    S.assertRequestIdOnly(await R.deleteSnapshot(t.c, { snapshotId: snap2.snapshotId }));
    assert.equal(await S.getSnapshot(t.c, snap2.snapshotId), undefined);
    await expectSdkError(R.deleteSnapshot(t.c, { snapshotId: snap2.snapshotId }), NOT_FOUND.snapshot);
  });
});

// ==========================================================================================
describe('CreateCustomImage', () => {
  let t, insts, snaps;
  before(async () => {
    t = tenant('images');
    insts = await S.makeInstances(t.c, { amount: 5 }); // quota 15
    // One Accomplished system snapshot per instance, created in parallel.
    snaps = await Promise.all(insts.map(id => S.makeSnapshot(t.c, id)));
  });

  const create = (f) => R.createCustomImage(t.c, { instanceId: insts[0], systemSnapshotId: snaps[0].snapshotId, ...f });

  describe('ImageName rules', () => {
    const valid = ['ab', '1a', '中文镜像名', 'a:b_c-d.e', 'A' + 'b'.repeat(127)];
    valid.forEach((name, i) => {
      it(`valid ${JSON.stringify(name.length > 20 ? name.slice(0, 8) + '…(' + name.length + ')' : name)} -> created`, async () => {
        const body = await R.createCustomImage(t.c, { instanceId: insts[i], systemSnapshotId: snaps[i].snapshotId, imageName: name });
        assert.match(body.imageId, S.IMAGE_ID_RE);
        const img = await S.waitImageAvailable(t.c, body.imageId);
        assert.equal(img.name, name);
      });
    });

    const invalid = ['a', '中', 'x'.repeat(129), '-ab', '_ab', ':ab', '.ab', ' ab', 'ab cd', 'ab/cd', 'ab@cd', 'ab,cd', 'ab*', 'ab\tcd'];
    for (const name of invalid) {
      it(`invalid ${JSON.stringify(name.length > 20 ? name.slice(0, 4) + '…(' + name.length + ')' : name)} -> InvalidParameter 400`, async () => {
        const n = await countImages(t.c);
        await expectSdkError(create({ imageName: name }), INVALID);
        assert.equal(await countImages(t.c), n, 'an image was created');
      });
    }

    it('missing ImageName -> 400', async () => {
      await S.expectSdkClientError(create({ imageName: undefined }), { statuses: [400] });
    });
  });

  describe('names, snapshots, instances', () => {
    it('same name in the same account and region -> ImageNameAlreadyExist 400', async () => {
      await expectSdkError(create({ imageName: 'ab' }), { code: 'ImageNameAlreadyExist', status: 400 });
      await expectSdkError(create({ imageName: '中文镜像名' }), { code: 'ImageNameAlreadyExist', status: 400 });
    });

    it('the same name is free for another account and in another region', async () => {
      const theirs = await S.makeImage(b, { name: 'ab' });
      assert.equal((await S.getCustomImage(b, theirs.imageId)).name, 'ab');
      const r2 = await S.makeImage(t.c, { regionId: REGION2, name: 'ab' });
      assert.equal((await S.getCustomImage(t.c, r2.imageId, REGION2)).name, 'ab');
    });

    it('unknown or another account\'s SystemSnapshotId -> InvalidSnapshotId.NotFound 404', async () => {
      await expectSdkError(create({ systemSnapshotId: 's-nosuchsnap00000000', imageName: 'snap-unknown' }), NOT_FOUND.snapshot);
      const theirs = await S.makeInstance(b).then(id => S.makeSnapshot(b, id));
      await expectSdkError(create({ systemSnapshotId: theirs.snapshotId, imageName: 'snap-theirs' }), NOT_FOUND.snapshot);
    });

    it('a snapshot of another instance\'s disk -> 4xx', async () => {
      await S.expectSdkClientError(create({ instanceId: insts[0], systemSnapshotId: snaps[1].snapshotId, imageName: 'snap-mismatch' }));
    });

    it('a snapshot still Progressing -> 4xx', async () => {
      const s = await S.makeSnapshot(t.c, insts[4], { wait: false });
      assert.equal((await S.getSnapshot(t.c, s.snapshotId)).status, 'Progressing', 'the snapshot must still be Progressing for this case');
      await S.expectSdkClientError(create({ instanceId: insts[4], systemSnapshotId: s.snapshotId, imageName: 'snap-progressing' }));
      await S.waitSnapshotAccomplished(t.c, s.snapshotId);
    });

    it('unknown or another account\'s InstanceId -> 4xx (404)', async () => {
      await S.expectSdkClientError(create({ instanceId: FAKE_HEX, imageName: 'inst-unknown' }), { statuses: [404] });
      const theirs = (await R.listInstances(b)).instances[0].instanceId;
      await S.expectSdkClientError(create({ instanceId: theirs, imageName: 'inst-theirs' }), { statuses: [404] });
    });

    it('missing SystemSnapshotId / InstanceId -> 400', async () => {
      await S.expectSdkClientError(create({ systemSnapshotId: undefined, imageName: 'miss-snap' }), { statuses: [400] });
      await S.expectSdkClientError(create({ instanceId: undefined, imageName: 'miss-inst' }), { statuses: [400] });
    });

    it('unknown RegionId -> InvalidRegionId.NotFound 404', async () => {
      await expectSdkError(create({ regionId: NOWHERE, imageName: 'no-region' }), NOT_FOUND.region);
    });
  });

  describe('ListCustomImages filters and paging', () => {
    it('fields of every image', async () => {
      const body = await R.listCustomImages(t.c, { pageSize: 100 });
      assert.equal(body.totalCount, '5', JSON.stringify(body.customImages.map(i => i.name)));
      for (const img of body.customImages) {
        const ctx = JSON.stringify(img);
        assert.match(img.imageId, S.IMAGE_ID_RE, ctx);
        assert.equal(img.regionId, REGION, ctx);
        assert.equal(img.status, '1', ctx);
        assert.match(img.creationTime, S.TIME_RE, ctx);
        assert.equal(img.userId, Number(t.key.AccountId), ctx);
        assert.equal(img.inShare, false, ctx);
        assert.equal(img.inShareUser, false, ctx);
        assert.ok(insts.includes(img.instanceId), ctx);
        assert.ok(snaps.some(s => s.snapshotId === img.systemSnapshotId), ctx);
        assert.equal(typeof img.systemSnapshotName, 'string', ctx);
        assert.ok(Array.isArray(img.createInstances), ctx);
      }
    });

    it('PageSize 2 -> pages of 2, 2, 1; PageNumber beyond -> empty', async () => {
      const seen = [];
      for (let p = 1; p <= 3; p++) {
        const body = await R.listCustomImages(t.c, { pageSize: 2, pageNumber: p });
        assert.equal(body.totalCount, '5');
        assert.equal(body.pageNumber, String(p));
        assert.equal(body.pageSize, '2');
        assert.equal(body.customImages.length, p < 3 ? 2 : 1);
        seen.push(...body.customImages.map(i => i.imageId));
      }
      assert.equal(new Set(seen).size, 5);
      assert.deepEqual((await R.listCustomImages(t.c, { pageSize: 2, pageNumber: 4 })).customImages, []);
      const big = await R.listCustomImages(t.c, { pageSize: 100 });
      assert.equal(big.pageSize, '100');
      assert.equal(big.customImages.length, 5);
    });

    it('ImageIds, ImageNames (JSON strings), InstanceId, SystemSnapshotId filters', async () => {
      const all = (await R.listCustomImages(t.c, { pageSize: 100 })).customImages;
      const byName = n => all.find(i => i.name === n);
      const x = byName('中文镜像名');
      const y = byName('a:b_c-d.e');
      assert.ok(x && y, JSON.stringify(all.map(i => i.name)));
      const ids = (await R.listCustomImages(t.c, { imageIds: jsonIds([x.imageId, y.imageId]) })).customImages.map(i => i.imageId);
      assert.deepEqual(ids.sort(), [x.imageId, y.imageId].sort());
      const names = (await R.listCustomImages(t.c, { imageNames: jsonIds(['中文镜像名', 'ab']) })).customImages.map(i => i.name);
      assert.deepEqual(names.sort(), ['ab', '中文镜像名'].sort());
      assert.deepEqual((await R.listCustomImages(t.c, { instanceId: x.instanceId })).customImages.map(i => i.imageId), [x.imageId]);
      assert.deepEqual((await R.listCustomImages(t.c, { systemSnapshotId: y.systemSnapshotId })).customImages.map(i => i.imageId), [y.imageId]);
      // ANDed.
      assert.deepEqual((await R.listCustomImages(t.c, { instanceId: x.instanceId, imageIds: jsonIds([y.imageId]) })).customImages, []);
    });

    it('scoped: another account and another region see none of them; unknown region -> 404', async () => {
      const all = (await R.listCustomImages(t.c, { pageSize: 100 })).customImages.map(i => i.imageId);
      assert.deepEqual((await R.listCustomImages(b, { imageIds: jsonIds(all) })).customImages, []);
      const r2 = (await R.listCustomImages(t.c, { regionId: REGION2 })).customImages.map(i => i.name);
      assert.deepEqual(r2, ['ab']);
      await expectSdkError(R.listCustomImages(t.c, { regionId: NOWHERE }), NOT_FOUND.region);
    });
  });

  describe('DeleteCustomImage(s)', () => {
    it('unknown, other account\'s, other region -> InvalidImageId.NotFound 404; nothing deleted', async () => {
      const mine = (await R.listCustomImages(t.c)).customImages[0].imageId;
      await expectSdkError(R.deleteCustomImage(t.c, { imageId: 'm-nosuchimage0000000' }), NOT_FOUND.image);
      await expectSdkError(R.deleteCustomImage(b, { imageId: mine }), NOT_FOUND.image);
      await expectSdkError(R.deleteCustomImage(t.c, { regionId: REGION2, imageId: mine }), NOT_FOUND.image);
      await expectSdkError(R.deleteCustomImage(t.c, { regionId: NOWHERE, imageId: mine }), NOT_FOUND.region);
      await expectSdkError(R.deleteCustomImages(b, { imageIds: jsonIds([mine]) }), NOT_FOUND.image);
      assert.ok(await S.getCustomImage(t.c, mine));
    });

    it('DeleteCustomImages with one unknown id -> 404, none deleted', async () => {
      const all = (await R.listCustomImages(t.c)).customImages.map(i => i.imageId);
      await expectSdkError(R.deleteCustomImages(t.c, { imageIds: jsonIds([all[0], 'm-nosuchimage0000000']) }), NOT_FOUND.image);
      assert.equal(await countImages(t.c), 5);
    });

    it('DeleteCustomImages of two -> both gone; DeleteCustomImage of one -> gone', async () => {
      const all = (await R.listCustomImages(t.c)).customImages.map(i => i.imageId);
      S.assertRequestIdOnly(await R.deleteCustomImages(t.c, { imageIds: jsonIds([all[0], all[1]]) }));
      assert.equal(await countImages(t.c), 3);
      assert.equal(await S.getCustomImage(t.c, all[0]), undefined);
      assert.equal(await S.getCustomImage(t.c, all[1]), undefined);
      S.assertRequestIdOnly(await R.deleteCustomImage(t.c, { imageId: all[2] }));
      assert.equal(await countImages(t.c), 2);
      await expectSdkError(R.deleteCustomImage(t.c, { imageId: all[2] }), NOT_FOUND.image);
    });
  });
});

// ==========================================================================================
describe('custom image quota: 3 per instance in the region, at most 15', () => {
  let t, insts = [];
  const made = [];
  before(async () => {
    t = tenant('quota');
    insts = await S.makeInstances(t.c, { amount: 1 });
  });

  // A fresh Accomplished snapshot of `instanceId`, then CreateCustomImage with a fresh name.
  const tryCreate = async (instanceId) => {
    const { snapshotId } = await S.makeSnapshot(t.c, instanceId);
    return R.createCustomImage(t.c, { instanceId, systemSnapshotId: snapshotId, imageName: `q-${S.newToken().slice(0, 8)}` });
  };

  it('1 instance: 3 images, the 4th -> CustomImageQuotaLimit 400', async () => {
    for (let i = 0; i < 3; i++) made.push((await tryCreate(insts[0])).imageId);
    await expectSdkError(tryCreate(insts[0]), { code: 'CustomImageQuotaLimit', status: 400 });
    assert.equal(await countImages(t.c), 3);
  });

  it('a deleted image frees its place', async () => {
    await S.waitImageAvailable(t.c, made[0]);
    S.assertRequestIdOnly(await R.deleteCustomImage(t.c, { imageId: made.shift() }));
    made.push((await tryCreate(insts[0])).imageId);
    await expectSdkError(tryCreate(insts[0]), { code: 'CustomImageQuotaLimit', status: 400 });
  });

  it('the quota of one region does not limit another', async () => {
    const r2 = await S.makeImage(t.c, { regionId: REGION2 });
    assert.ok(r2.imageId);
  });

  it('a second instance raises it to 6', async () => {
    insts.push(await S.makeInstance(t.c));
    for (let i = 0; i < 3; i++) made.push((await tryCreate(insts[1])).imageId);
    await expectSdkError(tryCreate(insts[1]), { code: 'CustomImageQuotaLimit', status: 400 });
    assert.equal(await countImages(t.c), 6);
  });

  it('6 instances -> capped at 15, the 16th -> CustomImageQuotaLimit 400', async () => {
    insts.push(...await S.makeInstances(t.c, { amount: 4 }));
    // 9 more images, spread over the 4 new instances (one snapshot at a time per disk).
    const plan = [2, 3, 4, 5, 2, 3, 4, 5, 2];
    const byInst = new Map();
    for (const i of plan) byInst.set(i, (byInst.get(i) || 0) + 1);
    await Promise.all([...byInst].map(async ([i, n]) => {
      for (let k = 0; k < n; k++) made.push((await tryCreate(insts[i])).imageId);
    }));
    assert.equal(await countImages(t.c), 15);
    await expectSdkError(tryCreate(insts[3]), { code: 'CustomImageQuotaLimit', status: 400 });
    insts.push(await S.makeInstance(t.c)); // 7 instances: still 15
    await expectSdkError(tryCreate(insts[6]), { code: 'CustomImageQuotaLimit', status: 400 });
    assert.equal(await countImages(t.c), 15);
  });
});

// ==========================================================================================
describe('every operation refuses an unknown region with InvalidRegionId.NotFound 404', () => {
  let t, fx, sysImage;
  before(async () => {
    t = tenant('regions');
    fx = await S.makeImage(t.c);
    sysImage = await S.systemImageId(t.c);
  });

  const ops = () => [
    ['ListPlans', c => R.listPlans(c, { regionId: NOWHERE })],
    ['ListImages', c => R.listImages(c, { regionId: NOWHERE })],
    ['CreateInstances', c => R.createInstances(c, { regionId: NOWHERE, imageId: sysImage })],
    ['ListInstances', c => R.listInstances(c, { regionId: NOWHERE })],
    ['ListInstanceStatus', c => R.listInstanceStatus(c, { regionId: NOWHERE })],
    ['StopInstance', c => R.stopInstance(c, { regionId: NOWHERE, instanceId: fx.instanceId })],
    ['StartInstance', c => R.startInstance(c, { regionId: NOWHERE, instanceId: fx.instanceId })],
    ['RebootInstance', c => R.rebootInstance(c, { regionId: NOWHERE, instanceId: fx.instanceId })],
    ['UpdateInstanceAttribute', c => R.updateInstanceAttribute(c, { regionId: NOWHERE, instanceId: fx.instanceId, instanceName: 'region-renamed' })],
    ['ListDisks', c => R.listDisks(c, { regionId: NOWHERE })],
    ['CreateSnapshot', c => R.createSnapshot(c, { regionId: NOWHERE, diskId: fx.diskId, snapshotName: 'n' })],
    ['ListSnapshots', c => R.listSnapshots(c, { regionId: NOWHERE })],
    ['DeleteSnapshot', c => R.deleteSnapshot(c, { regionId: NOWHERE, snapshotId: fx.snapshotId })],
    ['CreateCustomImage', c => R.createCustomImage(c, { regionId: NOWHERE, instanceId: fx.instanceId, systemSnapshotId: fx.snapshotId, imageName: 'region-x' })],
    ['ListCustomImages', c => R.listCustomImages(c, { regionId: NOWHERE })],
    ['DeleteCustomImage', c => R.deleteCustomImage(c, { regionId: NOWHERE, imageId: fx.imageId })],
    ['DeleteCustomImages', c => R.deleteCustomImages(c, { regionId: NOWHERE, imageIds: jsonIds([fx.imageId]) })],
    ['ModifyImageShareStatus', c => R.modifyImageShareStatus(c, { regionId: NOWHERE, imageId: fx.imageId, operation: 'Share' })],
  ];

  for (const [name] of ops()) {
    it(name, async () => {
      const fn = ops().find(o => o[0] === name)[1];
      await expectSdkError(fn(t.c), NOT_FOUND.region);
    });
  }

  it('nothing was changed by the refused calls', async () => {
    const inst = await S.getInstance(t.c, fx.instanceId);
    assert.equal(inst.status, 'Running');
    assert.notEqual(inst.instanceName, 'region-renamed');
    const img = await S.getCustomImage(t.c, fx.imageId);
    assert.ok(img && img.inShare === false, JSON.stringify(img));
    assert.ok(await S.getSnapshot(t.c, fx.snapshotId));
    assert.equal(await countInstances(t.c), 1);
    assert.equal(await countImages(t.c), 1);
  });
});

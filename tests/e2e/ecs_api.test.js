'use strict';
// The ECS (2014-05-26) calls that image sharing touches, through the official ECS SDK (V3):
// DescribeRegions; DescribeImages (public images, filters, paging, wire shape, unknown region);
// RunInstances / CreateInstance (fields, Amount, instance types, DryRun, image errors, required
// parameters); DescribeInstances (filters, paging, wire shape); Start/Stop/Reboot/Delete
// (transitions, wrong states, Force); DescribeDisks; ReInitDisk; ReplaceSystemDisk;
// ClientToken idempotence; NotFound for unknown ids and other accounts' resources.
// The server is clocked (lib/swas.js): transitions wait for the test clock, so the in-between
// states asserted right after a call ("Pending", "Starting", "Stopping") are there however slow
// the run, and the wait helpers move the clock on before polling for the end state.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, clients, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const N = require('./lib/vpc');
const { E, REGION, REGION2, NOWHERE, TYPE, TYPES } = X;
const { jsonIds } = S;

const NOT_FOUND_IMAGE = { code: 'InvalidImageId.NotFound', status: 404 };
const NOT_FOUND_INSTANCE = { code: 'InvalidInstanceId.NotFound', status: 404 };
const NOT_FOUND_DISK = { code: 'InvalidDiskId.NotFound', status: 404 };
const NOT_FOUND_REGION = { code: 'InvalidRegionId.NotFound', status: 404 };
const WRONG_STATE = { code: 'IncorrectInstanceStatus', status: 403 };
const BAD_TYPE = { code: 'InvalidInstanceType.ValueNotSupported', status: 400 };
const DRY_RUN = { code: 'DryRunOperation', status: 400 };
const MISMATCH = { code: 'IdempotentParameterMismatch', status: 400 };
const MISSING = { code: 'MissingParameter', status: 400 };

const UNKNOWN_INSTANCE = 'i-doesnotexist0000000';
const UNKNOWN_DISK = 'd-doesnotexist0000000';
const UNKNOWN_IMAGE = 'm-doesnotexist0000000';

// Any 4xx ClientError with a well-formed body and one of `statuses` (for rules the contract
// states without a code).
const expectClientError = (p, statuses = [400]) => S.expectSdkClientError(p, { statuses });

const totalInstances = async (c, regionId = REGION) => (await E.describeInstances(c, { regionId })).totalCount;

describe('ECS API', () => {
  let env, swas, ecs, ecsB, swasB, raw;
  let pub0, pub1;           // two public ECS images in REGION
  let sharedImg;            // A's SWAS image, shared
  let privateImg;           // A's SWAS image, never shared
  let deletedImg;           // A's SWAS image, shared, unshared, deleted

  before(async () => {
    env = await X.startEcs({ clocked: true });
    swas = S.swasClient(env.port, env.root);
    ecs = X.ecsClient(env.port, env.root);
    raw = clients.openapi(env.port, env.root.AccessKeyId, env.root.AccessKeySecret);
    const other = S.createAccount(env.dataDir, 'other');
    swasB = S.swasClient(env.port, other);
    ecsB = X.ecsClient(env.port, other);
    const src = await S.makeInstance(swas);
    sharedImg = (await X.makeSharedImage(swas, { instanceId: src })).imageId;
    privateImg = (await S.makeImage(swas, { instanceId: src })).imageId;
    deletedImg = (await X.makeSharedImage(swas, { instanceId: src })).imageId;
    await X.unshare(swas, deletedImg);
    await S.R.deleteCustomImage(swas, { imageId: deletedImg });
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  // ----------------------------------------------------------------------------------------
  describe('DescribeRegions', () => {
    it('Regions.Region[] with RegionId, LocalName, RegionEndpoint, Status "available"; includes cn-hangzhou, cn-shanghai', async () => {
      const body = await E.describeRegions(ecs);
      assert.match(body.requestId, REQUEST_ID_RE);
      const list = X.regions(body);
      const ids = list.map(r => r.regionId);
      for (const id of [REGION, REGION2]) assert.ok(ids.includes(id), `${id} missing from ${JSON.stringify(ids)}`);
      assert.equal(new Set(ids).size, ids.length, `duplicate region ids: ${JSON.stringify(ids)}`);
      for (const r of list) {
        const ctx = JSON.stringify(r);
        for (const k of ['regionId', 'localName', 'regionEndpoint']) {
          assert.equal(typeof r[k], 'string', `${k}: ${ctx}`);
          assert.ok(r[k].length > 0, `empty ${k}: ${ctx}`);
        }
        assert.equal(r.status, 'available', ctx);
      }
    });

    it('wire: {RequestId, Regions:{Region:[…]}} (wrapper object, not a bare array)', async () => {
      const body = await X.ecsRaw(raw, 'DescribeRegions');
      assert.ok(body.Regions && !Array.isArray(body.Regions) && Array.isArray(body.Regions.Region), JSON.stringify(body).slice(0, 400));
      assert.match(body.RequestId, REQUEST_ID_RE);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('DescribeImages', () => {
    it('ImageOwnerAlias=system: public images with the documented fields', async () => {
      const body = await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 100 });
      assert.equal(body.regionId, REGION, JSON.stringify(body).slice(0, 300));
      const list = X.images(body);
      assert.ok(list.length >= 2, `need at least two public images, got ${list.length}`);
      assert.equal(body.totalCount, list.length, 'TotalCount with PageSize 100');
      assert.equal(body.pageSize, 100);
      assert.equal(body.pageNumber, 1);
      for (const i of list) {
        const ctx = JSON.stringify(i);
        assert.equal(typeof i.imageId, 'string', ctx);
        assert.ok(i.imageId.length > 0, ctx);
        assert.equal(typeof i.imageName, 'string', ctx);
        assert.equal(i.imageOwnerAlias, 'system', ctx);
        assert.equal(i.isPublic, true, ctx);
        assert.equal(i.status, 'Available', ctx);
        assert.equal(typeof i.size, 'number', ctx);
        assert.ok(i.size > 0, ctx);
        assert.ok(['linux', 'windows'].includes(i.OSType), ctx);
        assert.equal(typeof i.OSName, 'string', ctx);
        assert.ok(i.OSName.length > 0, ctx);
        assert.equal(typeof i.platform, 'string', ctx);
        assert.equal(i.architecture, 'x86_64', ctx);
        assert.match(i.creationTime, X.ECS_TIME_RE, ctx);
        assert.equal(typeof i.usage, 'string', ctx);
        assert.equal(typeof i.description, 'string', ctx);
        const maps = X.items(i, 'diskDeviceMappings', 'diskDeviceMapping');
        assert.ok(maps.length >= 1, ctx);
        const sys = maps.find(m => m.type === 'system');
        assert.ok(sys, `no system mapping: ${ctx}`);
        assert.equal(sys.size, String(i.size), `mapping Size (string) = Size: ${ctx}`);
      }
      assert.ok(list.some(i => i.OSType === 'linux'), 'no linux public image');
      pub0 = await X.publicImageId(ecs, REGION, 0);
      pub1 = await X.publicImageId(ecs, REGION, 1);
      assert.notEqual(pub0, pub1);
    });

    it('wire: Images.Image[] wrapper; TotalCount/PageNumber/PageSize/Size numbers, IsPublic boolean, mapping Size string', async () => {
      const body = await X.ecsRaw(raw, 'DescribeImages', { RegionId: REGION, ImageOwnerAlias: 'system', PageSize: 2 });
      const ctx = JSON.stringify(body).slice(0, 600);
      assert.ok(body.Images && !Array.isArray(body.Images) && Array.isArray(body.Images.Image), ctx);
      for (const k of ['TotalCount', 'PageNumber', 'PageSize']) assert.equal(typeof body[k], 'number', `${k}: ${ctx}`);
      assert.equal(body.RegionId, REGION, ctx);
      const img = body.Images.Image[0];
      assert.equal(typeof img.Size, 'number', ctx);
      assert.equal(typeof img.IsPublic, 'boolean', ctx);
      const m = img.DiskDeviceMappings;
      assert.ok(m && !Array.isArray(m) && Array.isArray(m.DiskDeviceMapping), ctx);
      assert.equal(typeof m.DiskDeviceMapping[0].Size, 'string', ctx);
    });

    it('defaults: PageNumber 1, PageSize 10; without an owner filter public and shared images are both listed', async () => {
      const body = await E.describeImages(ecs, {});
      assert.equal(body.pageNumber, 1);
      assert.equal(body.pageSize, 10);
      assert.ok(X.images(body).length <= 10);
      const ids = [];
      for (let page = 1; page <= 50; page++) {
        const list = X.images(await E.describeImages(ecs, { pageSize: 100, pageNumber: page }));
        ids.push(...list.map(i => i.imageId));
        if (list.length < 100) break;
      }
      assert.ok(ids.includes(pub0), 'public image missing without an owner filter');
      assert.ok(ids.includes(sharedImg), 'shared image missing without an owner filter');
      assert.ok(!ids.includes(privateImg), 'never-shared SWAS image listed');
      assert.ok(!ids.includes(deletedImg), 'deleted SWAS image listed');
    });

    it('ImageId: a comma-separated list returns exactly those images', async () => {
      const body = await E.describeImages(ecs, { imageId: `${pub0},${pub1}` });
      assert.equal(body.totalCount, 2, JSON.stringify(body).slice(0, 400));
      assert.deepEqual(X.images(body).map(i => i.imageId).sort(), [pub0, pub1].sort());
      const mixed = await E.describeImages(ecs, { imageId: `${pub0},${sharedImg},${privateImg},${UNKNOWN_IMAGE}` });
      assert.deepEqual(X.images(mixed).map(i => i.imageId).sort(), [pub0, sharedImg].sort());
      assert.equal(mixed.totalCount, 2);
    });

    it('ImageId of an unknown / never-shared / deleted image -> empty list, TotalCount 0 (not an error)', async () => {
      for (const id of [UNKNOWN_IMAGE, privateImg, deletedImg]) {
        const body = await E.describeImages(ecs, { imageId: id });
        assert.equal(body.totalCount, 0, `${id}: ${JSON.stringify(body)}`);
        assert.deepEqual(X.images(body), [], id);
      }
    });

    it('ImageName filters by name', async () => {
      const target = (await X.publicImages(ecs))[0];
      const list = X.images(await E.describeImages(ecs, { imageName: target.imageName, pageSize: 100 }));
      assert.ok(list.some(i => i.imageId === target.imageId), `${target.imageName} not found by name`);
      for (const i of list) assert.equal(i.imageName, target.imageName, JSON.stringify(i));
      assert.equal((await E.describeImages(ecs, { imageName: 'no-such-image-name-xyz' })).totalCount, 0);
    });

    it('ImageOwnerAlias: system excludes shared; others only shared (not public); self and marketplace have neither', async () => {
      const sys = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 100 }));
      assert.ok(!sys.some(i => i.imageId === sharedImg));
      const others = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'others', pageSize: 100 }));
      assert.deepEqual(others.map(i => i.imageId), [sharedImg]);
      assert.equal(others[0].imageOwnerAlias, 'others');
      assert.equal(others[0].isPublic, false);
      for (const alias of ['self', 'marketplace']) {
        const list = X.images(await E.describeImages(ecs, { imageOwnerAlias: alias, pageSize: 100 }));
        assert.ok(!list.some(i => i.imageId === sharedImg || i.imageId === pub0), `${alias}: ${JSON.stringify(list.map(i => i.imageId))}`);
        for (const i of list) assert.equal(i.imageOwnerAlias, alias, JSON.stringify(i));
      }
    });

    it('Status: default Available; a comma list including Available lists them; Creating alone lists none of them', async () => {
      const a = await E.describeImages(ecs, { imageId: `${pub0},${sharedImg}`, status: 'Available' });
      assert.equal(a.totalCount, 2);
      const b = await E.describeImages(ecs, { imageId: `${pub0},${sharedImg}`, status: 'Creating,Available' });
      assert.equal(b.totalCount, 2);
      const c = await E.describeImages(ecs, { imageId: `${pub0},${sharedImg}`, status: 'Creating' });
      assert.equal(c.totalCount, 0, JSON.stringify(c));
    });

    it('paging: PageSize 1 walks the public images one by one; TotalCount stays; past the end -> empty', async () => {
      const all = X.images(await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 100 }));
      const total = all.length;
      const seen = [];
      for (let p = 1; p <= Math.min(total, 3); p++) {
        const body = await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 1, pageNumber: p });
        assert.equal(body.totalCount, total, `page ${p}`);
        assert.equal(body.pageNumber, p);
        assert.equal(body.pageSize, 1);
        const list = X.images(body);
        assert.equal(list.length, 1, `page ${p}: ${JSON.stringify(body).slice(0, 300)}`);
        assert.equal(list[0].imageId, all[p - 1].imageId, `page ${p} should be item ${p} of the full list`);
        seen.push(list[0].imageId);
      }
      assert.equal(new Set(seen).size, seen.length, `pages repeat: ${seen}`);
      const past = await E.describeImages(ecs, { imageOwnerAlias: 'system', pageSize: 10, pageNumber: Math.ceil(total / 10) + 1 });
      assert.deepEqual(X.images(past), []);
      assert.equal(past.totalCount, total);
    });

    it('PageSize outside 1–100 -> 400; PageSize 100 is accepted', async () => {
      await expectClientError(E.describeImages(ecs, { pageSize: 101 }));
      await expectClientError(E.describeImages(ecs, { pageSize: 0 }));
      assert.equal((await E.describeImages(ecs, { pageSize: 100 })).pageSize, 100);
    });

    it('unknown region -> 404 InvalidRegionId.NotFound', async () => {
      await expectSdkError(E.describeImages(ecs, { regionId: NOWHERE }), NOT_FOUND_REGION);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('RunInstances / CreateInstance', () => {
    let full;        // instance made with every parameter
    let zone;
    let net;         // a VPC and an Available vSwitch of A

    let sg;          // a security group in that VPC

    before(async () => {
      net = await N.makeNetwork(N.vpcClient(env.port, env.root));
      sg = (await ecs.createSecurityGroup(new X.Ecs.CreateSecurityGroupRequest({
        regionId: X.REGION, vpcId: net.vpcId, securityGroupName: 'e2e-sg',
      }))).body.securityGroupId;
    });

    it('RunInstances (public image, every parameter) -> InstanceIdSets.InstanceIdSet ["i-…"]; Pending then Running', async () => {
      const body = await E.runInstances(ecs, {
        imageId: pub0, instanceType: TYPE, amount: 1, instanceName: 'full-params',
        securityGroupId: sg, vSwitchId: net.vSwitchId, internetMaxBandwidthOut: 5,
        systemDisk: { category: 'cloud_essd', size: '50' }, password: 'Passw0rd!2024', instanceChargeType: 'PostPaid',
      });
      assert.match(body.requestId, REQUEST_ID_RE);
      const ids = X.runIds(body);
      assert.equal(ids.length, 1, JSON.stringify(body));
      assert.match(ids[0], X.INSTANCE_ID_RE);
      full = ids[0];
      const first = await X.getInstance(ecs, full);
      assert.ok(first, 'not listed right after RunInstances');
      assert.equal(first.status, 'Pending', JSON.stringify(first));
      await X.waitStatus(ecs, full, 'Running');
    });

    it('DescribeInstances shows every documented field', async () => {
      assert.ok(full, 'no instance from the previous step');
      const i = await X.getInstance(ecs, full);
      const ctx = JSON.stringify(i);
      assert.equal(i.instanceId, full, ctx);
      assert.equal(i.instanceName, 'full-params', ctx);
      assert.equal(i.regionId, REGION, ctx);
      assert.equal(typeof i.zoneId, 'string', ctx);
      assert.ok(i.zoneId.startsWith(REGION + '-'), `ZoneId in the region: ${ctx}`);
      zone = i.zoneId;
      assert.equal(i.status, 'Running', ctx);
      assert.equal(i.imageId, pub0, ctx);
      assert.equal(i.instanceType, TYPE, ctx);
      assert.equal(i.cpu, TYPES[TYPE].cpu, ctx);
      assert.equal(i.memory, TYPES[TYPE].memory, ctx);
      assert.equal(i.OSType, 'linux', ctx);
      assert.equal(typeof i.OSName, 'string', ctx);
      assert.ok(i.OSName.length > 0, ctx);
      assert.match(i.creationTime, X.ECS_TIME_RE, ctx);
      assert.equal(i.instanceChargeType, 'PostPaid', ctx);
      const pubIps = X.items(i, 'publicIpAddress', 'ipAddress');
      assert.equal(pubIps.length, 1, `InternetMaxBandwidthOut 5 should give one public IP: ${ctx}`);
      for (const ip of pubIps) assert.match(ip, X.IPV4_RE, ctx);
      for (const ip of X.items(i, 'innerIpAddress', 'ipAddress')) assert.match(ip, X.IPV4_RE, ctx);
      assert.ok(i.vpcAttributes && typeof i.vpcAttributes === 'object', ctx);
      assert.equal(i.vpcAttributes.vpcId, net.vpcId, ctx);
      assert.equal(i.vpcAttributes.vSwitchId, net.vSwitchId, ctx);
      const priv = X.items(i.vpcAttributes, 'privateIpAddress', 'ipAddress');
      assert.ok(priv.length >= 1, `no private IP: ${ctx}`);
      for (const ip of priv) assert.match(ip, X.IPV4_RE, ctx);
      assert.deepEqual(X.items(i, 'securityGroupIds', 'securityGroupId'), [sg], ctx);
    });

    it('its system disk carries SystemDisk.Category and SystemDisk.Size', async () => {
      assert.ok(full);
      const d = await X.systemDisk(ecs, full);
      assert.equal(d.category, 'cloud_essd', JSON.stringify(d));
      assert.equal(d.size, 50, JSON.stringify(d));
      assert.equal(d.imageId, pub0, JSON.stringify(d));
    });

    it('wire: {RequestId, InstanceIdSets:{InstanceIdSet:[…]}}; DescribeInstances nests Instances.Instance[] and inner IP lists', async () => {
      const body = await X.ecsRaw(raw, 'RunInstances', { RegionId: REGION, ImageId: pub0, InstanceType: TYPE, Amount: 1 });
      const ctx = JSON.stringify(body);
      assert.ok(body.InstanceIdSets && Array.isArray(body.InstanceIdSets.InstanceIdSet), ctx);
      assert.equal(body.InstanceIdSets.InstanceIdSet.length, 1, ctx);
      const d = await X.ecsRaw(raw, 'DescribeInstances', { RegionId: REGION, InstanceIds: jsonIds([full]) });
      const dctx = JSON.stringify(d).slice(0, 1200);
      assert.ok(d.Instances && Array.isArray(d.Instances.Instance), dctx);
      for (const k of ['TotalCount', 'PageNumber', 'PageSize']) assert.equal(typeof d[k], 'number', `${k}: ${dctx}`);
      const i = d.Instances.Instance[0];
      assert.equal(typeof i.Cpu, 'number', dctx);
      assert.equal(typeof i.Memory, 'number', dctx);
      for (const k of ['PublicIpAddress', 'InnerIpAddress']) assert.ok(i[k] && Array.isArray(i[k].IpAddress), `${k}: ${dctx}`);
      assert.ok(i.VpcAttributes && i.VpcAttributes.PrivateIpAddress && Array.isArray(i.VpcAttributes.PrivateIpAddress.IpAddress), dctx);
      assert.ok(i.SecurityGroupIds && Array.isArray(i.SecurityGroupIds.SecurityGroupId), dctx);
    });

    it('ZoneId is honoured', async () => {
      assert.ok(zone);
      const id = await X.runOne(ecs, { imageId: pub0, zoneId: zone, wait: false });
      assert.equal((await X.getInstance(ecs, id)).zoneId, zone);
    });

    it('Amount 3 -> three distinct ids, all Running, one system disk each', async () => {
      const ids = await X.run(ecs, { imageId: pub0, amount: 3 });
      assert.equal(new Set(ids).size, 3, JSON.stringify(ids));
      const disks = [];
      for (const id of ids) disks.push((await X.systemDisk(ecs, id)).diskId);
      assert.equal(new Set(disks).size, 3, JSON.stringify(disks));
    });

    it('Amount defaults to 1', async () => {
      const ids = X.runIds(await E.runInstances(ecs, { imageId: pub0, instanceName: 'default-amount' }));
      assert.equal(ids.length, 1, JSON.stringify(ids));
      assert.match(ids[0], X.INSTANCE_ID_RE);
    });

    it('Amount outside 1–100 -> 400, nothing created', async () => {
      const n = await totalInstances(ecs);
      await expectClientError(E.runInstances(ecs, { imageId: pub0, amount: 101 }));
      await expectClientError(E.runInstances(ecs, { imageId: pub0, amount: 0 }));
      assert.equal(await totalInstances(ecs), n);
    });

    it('instance types: ecs.c7.large and ecs.t6-c1m1.large with their Cpu / Memory (MiB)', async () => {
      for (const type of ['ecs.c7.large', 'ecs.t6-c1m1.large']) {
        const id = await X.runOne(ecs, { imageId: pub0, instanceType: type, wait: false });
        const i = await X.getInstance(ecs, id);
        assert.equal(i.instanceType, type, JSON.stringify(i));
        assert.equal(i.cpu, TYPES[type].cpu, JSON.stringify(i));
        assert.equal(i.memory, TYPES[type].memory, JSON.stringify(i));
      }
    });

    it('unknown InstanceType -> 400 InvalidInstanceType.ValueNotSupported (RunInstances, CreateInstance)', async () => {
      const n = await totalInstances(ecs);
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, instanceType: 'ecs.nope.huge' }), BAD_TYPE);
      await expectSdkError(E.createInstance(ecs, { imageId: pub0, instanceType: 'ecs.nope.huge' }), BAD_TYPE);
      assert.equal(await totalInstances(ecs), n);
    });

    it('DryRun=true with valid parameters -> 400 DryRunOperation; nothing created', async () => {
      const n = await totalInstances(ecs);
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, amount: 2, dryRun: true }), DRY_RUN);
      await expectSdkError(E.runInstances(ecs, { imageId: sharedImg, dryRun: true }), DRY_RUN);
      await expectSdkError(E.createInstance(ecs, { imageId: pub0, dryRun: true }), DRY_RUN);
      assert.equal(await totalInstances(ecs), n, 'DryRun created an instance');
    });

    it('DryRun=true with invalid parameters -> the parameter error, not DryRunOperation', async () => {
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, instanceType: 'ecs.nope.huge', dryRun: true }), BAD_TYPE);
      await expectSdkError(E.runInstances(ecs, { imageId: privateImg, dryRun: true }), NOT_FOUND_IMAGE);
    });

    it('images that are not usable -> 404 InvalidImageId.NotFound (unknown, never shared, deleted, shared but other region)', async () => {
      const n = await totalInstances(ecs);
      for (const imageId of [UNKNOWN_IMAGE, privateImg, deletedImg]) {
        await expectSdkError(E.runInstances(ecs, { imageId }), NOT_FOUND_IMAGE);
        await expectSdkError(E.createInstance(ecs, { imageId }), NOT_FOUND_IMAGE);
      }
      await expectSdkError(E.runInstances(ecs, { regionId: REGION2, imageId: sharedImg }), NOT_FOUND_IMAGE);
      await expectSdkError(E.runInstances(ecsB, { imageId: sharedImg }), NOT_FOUND_IMAGE);
      assert.equal(await totalInstances(ecs), n);
    });

    it('unknown region -> 404 InvalidRegionId.NotFound', async () => {
      await expectSdkError(E.runInstances(ecs, { regionId: NOWHERE, imageId: pub0 }), NOT_FOUND_REGION);
      await expectSdkError(E.createInstance(ecs, { regionId: NOWHERE, imageId: pub0 }), NOT_FOUND_REGION);
    });

    // No RegionId takes the default region (terraform.test.js), so it is not missing here.
    it('missing ImageId / InstanceType -> 400 MissingParameter', async () => {
      await expectSdkError(E.runInstances(ecs, { imageId: undefined }), MISSING);
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, instanceType: undefined }), MISSING);
      await expectSdkError(E.createInstance(ecs, { imageId: undefined }), MISSING);
    });

    it('CreateInstance -> {InstanceId}; the instance ends Stopped (not Running); StartInstance -> Starting -> Running', async () => {
      const body = await E.createInstance(ecs, { imageId: sharedImg, instanceName: 'created', systemDisk: { category: 'cloud_essd', size: 60 } });
      assert.match(body.requestId, REQUEST_ID_RE);
      assert.match(body.instanceId, X.INSTANCE_ID_RE, JSON.stringify(body));
      const id = body.instanceId;
      const i = await X.waitStatus(ecs, id, 'Stopped');
      assert.equal(i.imageId, sharedImg, JSON.stringify(i));
      assert.equal(i.instanceName, 'created', JSON.stringify(i));
      // It stays Stopped, even once every transition's time has passed.
      await S.settle(ecs);
      assert.equal((await X.getInstance(ecs, id)).status, 'Stopped');
      const d = await X.systemDisk(ecs, id);
      assert.equal(d.size, 60, JSON.stringify(d));
      assert.equal(d.imageId, sharedImg, JSON.stringify(d));
      S.assertRequestIdOnly(await E.startInstance(ecs, { instanceId: id }), 'StartInstance');
      assert.equal((await X.getInstance(ecs, id)).status, 'Starting');
      await X.waitStatus(ecs, id, 'Running');
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('DescribeInstances', () => {
    let a1, a2, s1, r2;
    before(async () => {
      [a1, a2] = await X.run(ecs, { imageId: pub0, amount: 2, instanceName: 'desc-pair' });
      s1 = await X.runOne(ecs, { imageId: pub0, instanceName: 'desc-stopped' });
      await X.stopAndWait(ecs, s1);
      r2 = await X.runOne(ecs, { regionId: REGION2, imageId: await X.publicImageId(ecs, REGION2), instanceName: 'desc-r2' });
    });

    it('InstanceIds (JSON array) returns exactly those; unknown ids are left out', async () => {
      const body = await E.describeInstances(ecs, { instanceIds: jsonIds([a1, s1, UNKNOWN_INSTANCE]) });
      assert.deepEqual(X.instances(body).map(i => i.instanceId).sort(), [a1, s1].sort());
      assert.equal(body.totalCount, 2);
    });

    it('Status filter', async () => {
      const stopped = X.instances(await E.describeInstances(ecs, { status: 'Stopped', pageSize: 100 }));
      assert.ok(stopped.some(i => i.instanceId === s1));
      for (const i of stopped) assert.equal(i.status, 'Stopped', JSON.stringify(i));
      const running = X.instances(await E.describeInstances(ecs, { status: 'Running', pageSize: 100 }));
      assert.ok(running.some(i => i.instanceId === a1) && running.some(i => i.instanceId === a2));
      assert.ok(!running.some(i => i.instanceId === s1));
      for (const i of running) assert.equal(i.status, 'Running', JSON.stringify(i));
    });

    it('InstanceName filter', async () => {
      const body = await E.describeInstances(ecs, { instanceName: 'desc-pair', pageSize: 100 });
      assert.deepEqual(X.instances(body).map(i => i.instanceId).sort(), [a1, a2].sort());
      assert.equal(body.totalCount, 2);
    });

    it('paging: defaults 1 / 10; PageSize 1 pages are distinct with a constant TotalCount', async () => {
      const d = await E.describeInstances(ecs, {});
      assert.equal(d.pageNumber, 1);
      assert.equal(d.pageSize, 10);
      assert.ok(X.instances(d).length <= 10);
      const total = d.totalCount;
      assert.ok(total >= 3, `TotalCount ${total}`);
      const p1 = await E.describeInstances(ecs, { pageSize: 1, pageNumber: 1 });
      const p2 = await E.describeInstances(ecs, { pageSize: 1, pageNumber: 2 });
      assert.equal(p1.totalCount, total);
      assert.equal(p2.totalCount, total);
      assert.equal(p2.pageNumber, 2);
      assert.equal(p2.pageSize, 1);
      assert.equal(X.instances(p1).length, 1);
      assert.equal(X.instances(p2).length, 1);
      assert.notEqual(X.instances(p1)[0].instanceId, X.instances(p2)[0].instanceId);
    });

    it('regions are separate', async () => {
      const here = X.instances(await E.describeInstances(ecs, { instanceIds: jsonIds([a1, r2]) })).map(i => i.instanceId);
      assert.deepEqual(here, [a1]);
      const there = await E.describeInstances(ecs, { regionId: REGION2, instanceIds: jsonIds([a1, r2]) });
      assert.deepEqual(X.instances(there).map(i => i.instanceId), [r2]);
      assert.equal(X.instances(there)[0].regionId, REGION2);
    });

    it('accounts are separate: B sees none of A\'s instances', async () => {
      const b = await E.describeInstances(ecsB, { instanceIds: jsonIds([a1, a2, s1]) });
      assert.deepEqual(X.instances(b), []);
      assert.equal(b.totalCount, 0);
      const bAll = X.instances(await E.describeInstances(ecsB, { pageSize: 100 }));
      assert.ok(!bAll.some(i => [a1, a2, s1].includes(i.instanceId)));
    });

    it('unknown region -> 404 InvalidRegionId.NotFound', async () => {
      await expectSdkError(E.describeInstances(ecs, { regionId: NOWHERE }), NOT_FOUND_REGION);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('Start / Stop / Reboot / Delete', () => {
    let id;
    before(async () => {
      id = (await X.run(ecs, { imageId: pub0, wait: false }))[0];
    });

    it('StopInstance while Pending -> 403 IncorrectInstanceStatus', async () => {
      assert.equal((await X.getInstance(ecs, id)).status, 'Pending');
      await expectSdkError(E.stopInstance(ecs, { instanceId: id }), WRONG_STATE);
      await X.waitStatus(ecs, id, 'Running');
    });

    it('Running: StartInstance -> 403 IncorrectInstanceStatus', async () => {
      await expectSdkError(E.startInstance(ecs, { instanceId: id }), WRONG_STATE);
    });

    it('RebootInstance: Running -> Starting -> Running', async () => {
      S.assertRequestIdOnly(await E.rebootInstance(ecs, { instanceId: id }), 'RebootInstance');
      assert.equal((await X.getInstance(ecs, id)).status, 'Starting');
      await X.waitStatus(ecs, id, 'Running');
    });

    it('StopInstance: Running -> Stopping -> Stopped; Stop while Stopping -> 403', async () => {
      S.assertRequestIdOnly(await E.stopInstance(ecs, { instanceId: id }), 'StopInstance');
      assert.equal((await X.getInstance(ecs, id)).status, 'Stopping');
      await expectSdkError(E.stopInstance(ecs, { instanceId: id }), WRONG_STATE);
      await X.waitStatus(ecs, id, 'Stopped');
    });

    it('Stopped: StopInstance and RebootInstance -> 403 IncorrectInstanceStatus', async () => {
      await expectSdkError(E.stopInstance(ecs, { instanceId: id }), WRONG_STATE);
      await expectSdkError(E.rebootInstance(ecs, { instanceId: id }), WRONG_STATE);
    });

    it('StartInstance: Stopped -> Starting -> Running; Start while Starting -> 403', async () => {
      S.assertRequestIdOnly(await E.startInstance(ecs, { instanceId: id }), 'StartInstance');
      assert.equal((await X.getInstance(ecs, id)).status, 'Starting');
      await expectSdkError(E.startInstance(ecs, { instanceId: id }), WRONG_STATE);
      await X.waitStatus(ecs, id, 'Running');
    });

    it('StopInstance ForceStop=true -> Stopped', async () => {
      S.assertRequestIdOnly(await E.stopInstance(ecs, { instanceId: id, forceStop: true }), 'StopInstance ForceStop');
      // At once: the clocked server would show a plain stop as Stopping until the clock moves.
      assert.equal((await X.getInstance(ecs, id)).status, 'Stopped', 'ForceStop=true must skip Stopping');
      await X.waitStatus(ecs, id, 'Stopped');
    });

    it('DeleteInstance of a Running instance without Force -> 403; with Force=true -> gone with its disk', async () => {
      const r = await X.runOne(ecs, { imageId: pub0 });
      const disk = (await X.systemDisk(ecs, r)).diskId;
      await expectSdkError(E.deleteInstance(ecs, { instanceId: r }), WRONG_STATE);
      await expectSdkError(E.deleteInstance(ecs, { instanceId: r, force: false }), WRONG_STATE);
      assert.equal((await X.getInstance(ecs, r)).status, 'Running', 'refused delete changed the instance');
      S.assertRequestIdOnly(await E.deleteInstance(ecs, { instanceId: r, force: true }), 'DeleteInstance Force');
      await X.waitGone(ecs, r);
      assert.equal(await X.getDisk(ecs, disk), undefined, 'system disk survived its instance');
      assert.deepEqual(X.disks(await E.describeDisks(ecs, { instanceId: r })), []);
      await expectSdkError(E.deleteInstance(ecs, { instanceId: r, force: true }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.startInstance(ecs, { instanceId: r }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.reInitDisk(ecs, { diskId: disk }), NOT_FOUND_DISK);
    });

    it('DeleteInstance of a Stopped instance without Force -> gone with its disk', async () => {
      const disk = (await X.systemDisk(ecs, id)).diskId;
      S.assertRequestIdOnly(await E.deleteInstance(ecs, { instanceId: id }), 'DeleteInstance');
      await X.waitGone(ecs, id);
      assert.equal(await X.getDisk(ecs, disk), undefined, 'system disk survived its instance');
      await expectSdkError(E.deleteInstance(ecs, { instanceId: id }), NOT_FOUND_INSTANCE);
    });

    it('DeleteInstance of a Pending / Stopping instance without Force -> 403', async () => {
      const p = (await X.run(ecs, { imageId: pub0, wait: false }))[0];
      await expectSdkError(E.deleteInstance(ecs, { instanceId: p }), WRONG_STATE);
      await X.waitStatus(ecs, p, 'Running');
      await E.stopInstance(ecs, { instanceId: p });
      await expectSdkError(E.deleteInstance(ecs, { instanceId: p }), WRONG_STATE);
      await X.waitStatus(ecs, p, 'Stopped');
    });

    it('unknown InstanceId -> 404 InvalidInstanceId.NotFound on every instance call', async () => {
      await expectSdkError(E.startInstance(ecs, { instanceId: UNKNOWN_INSTANCE }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.stopInstance(ecs, { instanceId: UNKNOWN_INSTANCE }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.rebootInstance(ecs, { instanceId: UNKNOWN_INSTANCE }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.deleteInstance(ecs, { instanceId: UNKNOWN_INSTANCE, force: true }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.replaceSystemDisk(ecs, { instanceId: UNKNOWN_INSTANCE, imageId: pub0 }), NOT_FOUND_INSTANCE);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe("another account's resources", () => {
    let id, disk;
    before(async () => {
      id = await X.runOne(ecs, { imageId: pub0, instanceName: 'owned-by-a' });
      disk = (await X.systemDisk(ecs, id)).diskId;
    });

    it('B: Start/Stop/Reboot/Delete/ReplaceSystemDisk on A\'s instance -> 404 InvalidInstanceId.NotFound; A\'s unchanged', async () => {
      await expectSdkError(E.startInstance(ecsB, { instanceId: id }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.stopInstance(ecsB, { instanceId: id }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.rebootInstance(ecsB, { instanceId: id }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.deleteInstance(ecsB, { instanceId: id, force: true }), NOT_FOUND_INSTANCE);
      await expectSdkError(E.replaceSystemDisk(ecsB, { instanceId: id, imageId: pub0 }), NOT_FOUND_INSTANCE);
      assert.equal((await X.getInstance(ecs, id)).status, 'Running');
    });

    it('B: ReInitDisk on A\'s disk -> 404 InvalidDiskId.NotFound; DescribeDisks does not show it', async () => {
      await expectSdkError(E.reInitDisk(ecsB, { diskId: disk }), NOT_FOUND_DISK);
      assert.deepEqual(X.disks(await E.describeDisks(ecsB, { diskIds: jsonIds([disk]) })), []);
      assert.deepEqual(X.disks(await E.describeDisks(ecsB, { instanceId: id })), []);
      assert.ok(await X.getDisk(ecs, disk));
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('DescribeDisks', () => {
    let id, disk;
    before(async () => {
      id = await X.runOne(ecs, { imageId: pub0, systemDisk: { category: 'cloud_essd', size: '45' } });
      disk = await X.systemDisk(ecs, id);
    });

    it('one system disk per instance with the documented fields', async () => {
      const inst = await X.getInstance(ecs, id);
      const d = disk;
      const ctx = JSON.stringify(d);
      assert.match(d.diskId, X.DISK_ID_RE, ctx);
      assert.equal(typeof d.diskName, 'string', ctx);
      assert.equal(d.regionId, REGION, ctx);
      assert.equal(d.zoneId, inst.zoneId, ctx);
      assert.equal(d.type, 'system', ctx);
      assert.equal(d.category, 'cloud_essd', ctx);
      assert.equal(d.size, 45, ctx);
      assert.equal(d.status, 'In_use', ctx);
      assert.equal(d.instanceId, id, ctx);
      assert.equal(d.imageId, pub0, ctx);
      assert.equal(typeof d.device, 'string', ctx);
      assert.ok(d.device.length > 0, ctx);
      assert.match(d.creationTime, X.ECS_TIME_RE, ctx);
      assert.equal(d.deleteWithInstance, true, ctx);
      assert.equal(typeof d.portable, 'boolean', ctx);
      assert.equal(typeof d.encrypted, 'boolean', ctx);
    });

    it('wire: Disks.Disk[] wrapper; Size number; booleans', async () => {
      const body = await X.ecsRaw(raw, 'DescribeDisks', { RegionId: REGION, InstanceId: id });
      const ctx = JSON.stringify(body).slice(0, 800);
      assert.ok(body.Disks && !Array.isArray(body.Disks) && Array.isArray(body.Disks.Disk), ctx);
      for (const k of ['TotalCount', 'PageNumber', 'PageSize']) assert.equal(typeof body[k], 'number', `${k}: ${ctx}`);
      const d = body.Disks.Disk[0];
      assert.equal(typeof d.Size, 'number', ctx);
      for (const k of ['DeleteWithInstance', 'Portable', 'Encrypted']) assert.equal(typeof d[k], 'boolean', `${k}: ${ctx}`);
    });

    it('filters: InstanceId, DiskIds (JSON array), DiskType system / all / data; defaults 1 / 10', async () => {
      const byInst = await E.describeDisks(ecs, { instanceId: id });
      assert.deepEqual(X.disks(byInst).map(d => d.diskId), [disk.diskId]);
      assert.equal(byInst.totalCount, 1);
      assert.equal(byInst.pageNumber, 1);
      assert.equal(byInst.pageSize, 10);
      const byIds = await E.describeDisks(ecs, { diskIds: jsonIds([disk.diskId, UNKNOWN_DISK]) });
      assert.deepEqual(X.disks(byIds).map(d => d.diskId), [disk.diskId]);
      assert.equal((await E.describeDisks(ecs, { instanceId: id, diskType: 'system' })).totalCount, 1);
      assert.equal((await E.describeDisks(ecs, { instanceId: id, diskType: 'all' })).totalCount, 1);
      const data = await E.describeDisks(ecs, { instanceId: id, diskType: 'data' });
      assert.equal(data.totalCount, 0);
      assert.deepEqual(X.disks(data), []);
      // Region scoping.
      assert.deepEqual(X.disks(await E.describeDisks(ecs, { regionId: REGION2, diskIds: jsonIds([disk.diskId]) })), []);
    });

    it('unknown region -> 404 InvalidRegionId.NotFound', async () => {
      await expectSdkError(E.describeDisks(ecs, { regionId: NOWHERE }), NOT_FOUND_REGION);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('ReInitDisk', () => {
    let id, disk;
    before(async () => {
      id = await X.runOne(ecs, { imageId: pub0 });
      disk = (await X.systemDisk(ecs, id)).diskId;
    });

    it('instance Running -> 403 IncorrectInstanceStatus', async () => {
      await expectSdkError(E.reInitDisk(ecs, { diskId: disk }), WRONG_STATE);
    });

    it('unknown DiskId -> 404 InvalidDiskId.NotFound', async () => {
      await expectSdkError(E.reInitDisk(ecs, { diskId: UNKNOWN_DISK }), NOT_FOUND_DISK);
    });

    it('instance Stopped -> ok; stays Stopped; same disk, same image', async () => {
      await X.stopAndWait(ecs, id);
      S.assertRequestIdOnly(await E.reInitDisk(ecs, { diskId: disk, password: 'Passw0rd!2024' }), 'ReInitDisk');
      const i = await X.waitStatus(ecs, id, 'Stopped');
      assert.equal(i.imageId, pub0);
      const d = await X.systemDisk(ecs, id);
      assert.equal(d.diskId, disk);
      assert.equal(d.status, 'In_use');
    });

    it('AutoStartInstance=true -> the instance goes back to Running', async () => {
      S.assertRequestIdOnly(await E.reInitDisk(ecs, { diskId: disk, autoStartInstance: true }), 'ReInitDisk AutoStart');
      await X.waitStatus(ecs, id, 'Running');
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('ReplaceSystemDisk', () => {
    let id, oldDisk;
    before(async () => {
      id = await X.runOne(ecs, { imageId: pub0 });
      oldDisk = (await X.systemDisk(ecs, id)).diskId;
    });

    it('instance Running -> 403 IncorrectInstanceStatus', async () => {
      await expectSdkError(E.replaceSystemDisk(ecs, { instanceId: id, imageId: pub1 }), WRONG_STATE);
    });

    it('public ECS image on a Stopped instance -> {DiskId} new d-…; ImageId changes; the old disk is gone', async () => {
      await X.stopAndWait(ecs, id);
      const body = await E.replaceSystemDisk(ecs, { instanceId: id, imageId: pub1, password: 'Passw0rd!2024', clientToken: S.newToken() });
      assert.match(body.requestId, REQUEST_ID_RE);
      assert.match(body.diskId, X.DISK_ID_RE, JSON.stringify(body));
      assert.notEqual(body.diskId, oldDisk);
      const i = await X.getInstance(ecs, id);
      assert.equal(i.imageId, pub1, JSON.stringify(i));
      const d = await X.systemDisk(ecs, id);
      assert.equal(d.diskId, body.diskId);
      assert.equal(d.imageId, pub1);
      assert.equal(await X.getDisk(ecs, oldDisk), undefined, 'the replaced disk is still listed');
      await expectSdkError(E.reInitDisk(ecs, { diskId: oldDisk }), NOT_FOUND_DISK);
      oldDisk = body.diskId;
    });

    it('shared SWAS image -> works; the instance runs that m-id', async () => {
      await X.waitStatus(ecs, id, 'Stopped');
      const body = await E.replaceSystemDisk(ecs, { instanceId: id, imageId: sharedImg });
      assert.match(body.diskId, X.DISK_ID_RE);
      assert.notEqual(body.diskId, oldDisk);
      assert.equal((await X.getInstance(ecs, id)).imageId, sharedImg);
      assert.equal((await X.systemDisk(ecs, id)).imageId, sharedImg);
    });

    it('never-shared / deleted / unknown image -> 404 InvalidImageId.NotFound; nothing changes', async () => {
      await X.waitStatus(ecs, id, 'Stopped');
      const before = (await X.systemDisk(ecs, id)).diskId;
      for (const imageId of [privateImg, deletedImg, UNKNOWN_IMAGE]) {
        await expectSdkError(E.replaceSystemDisk(ecs, { instanceId: id, imageId }), NOT_FOUND_IMAGE);
      }
      assert.equal((await X.systemDisk(ecs, id)).diskId, before);
      assert.equal((await X.getInstance(ecs, id)).imageId, sharedImg);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('a SWAS image shared in another region', () => {
    let img2;
    before(async () => {
      img2 = (await X.makeSharedImage(swas, { regionId: REGION2 })).imageId;
    });

    it(`listed (others) in ${REGION2} only; usable there, 404 in ${REGION}`, async () => {
      const there = await E.describeImages(ecs, { regionId: REGION2, imageId: img2 });
      assert.equal(there.totalCount, 1, JSON.stringify(there));
      assert.equal(X.images(there)[0].imageOwnerAlias, 'others');
      assert.equal(there.regionId, REGION2);
      assert.equal((await E.describeImages(ecs, { imageId: img2 })).totalCount, 0, `listed in ${REGION}`);
      await expectSdkError(E.runInstances(ecs, { imageId: img2 }), NOT_FOUND_IMAGE);
      const id = await X.runOne(ecs, { regionId: REGION2, imageId: img2 });
      const i = await X.getInstance(ecs, id, REGION2);
      assert.equal(i.imageId, img2);
      assert.equal(i.regionId, REGION2);
      const d = await X.systemDisk(ecs, id, REGION2);
      assert.equal(d.regionId, REGION2);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('ClientToken idempotence', () => {
    it('RunInstances: same token + same parameters -> same InstanceIds, no new instance', async () => {
      const token = S.newToken();
      const params = { imageId: pub0, amount: 2, instanceName: 'idem-run', clientToken: token };
      const first = X.runIds(await E.runInstances(ecs, params));
      assert.equal(first.length, 2);
      const n = await totalInstances(ecs);
      const again = X.runIds(await E.runInstances(ecs, params));
      assert.deepEqual(again, first);
      assert.equal(await totalInstances(ecs), n, 'the replay created instances');
    });

    it('RunInstances: same token + different parameters -> 400 IdempotentParameterMismatch', async () => {
      const token = S.newToken();
      await E.runInstances(ecs, { imageId: pub0, instanceName: 'idem-a', clientToken: token });
      const n = await totalInstances(ecs);
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, instanceName: 'idem-b', clientToken: token }), MISMATCH);
      await expectSdkError(E.runInstances(ecs, { imageId: pub0, instanceName: 'idem-a', amount: 2, clientToken: token }), MISMATCH);
      assert.equal(await totalInstances(ecs), n);
    });

    it('CreateInstance: same token + same parameters -> same InstanceId; different -> IdempotentParameterMismatch', async () => {
      const token = S.newToken();
      const params = { imageId: pub0, instanceName: 'idem-create', clientToken: token };
      const first = await E.createInstance(ecs, params);
      const n = await totalInstances(ecs);
      const again = await E.createInstance(ecs, params);
      assert.equal(again.instanceId, first.instanceId);
      assert.equal(await totalInstances(ecs), n);
      await expectSdkError(E.createInstance(ecs, { ...params, instanceType: 'ecs.c7.large' }), MISMATCH);
      assert.equal(await totalInstances(ecs), n);
    });
  });
});

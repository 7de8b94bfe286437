'use strict';
// The ECS instance type catalog through the ECS SDK: DescribeInstanceTypes (filters, NextToken
// paging), DescribeInstanceTypeFamilies, DescribeAvailableResource (the calls Terraform's
// alicloud_instance_types / alicloud_zones data sources make), DescribeZones' types per zone, and
// RunInstances' checks against the catalog: an unknown type, a type not offered in the zone and
// a disk category the type does not take are refused with ECS's codes.
// Data: api/catalog/ecs-instance-types.json (sources in api/catalog/SOURCES.md).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const Ecs = require('@alicloud/ecs20140526');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const X = require('./lib/ecs');
const L = require('./lib/ram');
const { REGION, NOWHERE } = require('./lib/swas');

// Sold only in 12 regions outside the mainland (Alibaba's shared instance family page).
const ABROAD_ONLY = 'ecs.e-c2m1.large';
const ABROAD = 'ap-southeast-1';

const typesReq = (c, f = {}) => c.describeInstanceTypes(new Ecs.DescribeInstanceTypesRequest(f)).then(r => r.body);
const familiesReq = (c, f = {}) => c.describeInstanceTypeFamilies(new Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: REGION, ...f })).then(r => r.body);
const availableReq = (c, f = {}) => c.describeAvailableResource(new Ecs.DescribeAvailableResourceRequest({ regionId: REGION, ...f })).then(r => r.body);
const zonesReq = (c, f = {}) => c.describeZones(new Ecs.DescribeZonesRequest({ regionId: REGION, ...f })).then(r => r.body);

const typesOf = body => X.items(body, 'instanceTypes', 'instanceType');
const familiesOf = body => X.items(body, 'instanceTypeFamilies', 'instanceTypeFamily');
const availableZones = body => X.items(body, 'availableZones', 'availableZone');
// The SupportedResource values of each zone: { zoneId: [values] }, each zone checked for shape.
function supportedByZone(body, type) {
  const out = {};
  for (const z of availableZones(body)) {
    assert.equal(z.status, 'Available', JSON.stringify(z));
    assert.equal(z.statusCategory, 'WithStock', JSON.stringify(z));
    assert.equal(z.regionId, REGION, JSON.stringify(z));
    const resources = X.items(z, 'availableResources', 'availableResource');
    assert.equal(resources.length, 1, JSON.stringify(z));
    assert.equal(resources[0].type, type, JSON.stringify(z));
    const supported = X.items(resources[0], 'supportedResources', 'supportedResource');
    for (const s of supported) {
      assert.equal(s.status, 'Available', JSON.stringify(s));
      assert.equal(s.statusCategory, 'WithStock', JSON.stringify(s));
    }
    out[z.zoneId] = supported;
  }
  return out;
}

describe('ECS instance type catalog', () => {
  let env, ecs, pub;

  before(async () => {
    env = await X.startEcs();
    ecs = X.ecsClient(env.port, env.root);
    pub = await X.publicImageId(ecs);
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  describe('DescribeInstanceTypes', () => {
    it('ecs.g6.large: 2 vCPU, 8 GiB, X86, no GPU, enterprise level, general purpose', async () => {
      const body = await typesReq(ecs, { instanceTypes: ['ecs.g6.large'] });
      const [t] = typesOf(body);
      assert.equal(typesOf(body).length, 1);
      assert.equal(t.instanceTypeId, 'ecs.g6.large');
      assert.equal(t.instanceTypeFamily, 'ecs.g6');
      assert.equal(t.cpuCoreCount, 2);
      assert.equal(t.memorySize, 8);
      assert.equal(t.cpuArchitecture, 'X86');
      assert.equal(t.GPUAmount, 0);
      assert.equal(t.GPUSpec, '');
      assert.equal(t.eniQuantity, 2);
      assert.equal(t.instanceFamilyLevel, 'EnterpriseLevel');
      assert.equal(t.instanceCategory, 'General-purpose');
      assert.equal(body.nextToken, '');
    });

    it('no filter: the whole catalog on one page (MaxResults defaults to 1600)', async () => {
      const all = typesOf(await typesReq(ecs));
      assert.equal(all.length, 207);
      const ids = all.map(t => t.instanceTypeId);
      assert.equal(new Set(ids).size, ids.length);
      for (const id of ['ecs.g6.large', 'ecs.g7.large', 'ecs.c7.large', 'ecs.r7.large', 'ecs.g8i.large', 'ecs.u1-c1m2.large', 'ecs.e-c1m2.large', 'ecs.t6-c1m1.large']) {
        assert.ok(ids.includes(id), id);
      }
    });

    it('InstanceTypeFamily, CPU and memory bounds, architecture, GPU', async () => {
      const g6 = typesOf(await typesReq(ecs, { instanceTypeFamily: 'ecs.g6' }));
      assert.equal(g6.length, 9);
      assert.ok(g6.every(t => t.instanceTypeFamily === 'ecs.g6'));

      const mid = typesOf(await typesReq(ecs, { instanceTypeFamily: 'ecs.g6', minimumCpuCoreCount: 4, maximumCpuCoreCount: 8 }));
      assert.deepEqual(mid.map(t => t.instanceTypeId).sort(), ['ecs.g6.2xlarge', 'ecs.g6.xlarge']);

      const small = typesOf(await typesReq(ecs, { minimumMemorySize: 0.5, maximumMemorySize: 0.5 }));
      assert.ok(small.length > 0);
      assert.ok(small.every(t => t.memorySize === 0.5), JSON.stringify(small));

      const arm = typesOf(await typesReq(ecs, { cpuArchitecture: 'ARM' }));
      assert.ok(arm.length > 0);
      assert.ok(arm.every(t => t.cpuArchitecture === 'ARM' && t.instanceTypeFamily === 'ecs.g8y'), JSON.stringify(arm));

      const gpu = typesOf(await typesReq(ecs, { minimumGPUAmount: 1 }));
      assert.ok(gpu.length > 0);
      assert.ok(gpu.every(t => t.GPUAmount >= 1 && t.GPUSpec !== ''), JSON.stringify(gpu));
      const t4 = typesOf(await typesReq(ecs, { GPUSpec: 'NVIDIA T4' }));
      assert.ok(t4.length > 0 && t4.every(t => t.instanceTypeFamily === 'ecs.gn6i'), JSON.stringify(t4));

      const none = await typesReq(ecs, { instanceTypes: ['ecs.nope.large'] });
      assert.equal(typesOf(none).length, 0);
    });

    it('NextToken/MaxResults pages through every type once', async () => {
      const seen = [];
      let nextToken;
      let pages = 0;
      do {
        const body = await typesReq(ecs, { maxResults: 50, ...(nextToken ? { nextToken } : {}) });
        const page = typesOf(body);
        assert.ok(page.length <= 50);
        seen.push(...page.map(t => t.instanceTypeId));
        nextToken = body.nextToken;
        pages++;
      } while (nextToken);
      assert.equal(pages, 5);
      assert.equal(seen.length, 207);
      assert.equal(new Set(seen).size, 207);
      await expectSdkError(typesReq(ecs, { nextToken: 'not-a-token' }), { code: 'InvalidParameter', status: 400 });
    });
  });

  describe('DescribeInstanceTypeFamilies', () => {
    it('the families of the catalog; Generation narrows them', async () => {
      const all = familiesOf(await familiesReq(ecs));
      const ids = all.map(f => f.instanceTypeFamilyId);
      assert.equal(ids.length, 22);
      for (const id of ['ecs.g6', 'ecs.g7', 'ecs.c7', 'ecs.r7', 'ecs.g8i', 'ecs.u1', 'ecs.e']) assert.ok(ids.includes(id), id);
      const g6 = all.find(f => f.instanceTypeFamilyId === 'ecs.g6');
      assert.equal(g6.generation, 'ecs-5');
      const gen4 = familiesOf(await familiesReq(ecs, { generation: 'ecs-4' }));
      assert.deepEqual(gen4.map(f => f.instanceTypeFamilyId).sort(), ['ecs.c5', 'ecs.g5', 'ecs.r5', 'ecs.t5']);
      await expectSdkError(familiesReq(ecs, { regionId: NOWHERE }), { code: 'InvalidRegionId.NotFound', status: 404 });
    });
  });

  describe('DescribeAvailableResource', () => {
    it('Zone (as alicloud_zones asks): every zone of the region', async () => {
      const zones = (await zonesReq(ecs, { verbose: false })).zones.zone.map(z => z.zoneId);
      const byZone = supportedByZone(await availableReq(ecs, { destinationResource: 'Zone', ioOptimized: 'optimized' }), 'Zone');
      assert.deepEqual(Object.keys(byZone).sort(), [...zones].sort());
      for (const [zoneId, supported] of Object.entries(byZone)) {
        assert.deepEqual(supported.map(s => s.value), [zoneId]);
      }
    });

    it('InstanceType (as alicloud_instance_types asks, with Cores/Memory): the types offered in each zone', async () => {
      const byZone = supportedByZone(await availableReq(ecs, { destinationResource: 'InstanceType', ioOptimized: 'optimized', cores: 2, memory: 8 }), 'InstanceType');
      assert.ok(Object.keys(byZone).length > 0);
      for (const supported of Object.values(byZone)) {
        const values = supported.map(s => s.value);
        assert.ok(values.includes('ecs.g6.large') && values.includes('ecs.g7.large'), JSON.stringify(values));
        assert.ok(!values.includes('ecs.c7.large'), 'c7.large has 4 GiB');
      }
      const one = supportedByZone(await availableReq(ecs, { destinationResource: 'InstanceType', instanceType: 'ecs.g6.large', zoneId: 'cn-hangzhou-k' }), 'InstanceType');
      assert.deepEqual(Object.keys(one), ['cn-hangzhou-k']);
      assert.deepEqual(one['cn-hangzhou-k'].map(s => s.value), ['ecs.g6.large']);
      // A type sold only outside the mainland: no zone of cn-hangzhou offers it.
      const abroad = await availableReq(ecs, { destinationResource: 'InstanceType', instanceType: ABROAD_ONLY });
      assert.equal(availableZones(abroad).length, 0);
      const there = await availableReq(ecs, { regionId: ABROAD, destinationResource: 'InstanceType', instanceType: ABROAD_ONLY });
      assert.ok(availableZones(there).length > 0);
      await expectSdkError(availableReq(ecs, { destinationResource: 'InstanceType', instanceType: 'ecs.g6.large', cores: 2 }),
        { code: 'InvalidParam.TypeAndCpuMem.Conflict', status: 403 });
    });

    it('SystemDisk and DataDisk: the categories the type takes, with size bounds in GiB', async () => {
      const sys = supportedByZone(await availableReq(ecs, { destinationResource: 'SystemDisk', instanceType: 'ecs.g6.large', zoneId: 'cn-hangzhou-k' }), 'SystemDisk')['cn-hangzhou-k'];
      assert.deepEqual(sys.map(s => s.value).sort(), ['cloud_auto', 'cloud_efficiency', 'cloud_essd', 'cloud_essd_entry', 'cloud_ssd']);
      for (const s of sys) assert.deepEqual([s.min, s.max, s.unit], [20, 2048, 'GiB'], JSON.stringify(s));
      // The economy family takes ESSD Entry, ESSD and ESSD AutoPL only.
      const e = supportedByZone(await availableReq(ecs, { destinationResource: 'DataDisk', instanceType: 'ecs.e-c1m2.large', zoneId: 'cn-hangzhou-k' }), 'DataDisk')['cn-hangzhou-k'];
      assert.deepEqual(e.map(s => s.value).sort(), ['cloud_auto', 'cloud_essd', 'cloud_essd_entry']);
      for (const s of e) assert.deepEqual([s.min, s.max, s.unit], [20, 32768, 'GiB'], JSON.stringify(s));
      // SystemDiskCategory narrows the answer.
      const only = supportedByZone(await availableReq(ecs, { destinationResource: 'SystemDisk', instanceType: 'ecs.g6.large', systemDiskCategory: 'cloud_essd' }), 'SystemDisk');
      for (const supported of Object.values(only)) assert.deepEqual(supported.map(s => s.value), ['cloud_essd']);
    });

    it('refuses a missing or unknown DestinationResource, a bad IoOptimized or ResourceType', async () => {
      await expectSdkError(availableReq(ecs, {}), { code: 'Invalid.Param', status: 400 });
      await expectSdkError(availableReq(ecs, { destinationResource: 'Moon' }), { code: 'Invalid.DestinationResource', status: 404 });
      await expectSdkError(availableReq(ecs, { destinationResource: 'Zone', ioOptimized: 'maybe' }), { code: 'Invalid.IoOptimized', status: 404 });
      await expectSdkError(availableReq(ecs, { destinationResource: 'Zone', resourceType: 'moon' }), { code: 'Invalid.ResourceType', status: 404 });
      await expectSdkError(availableReq(ecs, { regionId: NOWHERE, destinationResource: 'Zone' }), { code: 'InvalidRegionId.NotFound', status: 404 });
    });
  });

  it('DescribeZones lists the types offered in each zone; DescribeAvailableResource agrees', async () => {
    const zones = (await zonesReq(ecs)).zones.zone;
    const available = supportedByZone(await availableReq(ecs, { destinationResource: 'InstanceType' }), 'InstanceType');
    for (const z of zones) {
      const types = z.availableInstanceTypes.instanceTypes;
      assert.ok(types.includes('ecs.g6.large'), z.zoneId);
      assert.ok(!types.includes(ABROAD_ONLY), z.zoneId);
      assert.deepEqual([...types].sort(), available[z.zoneId].map(s => s.value).sort(), z.zoneId);
      assert.ok(!z.availableDiskCategories.diskCategories.includes('cloud'), 'no basic disks');
    }
    const abroad = (await zonesReq(ecs, { regionId: ABROAD })).zones.zone;
    assert.ok(abroad.every(z => z.availableInstanceTypes.instanceTypes.includes(ABROAD_ONLY)));
  });

  it('RAM: each catalog call is ecs:<Action> on "*": denied without a policy, allowed by AliyunECSReadOnlyAccess', async () => {
    const rootRam = L.ramClient(env.port, env.root);
    const noneUser = await L.makeUser(rootRam);
    const denied = L.ecsClient(env.port, noneUser.key);
    const calls = {
      'ecs:DescribeInstanceTypes': c => typesReq(c, { instanceTypes: ['ecs.g6.large'] }),
      'ecs:DescribeInstanceTypeFamilies': c => familiesReq(c),
      'ecs:DescribeAvailableResource': c => availableReq(c, { destinationResource: 'Zone' }),
    };
    for (const [action, call] of Object.entries(calls)) {
      await L.expectDenied(call(denied), L.subUserDenied(env.root.AccountId, noneUser, action));
    }
    const reader = L.ecsClient(env.port, (await L.makeUser(rootRam, { policies: ['AliyunECSReadOnlyAccess'] })).key);
    assert.equal(typesOf(await calls['ecs:DescribeInstanceTypes'](reader)).length, 1);
    assert.ok(familiesOf(await calls['ecs:DescribeInstanceTypeFamilies'](reader)).length > 0);
    assert.ok(availableZones(await calls['ecs:DescribeAvailableResource'](reader)).length > 0);
  });

  describe('RunInstances against the catalog', () => {
    it('ecs.g6.large from a public image runs, with its vCPU and memory', async () => {
      const id = await X.runOne(ecs, { imageId: pub, instanceType: 'ecs.g6.large', zoneId: 'cn-hangzhou-k' });
      const i = await X.getInstance(ecs, id);
      assert.equal(i.status, 'Running');
      assert.equal(i.instanceType, 'ecs.g6.large');
      assert.equal(i.instanceTypeFamily, 'ecs.g6');
      assert.equal(i.cpu, 2);
      assert.equal(i.memory, 8192);
    });

    it('an unknown type -> InvalidInstanceType.ValueNotSupported 400', async () => {
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, instanceType: 'ecs.g6.huge' }),
        { code: 'InvalidInstanceType.ValueNotSupported', status: 400 });
    });

    it('a type not offered in the zone -> InvalidInstanceType.ZoneNotSupported 403; offered elsewhere it runs', async () => {
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, instanceType: ABROAD_ONLY, zoneId: 'cn-hangzhou-k', systemDisk: { category: 'cloud_essd' } }),
        { code: 'InvalidInstanceType.ZoneNotSupported', status: 403 });
      await expectSdkError(X.E.createInstance(ecs, { imageId: pub, instanceType: ABROAD_ONLY }),
        { code: 'InvalidInstanceType.ZoneNotSupported', status: 403 });
      const abroadImage = await X.publicImageId(ecs, ABROAD);
      const id = await X.runOne(ecs, { regionId: ABROAD, imageId: abroadImage, instanceType: ABROAD_ONLY, wait: false });
      assert.equal((await X.getInstance(ecs, id, ABROAD)).instanceType, ABROAD_ONLY);
    });

    it('a disk category the type does not take -> InvalidDiskCategory.NotSupported 403', async () => {
      // Basic disks: no family of the catalog takes them.
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, instanceType: 'ecs.g6.large', systemDisk: { category: 'cloud' } }),
        { code: 'InvalidDiskCategory.NotSupported', status: 403 });
      // The economy family takes no standard SSD.
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, instanceType: 'ecs.e-c1m2.large', systemDisk: { category: 'cloud_ssd' } }),
        { code: 'InvalidDiskCategory.NotSupported', status: 403 });
      const id = await X.runOne(ecs, { imageId: pub, instanceType: 'ecs.e-c1m2.large', systemDisk: { category: 'cloud_essd_entry' }, wait: false });
      assert.equal((await X.systemDisk(ecs, id)).category, 'cloud_essd_entry');
    });

    it('a category that is none -> InvalidSystemDiskCategory.ValueNotSupported 400', async () => {
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, instanceType: 'ecs.g6.large', systemDisk: { category: 'floppy' } }),
        { code: 'InvalidSystemDiskCategory.ValueNotSupported', status: 400 });
    });
  });
});

'use strict';
// ECS DescribeZones through the ECS SDK: the zones of each region from Alibaba's regions-and-zones
// data (api/catalog/ecs-zones.json), localized names, Verbose, and the zone checks that data
// drives in RunInstances (a zone of another region, or a retired one, is InvalidZoneId.NotFound).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const Ecs = require('@alicloud/ecs20140526');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const X = require('./lib/ecs');
const { REGION, REGION2, NOWHERE } = require('./lib/swas');

const describeZones = (c, f = {}) => c.describeZones(new Ecs.DescribeZonesRequest({ regionId: REGION, ...f })).then(r => r.body);
const zonesOf = body => body.zones.zone;

describe('ECS DescribeZones', () => {
  let env, ecs;

  before(async () => {
    env = await X.startEcs();
    ecs = X.ecsClient(env.port, env.root);
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('cn-hangzhou: its real zones (not the retired cn-hangzhou-a), zh-CN names by default', async () => {
    const zones = zonesOf(await describeZones(ecs));
    const ids = zones.map(z => z.zoneId);
    assert.ok(ids.includes('cn-hangzhou-k') && ids.includes('cn-hangzhou-b'), JSON.stringify(ids));
    assert.ok(!ids.includes('cn-hangzhou-a'), JSON.stringify(ids));
    for (const z of zones) {
      assert.ok(z.zoneId.startsWith(`${REGION}-`), z.zoneId);
      assert.match(z.localName, /可用区/, JSON.stringify(z));
      assert.equal(z.zoneType, 'AvailabilityZone');
    }
  });

  it('AcceptLanguage=en-US: English names; another region: its own zones', async () => {
    const zones = zonesOf(await describeZones(ecs, { regionId: REGION2, acceptLanguage: 'en-US' }));
    assert.ok(zones.length > 0);
    for (const z of zones) {
      assert.ok(z.zoneId.startsWith(`${REGION2}-`), z.zoneId);
      assert.match(z.localName, /Zone [A-Z]$/, JSON.stringify(z));
    }
  });

  it('Verbose (default): the instance types and disk categories RunInstances accepts; Verbose=false: ids and names', async () => {
    const z = zonesOf(await describeZones(ecs))[0];
    assert.ok(z.availableInstanceTypes.instanceTypes.length > 0, JSON.stringify(z));
    assert.ok(z.availableDiskCategories.diskCategories.includes('cloud_essd'), JSON.stringify(z));
    assert.ok(z.availableResourceCreation.resourceTypes.includes('Instance'), JSON.stringify(z));
    const type = z.availableInstanceTypes.instanceTypes[0];
    const pub = await X.publicImageId(ecs);
    const id = await X.runOne(ecs, { imageId: pub, instanceType: type, zoneId: z.zoneId, wait: false });
    assert.equal((await X.getInstance(ecs, id)).zoneId, z.zoneId);
    const brief = zonesOf(await describeZones(ecs, { verbose: false }))[0];
    assert.equal(brief.availableInstanceTypes, undefined, JSON.stringify(brief));
  });

  it('RunInstances without ZoneId uses a real zone of the region', async () => {
    const id = await X.runOne(ecs, { imageId: await X.publicImageId(ecs), wait: false });
    const zone = (await X.getInstance(ecs, id)).zoneId;
    assert.ok(zonesOf(await describeZones(ecs)).some(z => z.zoneId === zone), zone);
  });

  it('RunInstances in a zone of another region or a retired one -> InvalidZoneId.NotFound 404', async () => {
    const pub = await X.publicImageId(ecs);
    for (const zoneId of ['cn-shanghai-b', 'cn-hangzhou-a']) {
      await expectSdkError(X.E.runInstances(ecs, { imageId: pub, zoneId }), { code: 'InvalidZoneId.NotFound', status: 404 });
    }
  });

  it('an unserved region -> InvalidRegionId.NotFound 404', async () => {
    await expectSdkError(describeZones(ecs, { regionId: NOWHERE }), { code: 'InvalidRegionId.NotFound', status: 404 });
  });
});

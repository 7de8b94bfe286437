'use strict';
// Issue 15's acceptance: the ECS launch path as a real script walks it, through the official ECS,
// VPC and SWAS SDKs and nothing else: zones -> instance types -> VPC -> vSwitch (waits for
// Available) -> security group with a rule -> key pair -> share a SWAS image -> RunInstances with
// ecs.g6.large from it -> Running -> ReInitDisk -> UnShare -> the documented refusals -> teardown
// in reverse order, each dependency error checked on the way. Then the mismatches: a vSwitch of
// another zone, a security group of another VPC and of another account, an unknown key pair, a
// type not offered in the zone.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const N = require('./lib/vpc');
const { E, Ecs, REGION } = X;

const TYPE = 'ecs.g6.large';

describe('The ECS launch path from a shared SWAS image (issue 15 acceptance)', () => {
  let env, swas, ecs, vpc, ecsB, vpcB;
  const st = {};
  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };

  before(async () => {
    env = await X.startEcs({ args: ['--vpc-ready-ms', '200'] });
    swas = S.swasClient(env.port, env.root);
    ecs = X.ecsClient(env.port, env.root);
    vpc = N.vpcClient(env.port, env.root);
    const other = S.createAccount(env.dataDir, 'other');
    ecsB = X.ecsClient(env.port, other);
    vpcB = N.vpcClient(env.port, other);
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('DescribeZones: the region\'s real zones, each offering ecs.g6.large', async () => {
    const body = (await ecs.describeZones(new Ecs.DescribeZonesRequest({ regionId: REGION }))).body;
    const zones = X.items(body, 'zones', 'zone');
    assert.ok(zones.length >= 2, JSON.stringify(body).slice(0, 500));
    const withType = zones.filter(z => (z.availableInstanceTypes.instanceTypes || []).includes(TYPE));
    assert.ok(withType.length > 0, `no zone offers ${TYPE}`);
    st.zone = withType.map(z => z.zoneId).includes('cn-hangzhou-k') ? 'cn-hangzhou-k' : withType[0].zoneId;
  });

  it('DescribeInstanceTypes: ecs.g6.large is 2 vCPU, 8 GiB', async () => {
    const body = (await ecs.describeInstanceTypes(new Ecs.DescribeInstanceTypesRequest({ instanceTypes: [TYPE] }))).body;
    const types = X.items(body, 'instanceTypes', 'instanceType');
    assert.equal(types.length, 1, JSON.stringify(body));
    assert.equal(types[0].instanceTypeId, TYPE);
    assert.equal(types[0].cpuCoreCount, 2);
    assert.equal(types[0].memorySize, 8);
  });

  it('DescribeAvailableResource: ecs.g6.large is available in the chosen zone', async () => {
    need('zone');
    const body = (await ecs.describeAvailableResource(new Ecs.DescribeAvailableResourceRequest({
      regionId: REGION, zoneId: st.zone, destinationResource: 'InstanceType', instanceType: TYPE,
    }))).body;
    const zones = X.items(body, 'availableZones', 'availableZone');
    assert.equal(zones.length, 1, JSON.stringify(body));
    const values = X.items(zones[0], 'availableResources', 'availableResource')
      .flatMap(r => X.items(r, 'supportedResources', 'supportedResource').map(x => x.value));
    assert.ok(values.includes(TYPE), JSON.stringify(body));
  });

  it('CreateVpc and CreateVSwitch in that zone; both Pending, then Available', async () => {
    need('zone');
    const v = await N.V.createVpc(vpc, { cidrBlock: '192.168.0.0/16', vpcName: 'launch' });
    st.vpcId = v.vpcId;
    assert.equal((await N.getVpc(vpc, st.vpcId)).status, 'Pending');
    await N.waitAvailable(() => N.getVpc(vpc, st.vpcId));
    const sw = await N.V.createVSwitch(vpc, { vpcId: st.vpcId, cidrBlock: '192.168.1.0/24', zoneId: st.zone });
    st.vSwitchId = sw.vSwitchId;
    await N.waitAvailable(() => N.getSwitch(vpc, st.vSwitchId));
  });

  it('CreateSecurityGroup in the VPC, with an SSH rule', async () => {
    need('vpcId');
    const sg = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({
      regionId: REGION, vpcId: st.vpcId, securityGroupName: 'launch-sg',
    }))).body;
    st.sg = sg.securityGroupId;
    assert.match(st.sg, /^sg-/);
    await ecs.authorizeSecurityGroup(new Ecs.AuthorizeSecurityGroupRequest({
      regionId: REGION, securityGroupId: st.sg,
      permissions: [new Ecs.AuthorizeSecurityGroupRequestPermissions({
        ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', policy: 'accept', priority: '1',
      })],
    }));
    const attr = (await ecs.describeSecurityGroupAttribute(new Ecs.DescribeSecurityGroupAttributeRequest({
      regionId: REGION, securityGroupId: st.sg,
    }))).body;
    assert.equal(attr.vpcId, st.vpcId);
    const rules = X.items(attr, 'permissions', 'permission');
    assert.ok(rules.some(r => r.portRange === '22/22' && r.ipProtocol.toLowerCase() === 'tcp'), JSON.stringify(rules));
  });

  it('CreateKeyPair: a real private key, once', async () => {
    const kp = (await ecs.createKeyPair(new Ecs.CreateKeyPairRequest({ regionId: REGION, keyPairName: 'launch-key' }))).body;
    assert.equal(kp.keyPairName, 'launch-key');
    require('node:crypto').createPrivateKey(kp.privateKeyBody);  // throws if it is not a key
    st.keyPair = kp.keyPairName;
  });

  it('a SWAS custom image, shared to ECS, is visible to DescribeImages', async () => {
    const img = await X.makeSharedImage(swas, { name: 'launch-image' });
    st.imageId = img.imageId;
    const found = await X.describeImage(ecs, st.imageId);
    assert.ok(found, 'the shared image is not in DescribeImages');
  });

  it('RunInstances ecs.g6.large from it, with the vSwitch, security group and key pair -> Running', async () => {
    need('imageId', 'vSwitchId', 'sg', 'keyPair');
    const [id] = await X.run(ecs, {
      imageId: st.imageId, instanceType: TYPE, vSwitchId: st.vSwitchId, securityGroupId: st.sg,
      keyPairName: st.keyPair, instanceName: 'launched', wait: true,
    });
    st.instanceId = id;
    const i = await X.getInstance(ecs, id);
    const ctx = JSON.stringify(i);
    assert.equal(i.instanceType, TYPE, ctx);
    assert.equal(i.zoneId, st.zone, ctx);
    assert.equal(i.vpcAttributes.vpcId, st.vpcId, ctx);
    assert.equal(i.vpcAttributes.vSwitchId, st.vSwitchId, ctx);
    assert.deepEqual(X.items(i.vpcAttributes, 'privateIpAddress', 'ipAddress'), ['192.168.1.1'], ctx);
    assert.deepEqual(X.items(i, 'securityGroupIds', 'securityGroupId'), [st.sg], ctx);
    assert.equal(i.keyPairName, st.keyPair, ctx);
    assert.equal(i.cpu, 2, ctx);
    assert.equal(i.memory, 8192, ctx);
  });

  it('Stop, then ReInitDisk of its system disk works while the image is shared', async () => {
    need('instanceId');
    await X.stopAndWait(ecs, st.instanceId);
    st.diskId = (await X.systemDisk(ecs, st.instanceId)).diskId;
    await E.reInitDisk(ecs, { diskId: st.diskId });
  });

  it('UnShare: ECS can neither list nor use the image; ReInitDisk refused; the instance runs on', async () => {
    need('imageId', 'diskId');
    await X.unshare(swas, st.imageId);
    assert.equal(await X.describeImage(ecs, st.imageId), undefined);
    await expectSdkError(E.runInstances(ecs, { imageId: st.imageId, instanceType: TYPE, vSwitchId: st.vSwitchId, securityGroupId: st.sg }),
      { code: 'InvalidImageId.NotFound', status: 404 });
    await expectSdkError(E.reInitDisk(ecs, { diskId: st.diskId }), { code: 'IncorrectImageStatus', status: 403 });
    await E.startInstance(ecs, { instanceId: st.instanceId });
    await X.waitStatus(ecs, st.instanceId, 'Running');
  });

  it('mismatches answer Alibaba\'s codes', async () => {
    need('vSwitchId', 'sg', 'vpcId');
    const pub = await X.publicImageId(ecs);
    const run = (c, f) => E.runInstances(c, { imageId: pub, instanceType: TYPE, ...f });
    // A vSwitch of another zone than ZoneId.
    const otherZone = st.zone === 'cn-hangzhou-j' ? 'cn-hangzhou-k' : 'cn-hangzhou-j';
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: st.sg, zoneId: otherZone }),
      { code: 'InvalidParameter.Mismatch', status: 400 });
    // A security group of another VPC than the vSwitch's.
    const other = await N.makeNetwork(vpc, { vpcCidr: '10.8.0.0/16', cidr: '10.8.1.0/24', zone: st.zone });
    const sg2 = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: other.vpcId }))).body.securityGroupId;
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: sg2 }),
      { code: 'InvalidParameter.Mismatch', status: 400 });
    // A security group of another account.
    const netB = await N.makeNetwork(vpcB, { zone: st.zone });
    const sgB = (await ecsB.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: netB.vpcId }))).body.securityGroupId;
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: sgB }),
      { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
    // An unknown key pair.
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: st.sg, keyPairName: 'no-such-key' }),
      { code: 'InvalidKeyPairName.NotFound', status: 404 });
    // An unknown type, and one not offered in the zone.
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: st.sg, instanceType: 'ecs.nope.large' }),
      { code: 'InvalidInstanceType.ValueNotSupported', status: 400 });
    // ecs.e-c4m1.large is sold only outside the mainland (api/catalog/SOURCES.md), so not in this zone;
    // DescribeAvailableResource says so before RunInstances refuses it.
    const offered = (await ecs.describeAvailableResource(new Ecs.DescribeAvailableResourceRequest({
      regionId: REGION, zoneId: st.zone, destinationResource: 'InstanceType', instanceType: 'ecs.e-c4m1.large',
    }))).body;
    const values = X.items(offered, 'availableZones', 'availableZone')
      .flatMap(z => X.items(z, 'availableResources', 'availableResource'))
      .flatMap(r => X.items(r, 'supportedResources', 'supportedResource').map(x => x.value));
    assert.ok(!values.includes('ecs.e-c4m1.large'), JSON.stringify(offered));
    await expectSdkError(run(ecs, { vSwitchId: st.vSwitchId, securityGroupId: st.sg, instanceType: 'ecs.e-c4m1.large' }),
      { code: 'InvalidInstanceType.ZoneNotSupported', status: 403 });
  });

  it('teardown in reverse order, each dependency error on the way', async () => {
    need('instanceId', 'sg', 'vSwitchId', 'vpcId', 'keyPair');
    await expectSdkError(N.V.deleteVpc(vpc, { vpcId: st.vpcId }), { code: 'DependencyViolation.VSwitch', status: 400 });
    await expectSdkError(N.V.deleteVSwitch(vpc, { vSwitchId: st.vSwitchId }), { code: 'DependencyViolation', status: 400 });
    await expectSdkError(ecs.deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: st.sg })),
      { code: 'DependencyViolation', status: 403 });
    await expectSdkError(E.deleteInstance(ecs, { instanceId: st.instanceId }), { code: 'IncorrectInstanceStatus', status: 403 });
    await X.stopAndWait(ecs, st.instanceId);
    await E.deleteInstance(ecs, { instanceId: st.instanceId });
    await X.waitGone(ecs, st.instanceId);
    await ecs.deleteKeyPairs(new Ecs.DeleteKeyPairsRequest({ regionId: REGION, keyPairNames: JSON.stringify([st.keyPair]) }));
    await N.V.deleteVSwitch(vpc, { vSwitchId: st.vSwitchId });
    await expectSdkError(N.V.deleteVpc(vpc, { vpcId: st.vpcId }), { code: 'DependencyViolation.SecurityGroup', status: 400 });
    await ecs.deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, securityGroupId: st.sg }));
    await N.V.deleteVpc(vpc, { vpcId: st.vpcId });
    await expectSdkError(N.V.deleteVpc(vpc, { vpcId: st.vpcId }), { code: 'InvalidVpcId.NotFound', status: 404 });
  });
});

'use strict';
// RunInstances on a real network, through the official ECS and VPC SDKs: the vSwitch decides the
// zone and the VPC; the private IP comes from the vSwitch's block (first and last three reserved),
// one per instance, never twice; MinAmount takes what a full vSwitch has room for; DescribeVSwitches
// counts the addresses in use and DeleteVSwitch waits for the instances; DescribeInstances filters
// on the network, tags and key pair and pages with NextToken/MaxResults; DataDisk.N, Tag.N,
// UserData, HostName/HostNames.N as RunInstances documents them, each refusal with its code.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const N = require('./lib/vpc');
const { E, Ecs } = X;

const dataDisk = f => new Ecs.RunInstancesRequestDataDisk(f);
const tag = (key, value) => new Ecs.RunInstancesRequestTag({ key, value });

describe('ECS instances on a VPC network', () => {
  let env, ecs, vpc, ecsB, pub;
  let net, small;  // {vpcId, vSwitchId}: a /24 in cn-hangzhou-k, a /29 (4 usable addresses)
  const ipsOf = i => X.items(i.vpcAttributes, 'privateIpAddress', 'ipAddress');

  before(async () => {
    env = await X.startEcs({ args: ['--vpc-ready-ms', '200'] });
    ecs = X.ecsClient(env.port, env.root);
    vpc = N.vpcClient(env.port, env.root);
    const other = S.createAccount(env.dataDir, 'other');
    ecsB = X.ecsClient(env.port, other);
    pub = await X.publicImageId(ecs);
    net = await N.makeNetwork(vpc, { vpcCidr: '10.0.0.0/16', cidr: '10.0.1.0/24' });
    small = await N.makeNetwork(vpc, { vpcCidr: '192.168.0.0/16', cidr: '192.168.9.0/29', zone: 'cn-hangzhou-j' });
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  let first;
  it('RunInstances with VSwitchId: the vSwitch\'s zone and VPC, the first free address of its block', async () => {
    const [id] = await X.run(ecs, { imageId: pub, vSwitchId: net.vSwitchId, wait: false });
    first = id;
    const i = await X.getInstance(ecs, id);
    const ctx = JSON.stringify(i);
    assert.equal(i.zoneId, N.ZONE, ctx);
    assert.equal(i.vpcAttributes.vpcId, net.vpcId, ctx);
    assert.equal(i.vpcAttributes.vSwitchId, net.vSwitchId, ctx);
    assert.deepEqual(ipsOf(i), ['10.0.1.1'], ctx);
    assert.equal(i.instanceNetworkType, 'vpc', ctx);
    assert.match(i.hostName, /^iZ[0-9a-z]+Z$/, ctx);
  });

  it('Amount 3 -> the next three addresses; DescribeVSwitches counts them', async () => {
    const ids = await X.run(ecs, { imageId: pub, vSwitchId: net.vSwitchId, amount: 3, wait: false });
    const ips = [];
    for (const id of ids) ips.push(...ipsOf(await X.getInstance(ecs, id)));
    assert.deepEqual(ips.sort(), ['10.0.1.2', '10.0.1.3', '10.0.1.4']);
    const sw = await N.getSwitch(vpc, net.vSwitchId);
    assert.equal(sw.availableIpAddressCount, 256 - 4 - 4, JSON.stringify(sw));
  });

  it('PrivateIpAddress: a free address of the block; taken, outside, reserved or malformed are refused', async () => {
    const [id] = await X.run(ecs, { imageId: pub, vSwitchId: net.vSwitchId, privateIpAddress: '10.0.1.100', wait: false });
    assert.deepEqual(ipsOf(await X.getInstance(ecs, id)), ['10.0.1.100']);
    const again = f => E.runInstances(ecs, { imageId: pub, vSwitchId: net.vSwitchId, ...f });
    await expectSdkError(again({ privateIpAddress: '10.0.1.100' }), { code: 'InvalidPrivateIpAddress.Duplicated', status: 400 });
    await expectSdkError(again({ privateIpAddress: '10.0.2.5' }), { code: 'InvalidPrivateIpAddress', status: 400 });
    await expectSdkError(again({ privateIpAddress: '10.0.1.254' }), { code: 'InvalidPrivateIpAddress', status: 400 });
    await expectSdkError(again({ privateIpAddress: '10.0.1' }), { code: 'InvalidPrivateIpAddress.Malformed', status: 400 });
    await expectSdkError(again({ privateIpAddress: '10.0.1.101', amount: 2 }), { code: 'InvalidParameter.Conflict', status: 400 });
  });

  it('MinAmount: a /29 has room for 4 -> Amount 6 refused, Amount 6 MinAmount 3 makes 4, then full', async () => {
    const run = f => E.runInstances(ecs, { imageId: pub, vSwitchId: small.vSwitchId, ...f });
    await expectSdkError(run({ amount: 6 }), { code: 'QuotaExceeded.PrivateIpAddress', status: 400 });
    await expectSdkError(run({ amount: 2, minAmount: 3 }), { code: 'InvalidMinAmount.Malformed', status: 400 });
    const ids = X.runIds(await run({ amount: 6, minAmount: 3 }));
    assert.equal(ids.length, 4);
    await expectSdkError(run({ amount: 1 }), { code: 'QuotaExceeded.PrivateIpAddress', status: 400 });
    assert.equal((await N.getSwitch(vpc, small.vSwitchId)).availableIpAddressCount, 0);
  });

  it('the vSwitch must be the caller\'s, Available, and in ZoneId when one is given', async () => {
    await expectSdkError(E.runInstances(ecs, { imageId: pub, vSwitchId: 'vsw-doesnotexist' }),
      { code: 'InvalidVSwitchId.NotFound', status: 404 });
    await expectSdkError(E.runInstances(ecsB, { imageId: pub, vSwitchId: net.vSwitchId }),
      { code: 'InvalidVSwitchId.NotFound', status: 404 });
    await expectSdkError(E.runInstances(ecs, { imageId: pub, vSwitchId: net.vSwitchId, zoneId: 'cn-hangzhou-j' }),
      { code: 'InvalidParameter.Mismatch', status: 400, messageIncludes: 'zone' });
    const { vSwitchId: pending } = await N.V.createVSwitch(vpc, { vpcId: net.vpcId, cidrBlock: '10.0.200.0/24' });
    await expectSdkError(E.runInstances(ecs, { imageId: pub, vSwitchId: pending }),
      { code: 'IncorrectVSwitchStatus', status: 400 });
  });

  it('DeleteVSwitch waits for its instances: DependencyViolation, then deleted once they are gone', async () => {
    await expectSdkError(N.V.deleteVSwitch(vpc, { vSwitchId: small.vSwitchId }),
      { code: 'DependencyViolation', status: 400 });
    const ids = X.instances(await E.describeInstances(ecs, { vSwitchId: small.vSwitchId, pageSize: 100 }))
      .map(i => i.instanceId);
    assert.equal(ids.length, 4);
    for (const id of ids) await E.deleteInstance(ecs, { instanceId: id, force: true });
    await N.V.deleteVSwitch(vpc, { vSwitchId: small.vSwitchId });
    await expectSdkError(N.V.deleteVSwitch(vpc, { vSwitchId: small.vSwitchId }),
      { code: 'InvalidVSwitchId.NotFound', status: 404 });
  });

  it('DataDisk.N, Tag.N, UserData, HostName with ${instance_id}, Description are kept and shown', async () => {
    const [id] = await X.run(ecs, {
      imageId: pub, vSwitchId: net.vSwitchId, hostName: 'web-${instance_id}', description: 'front end',
      userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'),
      tag: [tag('env', 'prod'), tag('team', 'web')],
      dataDisk: [dataDisk({ category: 'cloud_essd', size: 40 }),
        dataDisk({ category: 'cloud_efficiency', size: 100, deleteWithInstance: false, diskName: 'keepme' })],
      wait: false,
    });
    const i = await X.getInstance(ecs, id);
    const ctx = JSON.stringify(i);
    assert.equal(i.hostName, `web-${id}`, ctx);
    assert.equal(i.description, 'front end', ctx);
    assert.deepEqual(X.items(i, 'tags', 'tag').map(t => [t.tagKey, t.tagValue]), [['env', 'prod'], ['team', 'web']], ctx);
    const ds = X.disks(await E.describeDisks(ecs, { instanceId: id }));
    assert.equal(ds.length, 3, JSON.stringify(ds));
    const data = ds.filter(d => d.type === 'data').sort((a, b) => a.size - b.size);
    assert.deepEqual(data.map(d => [d.category, d.size, d.deleteWithInstance, d.device]),
      [['cloud_essd', 40, true, '/dev/xvdb'], ['cloud_efficiency', 100, false, '/dev/xvdc']]);
    await X.waitStatus(ecs, id, 'Running');
    await E.deleteInstance(ecs, { instanceId: id, force: true });
    const left = X.disks(await E.describeDisks(ecs, { diskIds: JSON.stringify(data.map(d => d.diskId)) }));
    assert.equal(left.length, 1, JSON.stringify(left));
    assert.equal(left[0].diskName, 'keepme');
    assert.equal(left[0].status, 'Available');
    assert.equal(left[0].instanceId, '');
  });

  it('HostNames.N gives each instance its own; the refusals of RunInstances\' table', async () => {
    const ids = await X.run(ecs, { imageId: pub, vSwitchId: net.vSwitchId, amount: 2, hostNames: ['node-a', 'node-b'], wait: false });
    const names = [];
    for (const id of ids) names.push((await X.getInstance(ecs, id)).hostName);
    assert.deepEqual(names.sort(), ['node-a', 'node-b']);
    const run = f => E.runInstances(ecs, { imageId: pub, ...f });
    await expectSdkError(run({ amount: 2, hostNames: ['only-one'] }), { code: 'InvalidParameter.Conflict', status: 400 });
    await expectSdkError(run({ hostName: 'a', hostNames: ['b'] }), { code: 'InvalidParameter.Conflict', status: 400 });
    await expectSdkError(run({ hostName: 'bad..name' }), { code: 'InvalidHostName.Malformed', status: 400 });
    await expectSdkError(run({ userData: 'not*base64' }), { code: 'InvalidUserData.Base64FormatInvalid', status: 400 });
    await expectSdkError(run({ userData: Buffer.alloc(33 * 1024, 1).toString('base64') }),
      { code: 'InvalidUserData.SizeExceeded', status: 400 });
    await expectSdkError(run({ tag: [tag('acs:x', 'v')] }), { code: 'InvalidTagKey.Malformed', status: 400 });
    await expectSdkError(run({ tag: [tag('k', '1'), tag('k', '2')] }), { code: 'Duplicate.TagKey', status: 400 });
    await expectSdkError(run({ dataDisk: [dataDisk({ category: 'cloud', size: 3000 })] }),
      { code: 'InvalidDataDiskSize.ValueNotSupported', status: 400 });
    await expectSdkError(run({ dataDisk: [dataDisk({ category: 'floppy', size: 40 })] }),
      { code: 'InvalidDataDiskCategory.ValueNotSupported', status: 400 });
    await expectSdkError(run({ instanceName: '9lives' }), { code: 'InvalidInstanceName.Malformed', status: 400 });
    await expectSdkError(run({ securityGroupId: 'sg-1', securityGroupIds: ['sg-2'], vSwitchId: net.vSwitchId }),
      { code: 'InvalidParameter.Conflict', status: 400 });
  });

  it('DescribeInstances filters: VpcId, VSwitchId, ZoneId, PrivateIpAddresses, Tag.N, InstanceTypeFamily', async () => {
    const count = async f => (await E.describeInstances(ecs, { pageSize: 100, ...f })).totalCount;
    const all = await count({});
    assert.ok(all >= 7, String(all));
    assert.equal(await count({ vpcId: net.vpcId }), await count({ vSwitchId: net.vSwitchId }));
    assert.equal(await count({ vpcId: 'vpc-none' }), 0);
    assert.equal(await count({ zoneId: 'cn-hangzhou-j' }), 0);  // the /29's instances are gone
    assert.equal(await count({ privateIpAddresses: JSON.stringify(['10.0.1.1', '10.0.1.100']) }), 2);
    const [tagged] = await X.run(ecs, { imageId: pub, vSwitchId: net.vSwitchId, tag: [tag('env', 'stage')], wait: false });
    const byTag = X.instances(await E.describeInstances(ecs, { tag: [new Ecs.DescribeInstancesRequestTag({ key: 'env', value: 'stage' })] }));
    assert.deepEqual(byTag.map(i => i.instanceId), [tagged]);
    assert.equal(await count({ instanceTypeFamily: X.TYPE.slice(0, X.TYPE.lastIndexOf('.')) }), all + 1);
    assert.equal(await count({ instanceTypeFamily: 'ecs.nope' }), 0);
  });

  it('NextToken/MaxResults pages cover every instance once; a foreign token is refused', async () => {
    const total = (await E.describeInstances(ecs, {})).totalCount;
    const seen = new Set();
    let token, pages = 0;
    do {
      const body = await E.describeInstances(ecs, { maxResults: 3, ...(token ? { nextToken: token } : {}) });
      pages++;
      for (const i of X.instances(body)) seen.add(i.instanceId);
      assert.ok(X.instances(body).length <= 3);
      token = body.nextToken;
    } while (token);
    assert.equal(seen.size, total);
    assert.equal(pages, Math.ceil(total / 3));
    await expectSdkError(E.describeInstances(ecs, { nextToken: 'caeba0bbb2be03f84eb48b699f0a4883' }),
      { code: 'InValidParameter.NextToken', status: 400 });
  });

  it('the first instance is unaffected by all of this', async () => {
    assert.ok(first);
    const i = await X.waitStatus(ecs, first, 'Running');
    assert.deepEqual(ipsOf(i), ['10.0.1.1']);
  });
});

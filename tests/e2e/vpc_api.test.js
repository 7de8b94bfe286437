'use strict';
// VPC (2016-04-28) through the official VPC SDK (@alicloud/vpc20160428): VPCs and vSwitches as a
// launch script creates them before RunInstances. Pending -> Available, CIDR rules (RFC 1918 VPC
// blocks, /16-/29 vSwitches inside their VPC, no overlaps), zones of the region, dependency and
// state errors with the codes of Alibaba's VPC pages, DryRun, paging, account isolation and RAM.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, removeDir, makeTempDir, rootEnv, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { REGION, ZONE, vpcClient, V, vpcsOf, switchesOf, waitAvailable } = require('./lib/vpc');

const READY_MS = 300;

describe('VPC 2016-04-28 through the VPC SDK', () => {
  let env, dataDir, root, other, c, c2;
  let vpcId, vswId;

  const getVpc = async id => vpcsOf(await V.describeVpcs(c, { vpcId: id }))[0];
  const getSwitch = async id => switchesOf(await V.describeVSwitches(c, { vSwitchId: id }))[0];

  before(async () => {
    dataDir = makeTempDir();
    root = S.newSafeRootKey();
    env = await startServer({ env: rootEnv(root), dataDir, args: ['--vpc-ready-ms', String(READY_MS)] });
    c = vpcClient(env.port, root);
    other = S.createAccount(dataDir, 'other');
    c2 = vpcClient(env.port, other);
  });
  after(async () => {
    if (env) { await env.stop(); removeDir(dataDir); }
  });

  it('CreateVpc -> VpcId, VRouterId, RouteTableId; Pending, then Available; default block 172.16.0.0/12', async () => {
    const body = await V.createVpc(c, { vpcName: 'prod', description: 'launch path' });
    assert.match(body.requestId, REQUEST_ID_RE);
    assert.match(body.vpcId, /^vpc-[0-9a-z]+$/);
    assert.match(body.VRouterId, /^vrt-/);  // the SDK keeps this field's capital V
    assert.match(body.routeTableId, /^vtb-/);
    vpcId = body.vpcId;
    const v = await getVpc(vpcId);
    assert.equal(v.status, 'Pending', JSON.stringify(v));
    assert.equal(v.cidrBlock, '172.16.0.0/12');
    assert.equal(v.vpcName, 'prod');
    assert.equal(v.regionId, REGION);
    assert.equal(String(v.ownerId), root.AccountId);
    const ready = await waitAvailable(() => getVpc(vpcId));
    assert.equal(ready.VRouterId, body.VRouterId);
    assert.deepEqual(ready.routerTableIds.routerTableIds, [body.routeTableId]);
  });

  it('CreateVSwitch -> VSwitchId; listed with its VPC, zone, block and free addresses', async () => {
    const body = await V.createVSwitch(c, { vpcId, cidrBlock: '172.16.1.0/24', vSwitchName: 'web' });
    vswId = body.vSwitchId;
    assert.match(vswId, /^vsw-/);
    const s = await waitAvailable(() => getSwitch(vswId));
    assert.equal(s.vpcId, vpcId);
    assert.equal(s.zoneId, ZONE);
    assert.equal(s.cidrBlock, '172.16.1.0/24');
    assert.equal(s.availableIpAddressCount, 252);  // 256 minus the 4 reserved
    assert.equal(s.vSwitchName, 'web');
    assert.deepEqual((await getVpc(vpcId)).vSwitchIds.vSwitchId, [vswId]);
    assert.equal(switchesOf(await V.describeVSwitches(c, { vpcId, zoneId: ZONE })).length, 1);
    assert.equal(switchesOf(await V.describeVSwitches(c, { vpcId, zoneId: 'cn-hangzhou-j' })).length, 0);
  });

  it('DescribeVpcAttribute and DescribeVSwitchAttributes: one resource with its fields; NotFound 404 for unknown ids, other accounts and other regions', async () => {
    const Vpc = require('@alicloud/vpc20160428');
    const vpcAttr = (client, f) => client.describeVpcAttribute(new Vpc.DescribeVpcAttributeRequest({ regionId: REGION, ...f })).then(r => r.body);
    const swAttr = (client, f) => client.describeVSwitchAttributes(new Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, ...f })).then(r => r.body);
    const v = await vpcAttr(c, { vpcId });
    const listed = await getVpc(vpcId);
    assert.equal(v.vpcId, vpcId);
    assert.equal(v.status, 'Available');
    assert.equal(v.regionId, REGION);
    assert.equal(v.cidrBlock, listed.cidrBlock);
    assert.equal(v.vpcName, 'prod');
    assert.equal(v.description, 'launch path');
    assert.match(v.VRouterId, /^vrt-/);
    assert.equal(v.VRouterId, listed.VRouterId);
    assert.equal(v.creationTime, listed.creationTime);
    assert.deepEqual(v.vSwitchIds.vSwitchId, [vswId]);
    const s = await swAttr(c, { vSwitchId: vswId });
    assert.equal(s.vSwitchId, vswId);
    assert.equal(s.vpcId, vpcId);
    assert.equal(s.status, 'Available');
    assert.equal(s.zoneId, ZONE);
    assert.equal(s.cidrBlock, '172.16.1.0/24');
    assert.equal(s.availableIpAddressCount, 252);
    assert.equal(s.vSwitchName, 'web');
    assert.equal(s.routeTable.routeTableId, listed.routerTableIds.routerTableIds[0]);
    await expectSdkError(vpcAttr(c, { vpcId: 'vpc-nosuchvpc' }), { code: 'InvalidVpcId.NotFound', status: 404 });
    await expectSdkError(swAttr(c, { vSwitchId: 'vsw-nosuchvsw' }), { code: 'InvalidVSwitchId.NotFound', status: 404 });
    await expectSdkError(vpcAttr(c2, { vpcId }), { code: 'InvalidVpcId.NotFound', status: 404 });
    await expectSdkError(swAttr(c2, { vSwitchId: vswId }), { code: 'InvalidVSwitchId.NotFound', status: 404 });
    await expectSdkError(vpcAttr(c, { vpcId, regionId: 'cn-shanghai' }), { code: 'InvalidVpcId.NotFound', status: 404 });
    await expectSdkError(swAttr(c, { vSwitchId: vswId, regionId: 'cn-shanghai' }), { code: 'InvalidVSwitchId.NotFound', status: 404 });
  });

  it('vSwitch blocks: outside the VPC, overlapping, too big or small, malformed', async () => {
    await expectSdkError(V.createVSwitch(c, { vpcId, cidrBlock: '10.0.0.0/24' }), { code: 'InvalidParameter', status: 400, messageIncludes: 'not valid in VPC' });
    await expectSdkError(V.createVSwitch(c, { vpcId, cidrBlock: '172.16.1.128/25' }), { code: 'InvalidCidrBlock.Overlapped', status: 400 });
    await expectSdkError(V.createVSwitch(c, { vpcId, cidrBlock: '172.16.0.0/15' }), { code: 'InvalidCidrBlock.Malformed', status: 400 });
    await expectSdkError(V.createVSwitch(c, { vpcId, cidrBlock: '172.16.2.0/30' }), { code: 'InvalidCidrBlock.Malformed', status: 400 });
    await expectSdkError(V.createVSwitch(c, { vpcId, cidrBlock: '172.16.2.1/24' }), { code: 'InvalidCidrBlock.Malformed', status: 400 });
  });

  it('a zone of another region -> InvalidZoneId.NotFound; an unknown VPC -> InvalidVpcId.NotFound 404', async () => {
    await expectSdkError(V.createVSwitch(c, { vpcId, zoneId: 'cn-shanghai-b', cidrBlock: '172.16.3.0/24' }), { code: 'InvalidZoneId.NotFound', status: 404 });
    // A retired zone (cn-hangzhou-a) is no longer in the catalog either.
    await expectSdkError(V.createVSwitch(c, { vpcId, zoneId: 'cn-hangzhou-a', cidrBlock: '172.16.3.0/24' }), { code: 'InvalidZoneId.NotFound', status: 404 });
    await expectSdkError(V.createVSwitch(c, { vpcId: 'vpc-nosuch', cidrBlock: '172.16.3.0/24' }), { code: 'InvalidVpcId.NotFound', status: 404 });
  });

  it('VPC blocks: public or malformed -> InvalidCidrBlock.Malformed', async () => {
    await expectSdkError(V.createVpc(c, { cidrBlock: '8.8.0.0/16' }), { code: 'InvalidCidrBlock.Malformed', status: 400 });
    await expectSdkError(V.createVpc(c, { cidrBlock: '10.0.0.0/29' }), { code: 'InvalidCidrBlock.Malformed', status: 400 });
    await expectSdkError(V.createVpc(c, { vpcName: '1-starts-with-digit' }), { code: 'InvalidVpcName.Malformed', status: 400 });
  });

  it('a Pending VPC takes no vSwitch and cannot be deleted (IncorrectVpcStatus)', async () => {
    const fresh = (await V.createVpc(c, { cidrBlock: '192.168.0.0/16' })).vpcId;
    await expectSdkError(V.createVSwitch(c, { vpcId: fresh, cidrBlock: '192.168.1.0/24' }), { code: 'IncorrectVpcStatus', status: 400 });
    await expectSdkError(V.deleteVpc(c, { vpcId: fresh }), { code: 'IncorrectVpcStatus', status: 400 });
    await waitAvailable(() => getVpc(fresh));
    S.assertRequestIdOnly(await V.deleteVpc(c, { vpcId: fresh }));
    assert.equal(vpcsOf(await V.describeVpcs(c, { vpcId: fresh })).length, 0);
  });

  it('DryRun=true: DryRunOperation 400 and nothing happens', async () => {
    await expectSdkError(V.createVpc(c, { cidrBlock: '10.0.0.0/8', dryRun: true }), { code: 'DryRunOperation', status: 400 });
    await expectSdkError(V.deleteVSwitch(c, { vSwitchId: vswId, dryRun: true }), { code: 'DryRunOperation', status: 400 });
    assert.ok(await getSwitch(vswId));
    assert.equal((await V.describeVpcs(c)).totalCount, 1);
  });

  it('another account sees nothing and can touch nothing', async () => {
    assert.equal((await V.describeVpcs(c2)).totalCount, 0);
    assert.equal(vpcsOf(await V.describeVpcs(c2, { vpcId })).length, 0);
    await expectSdkError(V.deleteVpc(c2, { vpcId }), { code: 'InvalidVpcId.NotFound', status: 404 });
    await expectSdkError(V.deleteVSwitch(c2, { vSwitchId: vswId }), { code: 'InvalidVSwitchId.NotFound', status: 404 });
    await expectSdkError(V.createVSwitch(c2, { vpcId, cidrBlock: '172.16.9.0/24' }), { code: 'InvalidVpcId.NotFound', status: 404 });
  });

  it('paging: PageSize at most 50, TotalCount counts all', async () => {
    const ids = [];
    for (const block of ['10.0.0.0/16', '10.1.0.0/16']) ids.push((await V.createVpc(c, { cidrBlock: block })).vpcId);
    const p1 = await V.describeVpcs(c, { pageSize: 2, pageNumber: 1 });
    const p2 = await V.describeVpcs(c, { pageSize: 2, pageNumber: 2 });
    assert.equal(p1.totalCount, 3);
    assert.equal(vpcsOf(p1).length, 2);
    assert.equal(vpcsOf(p2).length, 1);
    await expectSdkError(V.describeVpcs(c, { pageSize: 51 }), { code: 'InvalidParameter', status: 400 });
    for (const id of ids) await waitAvailable(() => getVpc(id));
    for (const id of ids) S.assertRequestIdOnly(await V.deleteVpc(c, { vpcId: id }));
  });

  it('a VPC with vSwitches cannot be deleted (DependencyViolation.VSwitch); without them it can', async () => {
    await expectSdkError(V.deleteVpc(c, { vpcId }), { code: 'DependencyViolation.VSwitch', status: 400 });
    S.assertRequestIdOnly(await V.deleteVSwitch(c, { vSwitchId: vswId }));
    await expectSdkError(V.deleteVSwitch(c, { vSwitchId: vswId }), { code: 'InvalidVSwitchId.NotFound', status: 404 });
    S.assertRequestIdOnly(await V.deleteVpc(c, { vpcId }));
    assert.equal((await V.describeVpcs(c)).totalCount, 0);
  });

  it('RAM: a user allowed only vpc:Describe* lists but cannot create (Forbidden.RAM)', async () => {
    const ram = L.ramClient(env.port, root);
    const user = await L.makeUser(ram, { policies: [{ custom: L.doc(L.allow('vpc:Describe*', '*')) }] });
    const uc = vpcClient(env.port, user.key);
    assert.equal((await V.describeVpcs(uc)).totalCount, 0);
    await L.expectDenied(V.createVpc(uc), L.subUserDenied(root.AccountId, user, 'vpc:CreateVpc'));
    assert.equal((await V.describeVpcs(c)).totalCount, 0);
  });
});

'use strict';
// Terraform's alicloud provider, replayed request by request as it sends them.
//
// Source: aliyun/terraform-provider-alicloud, alicloud/resource_alicloud_simple_application_server_custom_image.go
// and service_alicloud_swas_open.go (DescribeSimpleApplicationServerCustomImage). Every call goes
// through client.RpcPost (connectivity/client.go rpcRequest) -> tea-rpc DoRequest:
//   POST to the product's regional endpoint (swas.<region>.aliyuncs.com), signature V1
//   (HMAC-SHA1); Action, Format=json, Version, Timestamp, SignatureNonce, SignatureMethod,
//   SignatureVersion, AccessKeyId and Signature in the query; the operation's parameters in an
//   application/x-www-form-urlencoded body; x-acs-action/x-acs-version headers as well.
// The resource's calls:
//   Create  CreateCustomImage {ImageName, Description?, InstanceId, RegionId, SystemSnapshotId,
//           ClientToken}, then Update at once;
//   Update  ModifyImageShareStatus {ImageId, Operation, ClientToken} -- no RegionId;
//   Read    ListImages {RegionId, ImageIds: '["<id>"]', ImageType: 'custom'}: Images[0].ImageId
//           must be the id, else the resource is gone;
//   Delete  (status Share) ModifyImageShareStatus {ImageId, Operation: UnShare, ClientToken},
//           then DeleteCustomImage {ImageId, RegionId, ClientToken}.
// It retries Throttling*, ServiceUnavailable and any "code: 5xx" (errors.go NeedRetry), with the
// same request map and so the same ClientToken.
// The region of a call without RegionId (gateway/region.h) is checked here too, with Host names
// of regional endpoints, a RegionId that wins over the Host, and a server without a default.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const L = require('./lib/server');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const N = require('./lib/vpc');
const { expectRawError } = require('./lib/expect');

const { REGION, REGION2 } = S;
const SWAS_VERSION = '2020-06-01';
const ECS_VERSION = '2014-05-26';
const TF_UA = 'AlibabaCloud (linux; amd64) Go/1.22.5 Core/0.01 TeaDSL/1 Terraform/1.9.5 terraform-provider-alicloud/1.231.0';

// common.go buildClientToken: strings.Trim only trims the ends, so the UUID keeps its dashes;
// cut to 64 characters.
function buildClientToken(action) {
  return `TF-${action}-${Math.floor(Date.now() / 1000)}-${crypto.randomUUID()}`.slice(0, 64);
}

// One tea-rpc DoRequest. `host`: the Host header (default: the address the test connects to);
// `query`: operation parameters the provider puts in the query map instead of the body.
async function teaRpc(port, key, action, body, { host, version = SWAS_VERSION, query: extra = {} } = {}) {
  const query = {
    Action: action, Format: 'json', Version: version, Timestamp: L.isoTimestamp(),
    SignatureNonce: L.newNonce(), SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    AccessKeyId: key.AccessKeyId, ...extra,
  };
  const { signature } = L.signV1({ method: 'POST', params: { ...query, ...body }, secret: key.AccessKeySecret });
  return L.rawRequest(port, {
    method: 'POST',
    path: '/?' + L.encodeQuery({ ...query, Signature: signature }),
    headers: {
      host: host || `127.0.0.1:${port}`,
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-action': action, 'x-acs-version': version, 'user-agent': TF_UA,
    },
    body: L.encodeQuery(body),
  });
}

function ok(res, what) {
  assert.equal(res.status, 200, `${what}: HTTP ${res.status} ${res.body}`);
  assert.ok(res.json && L.REQUEST_ID_RE.test(res.json.RequestId), `${what}: ${res.body}`);
  return res.json;
}

// What the provider's Read does; resolves the object it keeps, or null (NotFoundErr).
async function tfRead(port, key, id, opts) {
  const body = ok(await teaRpc(port, key, 'ListImages',
    { RegionId: REGION, ImageIds: `["${id}"]`, ImageType: 'custom' }, opts), 'Read ListImages');
  const images = body.Images;
  assert.ok(Array.isArray(images), `$.Images: ${JSON.stringify(body)}`);
  if (images.length < 1 || String(images[0].ImageId) !== id) return null;
  return images[0];
}

async function ecsSees(port, key, imageId, regionId = REGION) {
  const c = X.ecsClient(port, key);
  return Boolean(await X.describeImage(c, imageId, regionId));
}

describe('Terraform alicloud_simple_application_server_custom_image, request by request', () => {
  let env, a, instanceId, snapshotId, imageId;
  const name = `tf-testacc-swascustomimage${crypto.randomInt(10000, 99999)}`;

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    instanceId = await S.makeInstance(a);
    ({ snapshotId } = await S.makeSnapshot(a, instanceId));
  });
  after(async () => {
    if (env) { await env.server.stop(); L.removeDir(env.dataDir); }
  });

  it('Create: CreateCustomImage (RegionId sent) -> ImageId', async () => {
    const body = ok(await teaRpc(env.port, env.root, 'CreateCustomImage', {
      ImageName: name, Description: name, InstanceId: instanceId, RegionId: REGION,
      SystemSnapshotId: snapshotId, ClientToken: buildClientToken('CreateCustomImage'),
    }), 'CreateCustomImage');
    imageId = String(body.ImageId);
    assert.match(imageId, /^m-/);
  });

  it('...then Update at once: ModifyImageShareStatus Share with no RegionId succeeds while the image is created', async () => {
    ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus',
      { ImageId: imageId, Operation: 'Share', ClientToken: buildClientToken('ModifyImageShareStatus') }),
    'ModifyImageShareStatus Share');
    assert.equal((await S.getCustomImage(a, imageId)).inShare, true);
  });

  it('Read: ListImages ImageType=custom ImageIds=["id"] -> Images[0] with its name', async () => {
    const obj = await tfRead(env.port, env.root, imageId);
    assert.ok(obj, 'Read found nothing: terraform would drop the resource from its state');
    assert.equal(obj.ImageName, name);
    assert.equal(obj.ImageType, 'custom');
  });

  it('the ECS view follows: the image shows in ECS once available', async () => {
    await S.waitImageAvailable(a, imageId);
    assert.equal(await ecsSees(env.port, env.root, imageId), true);
  });

  it('a retried Update (same request, same ClientToken: NeedRetry on 5xx) answers the same', async () => {
    const req = { ImageId: imageId, Operation: 'UnShare', ClientToken: buildClientToken('ModifyImageShareStatus') };
    const first = ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus', req), 'UnShare');
    const again = ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus', req), 'UnShare retry');
    assert.notEqual(again.RequestId, first.RequestId);
    assert.equal(await ecsSees(env.port, env.root, imageId), false, 'ECS still lists an UnShared image');
  });

  it('Update status back to Share; Delete: UnShare (no RegionId), then DeleteCustomImage; Read finds nothing', async () => {
    ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus',
      { ImageId: imageId, Operation: 'Share', ClientToken: buildClientToken('ModifyImageShareStatus') }), 'Share');
    assert.equal(await ecsSees(env.port, env.root, imageId), true);
    ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus',
      { ImageId: imageId, Operation: 'UnShare', ClientToken: buildClientToken('ModifyImageShareStatus') }), 'UnShare');
    ok(await teaRpc(env.port, env.root, 'DeleteCustomImage',
      { ImageId: imageId, RegionId: REGION, ClientToken: buildClientToken('DeleteCustomImage') }), 'DeleteCustomImage');
    assert.equal(await tfRead(env.port, env.root, imageId), null);
    assert.equal(await ecsSees(env.port, env.root, imageId), false);
  });

  it('destroy of a shared image without the UnShare first is refused with CustomImageInShare (what the provider avoids)', async () => {
    const { imageId: id } = await S.makeImage(a, { instanceId });
    ok(await teaRpc(env.port, env.root, 'ModifyImageShareStatus',
      { ImageId: id, Operation: 'Share', ClientToken: buildClientToken('ModifyImageShareStatus') }), 'Share');
    expectRawError(await teaRpc(env.port, env.root, 'DeleteCustomImage',
      { ImageId: id, RegionId: REGION, ClientToken: buildClientToken('DeleteCustomImage') }),
    { code: 'CustomImageInShare', status: 400 });
  });
});

describe('Terraform alicloud_simple_application_server_disk Read: ListDisks with DiskIds flattened', () => {
  let env, a, instanceId, diskId;

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    instanceId = await S.makeInstance(a);
    diskId = (await S.systemDisk(a, instanceId)).diskId;
  });
  after(async () => {
    if (env) { await env.server.stop(); L.removeDir(env.dataDir); }
  });

  // service_alicloud_simple_application_server_v2.go puts expandSingletonToList(id), a Go
  // list, in the request map; tea-rpc flattens it to DiskIds.1=<id> (not the JSON array the
  // SDK model types), and Alibaba answers it.
  it('DiskIds.1=<id> finds the disk ($.Disks[0].DiskId)', async () => {
    const body = ok(await teaRpc(env.port, env.root, 'ListDisks', { 'DiskIds.1': diskId, RegionId: REGION }), 'ListDisks');
    assert.equal(body.Disks.length, 1, JSON.stringify(body));
    assert.equal(body.Disks[0].DiskId, diskId);
    const none = ok(await teaRpc(env.port, env.root, 'ListDisks', { 'DiskIds.1': 'd-nosuchdisk', RegionId: REGION }), 'ListDisks');
    assert.equal(none.Disks.length, 0, JSON.stringify(none));
  });
});

describe('the region of a call without RegionId', () => {
  let env, a, hzImage, shImage;

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    hzImage = (await S.makeImage(a)).imageId;
    shImage = (await S.makeImage(a, { regionId: REGION2 })).imageId;
  });
  after(async () => {
    if (env) { await env.server.stop(); L.removeDir(env.dataDir); }
  });

  const share = (imageId, opts, extra = {}) => teaRpc(env.port, env.root, 'ModifyImageShareStatus',
    { ImageId: imageId, Operation: 'Share', ClientToken: buildClientToken('ModifyImageShareStatus'), ...extra }, opts);

  it('Host swas.cn-shanghai.aliyuncs.com: the call acts in cn-shanghai', async () => {
    ok(await share(shImage, { host: 'swas.cn-shanghai.aliyuncs.com' }), 'Share via the cn-shanghai endpoint');
    assert.equal((await S.getCustomImage(a, shImage, REGION2)).inShare, true);
    expectRawError(await share(hzImage, { host: 'swas.cn-shanghai.aliyuncs.com' }),
      { code: 'InvalidImageId.NotFound', status: 404 });
  });

  it('any other Host: the default region (cn-hangzhou)', async () => {
    ok(await share(hzImage, {}), 'Share via 127.0.0.1');
    expectRawError(await share(shImage, {}), { code: 'InvalidImageId.NotFound', status: 404 });
    ok(await share(hzImage, { host: 'swas.aliyuncs.com' }), 'Share via the central endpoint');
  });

  it('a RegionId the call sends wins over the Host', async () => {
    ok(await share(hzImage, { host: 'swas.cn-shanghai.aliyuncs.com' }, { RegionId: REGION }), 'RegionId=cn-hangzhou via cn-shanghai');
    expectRawError(await share(shImage, { host: 'swas.cn-shanghai.aliyuncs.com' }, { RegionId: REGION }),
      { code: 'InvalidImageId.NotFound', status: 404 });
  });

  it('a regional Host of a region swasd does not serve -> InvalidRegionId.NotFound', async () => {
    expectRawError(await share(hzImage, { host: 'swas.xx-nowhere-1.aliyuncs.com' }),
      { code: 'InvalidRegionId.NotFound', status: 404 });
  });

  it('ECS: DescribeImages without RegionId via ecs-cn-shanghai.aliyuncs.com lists cn-shanghai\'s shared image', async () => {
    const res = ok(await teaRpc(env.port, env.root, 'DescribeImages',
      { ImageId: shImage }, { host: 'ecs-cn-shanghai.aliyuncs.com', version: ECS_VERSION }), 'DescribeImages');
    assert.equal(res.TotalCount, 1, JSON.stringify(res));
    assert.equal(res.RegionId, REGION2, JSON.stringify(res));
  });

  it('a server started with --default-region "" answers MissingParameter unless the Host names a region', async () => {
    const env2 = await S.startSwas({ args: ['--default-region', ''] });
    try {
      const c = S.swasClient(env2.port, env2.root);
      const { imageId } = await S.makeImage(c);
      expectRawError(await teaRpc(env2.port, env2.root, 'ModifyImageShareStatus',
        { ImageId: imageId, Operation: 'Share' }), { code: 'MissingParameter', status: 400 });
      ok(await teaRpc(env2.port, env2.root, 'ModifyImageShareStatus',
        { ImageId: imageId, Operation: 'Share' }, { host: 'swas.cn-hangzhou.aliyuncs.com' }), 'Share via cn-hangzhou');
    } finally {
      await env2.server.stop();
      L.removeDir(env2.dataDir);
    }
  });
});

// The ECS launch path as the provider sends it: alicloud_vpc, alicloud_vswitch,
// alicloud_security_group, alicloud_security_group_rule, alicloud_ecs_key_pair and alicloud_instance
// (resource_alicloud_*.go, service_alicloud_vpc_v2.go, service_alicloud_ecs.go), from a SWAS custom
// image shared to ECS. Every call is client.RpcPost (tea-rpc, as above) with RegionId =
// client.RegionId in the body, except alicloud_instance's Read, which still goes through the old
// alibaba-cloud-sdk-go ecs client (POST, form body, Format=JSON). What the provider builds:
//   alicloud_vpc       CreateVpc {RegionId, ClientToken, CidrBlock, VpcName}; waits for Status
//                      Available polling DescribeVpcAttribute {VpcId, RegionId};
//   alicloud_vswitch   CreateVSwitch {RegionId, ClientToken, CidrBlock, VpcId, VSwitchName, ZoneId};
//                      polls DescribeVSwitchAttributes, VSwitchId in the *query*, RegionId in the body;
//   alicloud_security_group       CreateSecurityGroup {RegionId, ClientToken, VpcId, SecurityGroupName};
//   alicloud_security_group_rule  AuthorizeSecurityGroup {RegionId, SecurityGroupId, Permissions: [map]}
//                      -> Permissions.1.IpProtocol/Policy/Priority/SourceCidrIp/PortRange (policy
//                      "accept" and priority 1 by default);
//   alicloud_ecs_key_pair  CreateKeyPair {RegionId, KeyPairName}; Read DescribeKeyPairs {KeyPairName, RegionId};
//   alicloud_instance  RunInstances {RegionId, ClientToken, InstanceType, ImageId, InstanceName,
//                      KeyPairName, DryRun, Tag.N.Key/Value (from the tags map), DataDisk: [map]
//                      (DeleteWithInstance true, Encrypted false, Size, Category cloud_efficiency by
//                      default), VSwitchId, SecurityGroupIds: [sg] -- a list, so SecurityGroupIds.1,
//                      never SecurityGroupId, once vswitch_id is set}; then polls DescribeInstances
//                      {RegionId, InstanceIds: '["id"]', AdditionalAttributes.N} until Running;
//                      its Read then DescribeDisks {RegionId, InstanceId, DiskType: system}.
// Lists and maps in the request map are flattened by tea-rpc (openapiutil.Query): Name.1.Field.
// Not replayed, because swasd does not implement them yet (NotImplemented.Swasd, which fails a
// real apply): alicloud_vpc's Read DescribeRouteTableList; alicloud_instance's Read
// DescribeUserData, DescribeInstanceMaintenanceAttributes, DescribeInstanceAttribute,
// DescribeInstanceAttachmentAttributes (DescribeNetworkInterfaces only for the NetworkInterfaces
// DescribeInstances lists, and swasd lists none).
describe('Terraform alicloud_vpc / vswitch / security_group(+rule) / ecs_key_pair / instance from a shared SWAS image, request by request', () => {
  const VPC_VERSION = '2016-04-28';
  const ZONE = 'cn-hangzhou-k';
  const TYPE = 'ecs.g6.large';
  const ECS_HOST = 'ecs-cn-hangzhou.aliyuncs.com';
  const VPC_HOST = 'vpc.cn-hangzhou.aliyuncs.com';
  let env, swas, ecs;
  const st = {};
  const need = (...keys) => { for (const k of keys) assert.ok(st[k], `no ${k} from an earlier step`); };
  const ecsRpc = (action, body, opts = {}) => teaRpc(env.port, env.root, action, body, { host: ECS_HOST, version: ECS_VERSION, ...opts });
  const vpcRpc = (action, body, opts = {}) => teaRpc(env.port, env.root, action, body, { host: VPC_HOST, version: VPC_VERSION, ...opts });

  // BuildStateConf(..., []string{"Available"}, ...) over the provider's Describe*: the object once
  // its Status is the target.
  const waitStatus = (read, target, what) => S.waitFor(async () => {
    const o = await read();
    return o.Status === target ? o : null;
  }, 15000, { what, intervalMs: 100 });

  // alicloud_instance's DescribeInstance (service_alicloud_ecs.go): the old SDK's request.
  const tfDescribeInstance = async id => {
    const body = ok(await ecsRpc('DescribeInstances', {
      RegionId: REGION, InstanceIds: JSON.stringify([id]),
      'AdditionalAttributes.1': 'META_OPTIONS', 'AdditionalAttributes.2': 'NETWORK_PRIMARY_ENI_IP',
      'AdditionalAttributes.3': 'LOGIN_AS_NON_ROOT', 'AdditionalAttributes.4': 'DISK_HIGH_DENSITY_MODE',
    }), 'DescribeInstances');
    assert.ok(body.Instances && Array.isArray(body.Instances.Instance), JSON.stringify(body));
    return body.Instances.Instance[0];
  };

  before(async () => {
    env = await X.startEcs({ args: ['--vpc-ready-ms', '200'] });
    swas = S.swasClient(env.port, env.root);
    ecs = X.ecsClient(env.port, env.root);
  });
  after(async () => {
    if (env) { await env.server.stop(); L.removeDir(env.dataDir); }
  });

  it('alicloud_vpc: CreateVpc, then DescribeVpcAttribute until Available', async () => {
    const body = ok(await vpcRpc('CreateVpc', {
      RegionId: REGION, ClientToken: buildClientToken('CreateVpc'), CidrBlock: '172.16.0.0/16', VpcName: 'tf-testacc-vpc',
    }), 'CreateVpc');
    st.vpcId = body.VpcId;
    assert.match(st.vpcId, /^vpc-/);
    const vpc = await waitStatus(async () => ok(await vpcRpc('DescribeVpcAttribute', { VpcId: st.vpcId, RegionId: REGION }), 'DescribeVpcAttribute'),
      'Available', 'VPC Available');
    assert.equal(vpc.VpcId, st.vpcId);
    assert.equal(vpc.CidrBlock, '172.16.0.0/16');
    assert.equal(vpc.VpcName, 'tf-testacc-vpc');
    assert.equal(vpc.RegionId, REGION);
    assert.deepEqual(vpc.VSwitchIds, { VSwitchId: [] });
  });

  it('alicloud_vswitch: CreateVSwitch, then DescribeVSwitchAttributes (VSwitchId in the query) until Available', async () => {
    need('vpcId');
    const body = ok(await vpcRpc('CreateVSwitch', {
      RegionId: REGION, ClientToken: buildClientToken('CreateVSwitch'), CidrBlock: '172.16.1.0/24',
      VpcId: st.vpcId, VSwitchName: 'tf-testacc-vsw', ZoneId: ZONE,
    }), 'CreateVSwitch');
    st.vSwitchId = body.VSwitchId;
    assert.match(st.vSwitchId, /^vsw-/);
    const sw = await waitStatus(async () => ok(await vpcRpc('DescribeVSwitchAttributes', { RegionId: REGION },
      { query: { VSwitchId: st.vSwitchId } }), 'DescribeVSwitchAttributes'), 'Available', 'vSwitch Available');
    assert.equal(sw.VSwitchId, st.vSwitchId);
    assert.equal(sw.VpcId, st.vpcId);
    assert.equal(sw.ZoneId, ZONE);
    assert.equal(sw.CidrBlock, '172.16.1.0/24');
    assert.equal(sw.AvailableIpAddressCount, 252);
    const vpc = ok(await vpcRpc('DescribeVpcAttribute', { VpcId: st.vpcId, RegionId: REGION }), 'DescribeVpcAttribute');
    assert.deepEqual(vpc.VSwitchIds, { VSwitchId: [st.vSwitchId] });
  });

  it('the Describe*Attribute reads of something gone or never made answer NotFound (the provider drops it)', async () => {
    expectRawError(await vpcRpc('DescribeVpcAttribute', { VpcId: 'vpc-nosuchvpc', RegionId: REGION }),
      { code: 'InvalidVpcId.NotFound', status: 404 });
    expectRawError(await vpcRpc('DescribeVSwitchAttributes', { RegionId: REGION }, { query: { VSwitchId: 'vsw-nosuchvsw' } }),
      { code: 'InvalidVSwitchId.NotFound', status: 404 });
    need('vpcId');
    // Another region's endpoint does not see them.
    expectRawError(await vpcRpc('DescribeVpcAttribute', { VpcId: st.vpcId }, { host: 'vpc.cn-shanghai.aliyuncs.com' }),
      { code: 'InvalidVpcId.NotFound', status: 404 });
  });

  it('alicloud_security_group and alicloud_security_group_rule: CreateSecurityGroup with VpcId, AuthorizeSecurityGroup Permissions.1.*', async () => {
    need('vpcId');
    const body = ok(await ecsRpc('CreateSecurityGroup', {
      RegionId: REGION, ClientToken: buildClientToken('CreateSecurityGroup'), VpcId: st.vpcId, SecurityGroupName: 'tf-testacc:sg',
    }), 'CreateSecurityGroup');
    st.sg = body.SecurityGroupId;
    assert.match(st.sg, /^sg-/);
    ok(await ecsRpc('AuthorizeSecurityGroup', {
      RegionId: REGION, SecurityGroupId: st.sg,
      'Permissions.1.IpProtocol': 'tcp', 'Permissions.1.Policy': 'accept', 'Permissions.1.Priority': '1',
      'Permissions.1.SourceCidrIp': '0.0.0.0/0', 'Permissions.1.PortRange': '22/22',
    }), 'AuthorizeSecurityGroup');
    const attr = ok(await ecsRpc('DescribeSecurityGroupAttribute', { SecurityGroupId: st.sg, RegionId: REGION }), 'DescribeSecurityGroupAttribute');
    assert.equal(attr.VpcId, st.vpcId);
    assert.equal(attr.SecurityGroupName, 'tf-testacc:sg');
    const rules = attr.Permissions.Permission;
    assert.ok(rules.some(r => r.PortRange === '22/22' && r.IpProtocol.toLowerCase() === 'tcp' && r.SourceCidrIp === '0.0.0.0/0'), JSON.stringify(rules));
    const listed = ok(await ecsRpc('DescribeSecurityGroups', { SecurityGroupId: st.sg, RegionId: REGION }), 'DescribeSecurityGroups');
    assert.equal(listed.SecurityGroups.SecurityGroup.length, 1, JSON.stringify(listed));
  });

  it('alicloud_ecs_key_pair: CreateKeyPair, Read DescribeKeyPairs {KeyPairName}', async () => {
    const body = ok(await ecsRpc('CreateKeyPair', { RegionId: REGION, KeyPairName: 'tf-testacc-key' }), 'CreateKeyPair');
    assert.equal(body.KeyPairName, 'tf-testacc-key');
    crypto.createPrivateKey(body.PrivateKeyBody);
    const read = ok(await ecsRpc('DescribeKeyPairs', { KeyPairName: 'tf-testacc-key', RegionId: REGION }), 'DescribeKeyPairs');
    assert.deepEqual(read.KeyPairs.KeyPair.map(k => k.KeyPairName), ['tf-testacc-key']);
    st.keyPair = 'tf-testacc-key';
  });

  it('a SWAS custom image shared to ECS (the image_id the configuration names)', async () => {
    st.imageId = (await X.makeSharedImage(swas, { name: 'tf-testacc-image' })).imageId;
    const read = ok(await ecsRpc('DescribeImages', { RegionId: REGION, ImageId: st.imageId }), 'DescribeImages');
    assert.equal(read.TotalCount, 1, JSON.stringify(read));
  });

  it('alicloud_instance: RunInstances with SecurityGroupIds.1, DataDisk.1.*, Tag.1.*; DescribeInstances until Running', async () => {
    need('imageId', 'vSwitchId', 'sg', 'keyPair');
    const body = ok(await ecsRpc('RunInstances', {
      RegionId: REGION, ClientToken: buildClientToken('RunInstances'), InstanceType: TYPE, ImageId: st.imageId,
      InstanceName: 'tf-testacc-instance', KeyPairName: st.keyPair, DryRun: 'false',
      'Tag.1.Key': 'Created', 'Tag.1.Value': 'tf acc',
      'DataDisk.1.DeleteWithInstance': 'true', 'DataDisk.1.Encrypted': 'false', 'DataDisk.1.Size': '40',
      'DataDisk.1.Category': 'cloud_efficiency',
      VSwitchId: st.vSwitchId, 'SecurityGroupIds.1': st.sg,
    }), 'RunInstances');
    const ids = body.InstanceIdSets.InstanceIdSet;
    assert.equal(ids.length, 1, JSON.stringify(body));
    st.instanceId = ids[0];
    await S.settle(ecs);
    const i = await waitStatus(() => tfDescribeInstance(st.instanceId), 'Running', 'instance Running');
    const ctx = JSON.stringify(i);
    assert.equal(i.InstanceType, TYPE, ctx);
    assert.equal(i.ImageId, st.imageId, ctx);
    assert.equal(i.ZoneId, ZONE, ctx);
    assert.equal(i.RegionId, REGION, ctx);
    assert.equal(i.InstanceName, 'tf-testacc-instance', ctx);
    assert.equal(i.VpcAttributes.VpcId, st.vpcId, ctx);
    assert.equal(i.VpcAttributes.VSwitchId, st.vSwitchId, ctx);
    assert.deepEqual(i.VpcAttributes.PrivateIpAddress.IpAddress, ['172.16.1.1'], ctx);
    assert.deepEqual(i.SecurityGroupIds.SecurityGroupId, [st.sg], ctx);
    assert.equal(i.KeyPairName, st.keyPair, ctx);
    assert.deepEqual(i.Tags.Tag, [{ TagKey: 'Created', TagValue: 'tf acc' }], ctx);
    // Read: DescribeEcsSystemDisk (service_alicloud_ecs.go) -- DescribeDisks {RegionId, InstanceId, DiskType: system}.
    const sys = ok(await ecsRpc('DescribeDisks', { RegionId: REGION, InstanceId: st.instanceId, DiskType: 'system' }), 'DescribeDisks');
    assert.equal(sys.Disks.Disk.length, 1, JSON.stringify(sys));
    assert.equal(sys.Disks.Disk[0].Type, 'system');
    assert.equal(sys.Disks.Disk[0].InstanceId, st.instanceId);
    const disks = X.disks(await X.E.describeDisks(ecs, { instanceId: st.instanceId }));
    const data = disks.filter(d => d.type === 'data');
    assert.equal(data.length, 1, JSON.stringify(disks));
    assert.equal(data[0].size, 40);
    assert.equal(data[0].category, 'cloud_efficiency');
    assert.equal(data[0].deleteWithInstance, true);
  });

  it('the same RunInstances without RegionId: the region comes from the Host (ecs-cn-hangzhou.aliyuncs.com)', async () => {
    need('imageId', 'vSwitchId', 'sg', 'keyPair');
    const req = {
      ClientToken: buildClientToken('RunInstances'), InstanceType: TYPE, ImageId: st.imageId,
      InstanceName: 'tf-testacc-noregion', KeyPairName: st.keyPair,
      'Tag.1.Key': 'Created', 'Tag.1.Value': 'tf acc', 'DataDisk.1.Size': '20',
      VSwitchId: st.vSwitchId, 'SecurityGroupIds.1': st.sg,
    };
    const body = ok(await ecsRpc('RunInstances', req), 'RunInstances without RegionId');
    const id = body.InstanceIdSets.InstanceIdSet[0];
    const i = await X.waitStatus(ecs, id, 'Running');
    assert.equal(i.regionId, REGION);
    assert.equal(i.vpcAttributes.vSwitchId, st.vSwitchId);
    assert.deepEqual(X.items(i, 'securityGroupIds', 'securityGroupId'), [st.sg]);
    assert.equal(i.keyPairName, st.keyPair);
    // Through another region's endpoint the image (like the vSwitch) is another region's: unknown.
    expectRawError(await ecsRpc('RunInstances', { ...req, ClientToken: buildClientToken('RunInstances') },
      { host: 'ecs-cn-shanghai.aliyuncs.com' }), { code: 'InvalidImageId.NotFound', status: 404 });
    st.second = id;
  });

  it('both SecurityGroupId and SecurityGroupIds.1 (what the provider never sends together) -> InvalidParameter.Conflict', async () => {
    need('imageId', 'vSwitchId', 'sg');
    expectRawError(await ecsRpc('RunInstances', {
      RegionId: REGION, InstanceType: TYPE, ImageId: st.imageId, VSwitchId: st.vSwitchId,
      SecurityGroupId: st.sg, 'SecurityGroupIds.1': st.sg,
    }), { code: 'InvalidParameter.Conflict', status: 400 });
  });
});

// Older V1 clients (hand-written scripts, URL builders using form encoding) send GET with spaces as
// '+'. Alibaba's V1 spec: the signature is computed over the canonical form where a space is %20,
// and the server decodes '+' in the query as a space -- so the stored value has real spaces, and a
// real plus travels as %2B.
describe('an old V1 client: GET with + for spaces, on the ECS and VPC calls', () => {
  let env, ecs, vpc, net, instanceId;

  // The request as such a client builds it: every parameter in the query, signed over %20, sent with '+'.
  async function plusGet(action, params, version) {
    const all = L.v1Params({ action, version, accessKeyId: env.root.AccessKeyId, params });
    const { signature } = L.signV1({ method: 'GET', params: all, secret: env.root.AccessKeySecret });
    const qs = L.encodeQuery({ ...all, Signature: signature }).replace(/%20/g, '+');
    return { qs, res: await L.rawRequest(env.port, { method: 'GET', path: '/?' + qs }) };
  }

  before(async () => {
    env = await X.startEcs({ args: ['--vpc-ready-ms', '100'] });
    ecs = X.ecsClient(env.port, env.root);
    vpc = N.vpcClient(env.port, env.root);
    net = await N.makeNetwork(vpc);
    const sg = (await ecs.createSecurityGroup(new X.Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: net.vpcId }))).body.securityGroupId;
    instanceId = await X.runOne(ecs, {
      imageId: await X.publicImageId(ecs), vSwitchId: net.vSwitchId, securityGroupId: sg,
      tag: [new X.Ecs.RunInstancesRequestTag({ key: 'team', value: 'blue green' })],
    });
    await X.runOne(ecs, {
      imageId: await X.publicImageId(ecs), vSwitchId: net.vSwitchId, securityGroupId: sg,
      tag: [new X.Ecs.RunInstancesRequestTag({ key: 'team', value: 'blue+green' })],
    });
  });
  after(async () => {
    if (env) { await env.server.stop(); L.removeDir(env.dataDir); }
  });

  it('VPC CreateVpc Description=a+b+c: stored as "a b c"; a real plus (%2B) stays a plus', async () => {
    const { qs, res } = await plusGet('CreateVpc', { RegionId: REGION, CidrBlock: '10.9.0.0/16', VpcName: 'plus', Description: 'a b c' }, '2016-04-28');
    assert.ok(qs.includes('Description=a+b+c'), qs);
    const id = ok(res, 'CreateVpc via GET').VpcId;
    assert.equal((await N.getVpc(vpc, id)).description, 'a b c');
    const two = await plusGet('CreateVpc', { RegionId: REGION, CidrBlock: '10.10.0.0/16', Description: 'x y+z' }, '2016-04-28');
    assert.ok(two.qs.includes('Description=x+y%2Bz'), two.qs);
    assert.equal((await N.getVpc(vpc, ok(two.res, 'CreateVpc via GET').VpcId)).description, 'x y+z');
  });

  it('ECS CreateSecurityGroup Description=web+tier: stored as "web tier"', async () => {
    const { qs, res } = await plusGet('CreateSecurityGroup', { RegionId: REGION, VpcId: net.vpcId, Description: 'web tier' }, ECS_VERSION);
    assert.ok(qs.includes('Description=web+tier'), qs);
    const id = ok(res, 'CreateSecurityGroup via GET').SecurityGroupId;
    const attr = (await ecs.describeSecurityGroupAttribute(new X.Ecs.DescribeSecurityGroupAttributeRequest({ regionId: REGION, securityGroupId: id }))).body;
    assert.equal(attr.description, 'web tier');
  });

  it('ECS DescribeInstances Tag.1.Value=blue+green matches the tag "blue green" only; %2B matches "blue+green"', async () => {
    const { qs, res } = await plusGet('DescribeInstances', { RegionId: REGION, 'Tag.1.Key': 'team', 'Tag.1.Value': 'blue green' }, ECS_VERSION);
    assert.ok(qs.includes('Tag.1.Value=blue+green'), qs);
    const found = ok(res, 'DescribeInstances via GET').Instances.Instance;
    assert.deepEqual(found.map(i => i.InstanceId), [instanceId], JSON.stringify(found));
    assert.deepEqual(found[0].Tags.Tag, [{ TagKey: 'team', TagValue: 'blue green' }]);
    const plus = await plusGet('DescribeInstances', { RegionId: REGION, 'Tag.1.Key': 'team', 'Tag.1.Value': 'blue+green' }, ECS_VERSION);
    assert.ok(plus.qs.includes('Tag.1.Value=blue%2Bgreen'), plus.qs);
    const other = ok(plus.res, 'DescribeInstances via GET').Instances.Instance;
    assert.equal(other.length, 1, JSON.stringify(other));
    assert.notEqual(other[0].InstanceId, instanceId);
    assert.deepEqual(other[0].Tags.Tag, [{ TagKey: 'team', TagValue: 'blue+green' }]);
  });

  it('a signature computed over "+" instead of %20 is refused (SignatureDoesNotMatch): the server signs the decoded value', async () => {
    const all = L.v1Params({ action: 'CreateVpc', version: '2016-04-28', accessKeyId: env.root.AccessKeyId,
      params: { RegionId: REGION, CidrBlock: '10.11.0.0/16', Description: 'a b' } });
    // Signed as if the value were the three characters "a+b".
    const { signature } = L.signV1({ method: 'GET', params: { ...all, Description: 'a+b' }, secret: env.root.AccessKeySecret });
    const qs = L.encodeQuery({ ...all, Signature: signature }).replace(/%20/g, '+');
    expectRawError(await L.rawRequest(env.port, { method: 'GET', path: '/?' + qs }), { code: 'SignatureDoesNotMatch', status: 400 });
  });
});

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

// One tea-rpc DoRequest. `host`: the Host header (default: the address the test connects to).
async function teaRpc(port, key, action, body, { host, version = SWAS_VERSION } = {}) {
  const query = {
    Action: action, Format: 'json', Version: version, Timestamp: L.isoTimestamp(),
    SignatureNonce: L.newNonce(), SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    AccessKeyId: key.AccessKeyId,
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

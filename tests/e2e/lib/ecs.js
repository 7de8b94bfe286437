'use strict';
// Fixtures for the ECS (2014-05-26) tests: a server with short SWAS and ECS transitions, the
// official ECS SDK client pointed at it, thin wrappers returning the SDK-cast body, list
// accessors that insist on the {"Xs":{"X":[…]}} wrappers, lookups and polling waits.
//
// The ECS SDK casts the wire body into camelCase models: Images.Image[] becomes
// body.images.image, InstanceIdSets.InstanceIdSet[] body.instanceIdSets.instanceIdSet, and so on.
// A bare array where a wrapper is expected turns into {} silently (other-products.md §7), so
// every list is read through items(), which fails loudly in that case.
const assert = require('node:assert/strict');
const Ecs = require('@alicloud/ecs20140526');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const { callApi } = require('./server');
const S = require('./swas');
const { REGION, REGION2, NOWHERE, WAIT_MS, READY_MS, waitFor, jsonIds } = S;

const ECS_VERSION = '2014-05-26';
const SDK_TIMEOUT_MS = 10000;

const INSTANCE_ID_RE = /^i-[0-9a-z]+$/;
const DISK_ID_RE = /^d-[0-9a-z]+$/;
const IMAGE_ID_RE = /^m-[0-9a-z]+$/;
// ECS times: the SDK examples use minutes (yyyy-MM-ddTHH:mmZ); seconds are accepted too.
const ECS_TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;
const IPV4_RE = /^\d+\.\d+\.\d+\.\d+$/;

// Valid instance types (contract) with Alibaba's published vCPU / memory (MiB).
const TYPES = {
  'ecs.g7.large': { cpu: 2, memory: 8192 },
  'ecs.c7.large': { cpu: 2, memory: 4096 },
  'ecs.t6-c1m1.large': { cpu: 2, memory: 2048 },
};
const TYPE = 'ecs.g7.large';

// Starts swasd with short SWAS and ECS transitions (or, with `clocked`, driven by S.settle()).
async function startEcs({ ready = {}, ecsReadyMs, args = [], ...rest } = {}) {
  ecsReadyMs = ecsReadyMs || (rest.clocked ? S.CLOCKED_MS : READY_MS);
  return S.startSwas({ ready, ...rest, args: ['--ecs-instance-ready-ms', String(ecsReadyMs), ...args] });
}

function ecsClient(port, key, extra = {}) {
  return new Ecs.default(new $OpenApiUtil.Config(Object.assign({
    accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret,
    endpoint: `127.0.0.1:${port}`, protocol: 'http',
    readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS,
  }, extra)));
}

// Raw PascalCase wire body of an ECS action (openapi-core callApi, no cast).
async function ecsRaw(openapiClient, action, query = {}) {
  const res = await callApi(openapiClient, action, { version: ECS_VERSION, query });
  return res.body;
}

// ------------------------------------------------------------------------------------------
// Thin SDK wrappers: plain camelCase fields in, cast body out. Region-scoped calls default to
// REGION; pass regionId: undefined explicitly to omit it.

const withRegion = f => ('regionId' in f ? f : { regionId: REGION, ...f });

const E = {
  describeRegions: (c, f = {}) => c.describeRegions(new Ecs.DescribeRegionsRequest(f)).then(r => r.body),
  describeImages: (c, f = {}) => c.describeImages(new Ecs.DescribeImagesRequest(withRegion(f))).then(r => r.body),
  runInstances: (c, f = {}) => {
    const g = withRegion({ instanceType: TYPE, ...f });
    if (g.systemDisk && !(g.systemDisk instanceof Ecs.RunInstancesRequestSystemDisk)) g.systemDisk = new Ecs.RunInstancesRequestSystemDisk(g.systemDisk);
    return c.runInstances(new Ecs.RunInstancesRequest(g)).then(r => r.body);
  },
  createInstance: (c, f = {}) => {
    const g = withRegion({ instanceType: TYPE, ...f });
    if (g.systemDisk && !(g.systemDisk instanceof Ecs.CreateInstanceRequestSystemDisk)) g.systemDisk = new Ecs.CreateInstanceRequestSystemDisk(g.systemDisk);
    return c.createInstance(new Ecs.CreateInstanceRequest(g)).then(r => r.body);
  },
  describeInstances: (c, f = {}) => c.describeInstances(new Ecs.DescribeInstancesRequest(withRegion(f))).then(r => r.body),
  startInstance: (c, f = {}) => c.startInstance(new Ecs.StartInstanceRequest(f)).then(r => r.body),
  stopInstance: (c, f = {}) => c.stopInstance(new Ecs.StopInstanceRequest(f)).then(r => r.body),
  rebootInstance: (c, f = {}) => c.rebootInstance(new Ecs.RebootInstanceRequest(f)).then(r => r.body),
  deleteInstance: (c, f = {}) => c.deleteInstance(new Ecs.DeleteInstanceRequest(f)).then(r => r.body),
  describeDisks: (c, f = {}) => c.describeDisks(new Ecs.DescribeDisksRequest(withRegion(f))).then(r => r.body),
  reInitDisk: (c, f = {}) => c.reInitDisk(new Ecs.ReInitDiskRequest(f)).then(r => r.body),
  replaceSystemDisk: (c, f = {}) => {
    const g = { ...f };
    if (g.systemDisk && !(g.systemDisk instanceof Ecs.ReplaceSystemDiskRequestSystemDisk)) g.systemDisk = new Ecs.ReplaceSystemDiskRequestSystemDisk(g.systemDisk);
    return c.replaceSystemDisk(new Ecs.ReplaceSystemDiskRequest(g)).then(r => r.body);
  },
};

// ------------------------------------------------------------------------------------------
// Lists inside wrappers

// body[outer][inner] must be an array (the SDK turns a bare array into {} and loses the items).
function items(body, outer, inner) {
  const ctx = JSON.stringify(body).slice(0, 600);
  assert.ok(body && typeof body === 'object', `no body: ${ctx}`);
  const w = body[outer];
  assert.ok(w && typeof w === 'object' && !Array.isArray(w), `${outer} is not a wrapper object (bare array or missing?): ${ctx}`);
  assert.ok(Array.isArray(w[inner]), `${outer}.${inner} is not an array: ${ctx}`);
  return w[inner];
}

const images = body => items(body, 'images', 'image');
const instances = body => items(body, 'instances', 'instance');
const disks = body => items(body, 'disks', 'disk');
const regions = body => items(body, 'regions', 'region');
const runIds = body => items(body, 'instanceIdSets', 'instanceIdSet');

// ------------------------------------------------------------------------------------------
// Lookups and waits

async function describeImage(c, imageId, regionId = REGION, extra = {}) {
  const body = await E.describeImages(c, { regionId, imageId, ...extra });
  return images(body).find(i => i.imageId === imageId);
}

// The ids of public ECS images (ImageOwnerAlias=system) in a region, Linux first.
const publicCache = new Map();
async function publicImages(c, regionId = REGION) {
  if (publicCache.has(regionId)) return publicCache.get(regionId);
  const body = await E.describeImages(c, { regionId, imageOwnerAlias: 'system', pageSize: 100 });
  const list = images(body);
  assert.ok(list.length > 0, `no public ECS image in ${regionId}: ${JSON.stringify(body).slice(0, 400)}`);
  const sorted = [...list.filter(i => i.OSType === 'linux'), ...list.filter(i => i.OSType !== 'linux')];
  publicCache.set(regionId, sorted);
  return sorted;
}

async function publicImageId(c, regionId = REGION, index = 0) {
  const list = await publicImages(c, regionId);
  assert.ok(list.length > index, `only ${list.length} public images in ${regionId}`);
  return list[index].imageId;
}

async function getInstance(c, instanceId, regionId = REGION) {
  const body = await E.describeInstances(c, { regionId, instanceIds: jsonIds([instanceId]) });
  return instances(body).find(i => i.instanceId === instanceId);
}

async function waitStatus(c, instanceId, status, regionId = REGION, timeoutMs = WAIT_MS) {
  await S.settle(c);
  return waitFor(async () => {
    const i = await getInstance(c, instanceId, regionId);
    return i && i.status === status ? i : null;
  }, timeoutMs, { what: `ECS instance ${instanceId} ${status}` });
}

async function waitGone(c, instanceId, regionId = REGION, timeoutMs = WAIT_MS) {
  await S.settle(c);
  return waitFor(async () => !(await getInstance(c, instanceId, regionId)), timeoutMs, { what: `ECS instance ${instanceId} gone` });
}

// The instance's disks (DescribeDisks InstanceId=…); exactly one system disk is asserted.
async function systemDisk(c, instanceId, regionId = REGION) {
  const body = await E.describeDisks(c, { regionId, instanceId });
  const list = disks(body).filter(d => d.instanceId === instanceId && d.type === 'system');
  assert.equal(list.length, 1, `instance ${instanceId}: expected exactly one system disk, got ${JSON.stringify(body)}`);
  return list[0];
}

async function getDisk(c, diskId, regionId = REGION) {
  const body = await E.describeDisks(c, { regionId, diskIds: jsonIds([diskId]) });
  return disks(body).find(d => d.diskId === diskId);
}

// ------------------------------------------------------------------------------------------
// Builders

// RunInstances and (unless wait is false) waits until every instance is Running.
async function run(c, { amount = 1, wait = true, regionId = REGION, ...f } = {}) {
  const body = await E.runInstances(c, { regionId, amount, ...f });
  const ids = runIds(body);
  assert.equal(ids.length, amount, `RunInstances answer: ${JSON.stringify(body)}`);
  for (const id of ids) assert.match(id, INSTANCE_ID_RE, `RunInstances answer: ${JSON.stringify(body)}`);
  if (wait) await Promise.all(ids.map(id => waitStatus(c, id, 'Running', regionId)));
  return ids;
}

async function runOne(c, f = {}) {
  return (await run(c, { ...f, amount: 1 }))[0];
}

// A Running instance, stopped and waited to Stopped.
async function stopAndWait(c, instanceId, regionId = REGION) {
  await E.stopInstance(c, { instanceId });
  return waitStatus(c, instanceId, 'Stopped', regionId);
}

// A SWAS custom image (Status "1") shared to ECS. Resolves makeImage's answer.
async function makeSharedImage(swas, opts = {}) {
  const img = await S.makeImage(swas, opts);
  await S.R.modifyImageShareStatus(swas, { regionId: opts.regionId || REGION, imageId: img.imageId, operation: 'Share' });
  return img;
}

const share = (swas, imageId, regionId = REGION) => S.R.modifyImageShareStatus(swas, { regionId, imageId, operation: 'Share' });
const unshare = (swas, imageId, regionId = REGION) => S.R.modifyImageShareStatus(swas, { regionId, imageId, operation: 'UnShare' });

module.exports = {
  Ecs, ECS_VERSION, REGION, REGION2, NOWHERE, TYPES, TYPE,
  INSTANCE_ID_RE, DISK_ID_RE, IMAGE_ID_RE, ECS_TIME_RE, IPV4_RE,
  startEcs, ecsClient, ecsRaw, E, items, images, instances, disks, regions, runIds,
  describeImage, publicImages, publicImageId, getInstance, waitStatus, waitGone, systemDisk, getDisk,
  run, runOne, stopAndWait, makeSharedImage, share, unshare,
};

'use strict';
// Fixtures for the SWAS resource tests (instances, disks, snapshots, custom images, sharing):
// a server with short asynchronous transitions, polling, thin wrappers over the official swas
// SDK, and makeImage() that builds instance -> snapshot -> custom image and waits for each.
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Swas = require('@alicloud/swas-open20200601');

const {
  startServer, swasctl, clients, makeTempDir, newRootKey, rootEnv, rawRequest, REQUEST_ID_RE,
} = require('./server');
const { assertErrorBody, brief } = require('./expect');

const REGION = 'cn-hangzhou';
const REGION2 = 'cn-shanghai';
const NOWHERE = 'xx-nowhere-1';
const PLAN_ID = 'swas.s2.c2m1s40b3t04';

const HEX32_RE = /^[0-9a-f]{32}$/;
const IMAGE_ID_RE = /^m-[0-9a-z]+$/;
const DISK_ID_RE = /^d-[0-9a-z]+$/;
const SNAPSHOT_ID_RE = /^s-[0-9a-z]+$/;
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const READY_MS = 300;
// Transitions complete after READY_MS; give them room on a loaded 2-core machine.
const WAIT_MS = 15000;

function readyArgs({ instanceMs = READY_MS, snapshotMs = READY_MS, imageMs = READY_MS } = {}) {
  return [
    '--swas-instance-ready-ms', String(instanceMs),
    '--swas-snapshot-ready-ms', String(snapshotMs),
    '--swas-image-ready-ms', String(imageMs),
  ];
}

// Root key whose AccountId stays exactly representable as a JS number (UserId is a number in
// the SDK model; 16 digits starting with 1 are < 2^53).
function newSafeRootKey() {
  const k = newRootKey();
  k.AccountId = '1' + k.AccountId.slice(1);
  return k;
}

// Test clock (swasd started with --test-clock): moves swasd's clock forward.
async function advanceClock(port, seconds) {
  const res = await rawRequest(port, { method: 'POST', path: `/_test/clock/advance?seconds=${seconds}` });
  assert.equal(res.status, 200, `clock advance: HTTP ${res.status} ${res.body}`);
  return res.json;
}

// Arguments for a server whose clock the test may advance by up to a day.
const TEST_CLOCK_ARGS = ['--test-clock', '--max-skew-seconds', '86400'];

// A clocked server (startSwas({ clocked: true })) runs on the test clock and every transition
// takes CLOCKED_MS of it: real time never completes one during a test, so an in-between state
// ("Pending", "Starting", "4", ...) asserted right after a call is always there, however slow
// the machine (sanitizers). The wait helpers below first settle(): move that server's clock past
// any transition, then poll for the end state -- a condition, not a time window.
const CLOCKED_MS = 60000;
const clockedServers = new Map();  // SDK endpoint '127.0.0.1:PORT' -> server

// Completes every transition pending on the server `c` (an SDK client) talks to, if that server
// is clocked; a no-op otherwise.
async function settle(c) {
  const server = clockedServers.get(c && c._endpoint);
  if (server && server.proc.exitCode === null && server.proc.signalCode === null) {
    server.clockOffsetMs = (await advanceClock(server.port, CLOCKED_MS / 1000 + 1)).OffsetMs;
  }
}

// Starts swasd with short transitions (or, with `clocked`, transitions driven by settle()).
// A clocked server restarted on a data dir passes the last one's server.clockOffsetMs as
// `clockOffsetMs`: swasd's clock starts again at real time, the stored transitions do not.
// Resolves {server, dataDir, root, port}.
async function startSwas({ dataDir, root, ready = {}, args = [], clocked = false, clockOffsetMs = 0 } = {}) {
  dataDir = dataDir || makeTempDir();
  root = root || newSafeRootKey();
  if (clocked) {
    ready = { instanceMs: CLOCKED_MS, snapshotMs: CLOCKED_MS, imageMs: CLOCKED_MS, ...ready };
    args = [...TEST_CLOCK_ARGS, ...args];
  }
  const server = await startServer({ env: rootEnv(root), dataDir, args: [...readyArgs(ready), ...args] });
  if (clocked) {
    clockedServers.set(`127.0.0.1:${server.port}`, server);
    server.clockOffsetMs = 0;
    if (clockOffsetMs > 0) {
      server.clockOffsetMs = (await advanceClock(server.port, Math.ceil(clockOffsetMs / 1000))).OffsetMs;
    }
  }
  return { server, dataDir, root, port: server.port };
}

// A tenant: {AccountId, AccessKeyId, AccessKeySecret} from swasctl account create.
function createAccount(dataDir, name) {
  const a = swasctl(['account', 'create', '--name', name], dataDir);
  assert.equal(typeof a, 'object', `swasctl account create: ${JSON.stringify(a)}`);
  return a;
}

function swasClient(port, key, extra) {
  return clients.swas(port, key.AccessKeyId, key.AccessKeySecret, extra);
}

function popClient(port, key) {
  return clients.pop(port, key.AccessKeyId, key.AccessKeySecret);
}

function newToken() {
  return crypto.randomUUID();
}

// Polls fn every `intervalMs` until it returns a truthy value; resolves that value. On timeout
// it fails with `what` and the last value (or the last error) seen.
async function waitFor(fn, timeoutMs = WAIT_MS, { intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last, lastErr;
  for (;;) {
    try {
      last = await fn();
      lastErr = undefined;
      if (last) return last;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() >= deadline) {
      const detail = lastErr ? `last error: ${lastErr && (lastErr.stack || lastErr.message)}` : `last value: ${JSON.stringify(last)}`;
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; ${detail}`);
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
}

// ------------------------------------------------------------------------------------------
// Thin SDK wrappers. Every one takes a swas client and plain camelCase fields, returns body.

const R = {
  listPlans: (c, f = {}) => c.listPlans(new Swas.ListPlansRequest({ regionId: REGION, ...f })).then(r => r.body),
  listImages: (c, f = {}) => c.listImages(new Swas.ListImagesRequest({ regionId: REGION, ...f })).then(r => r.body),
  createInstances: (c, f = {}) => c.createInstances(new Swas.CreateInstancesRequest({ regionId: REGION, planId: PLAN_ID, period: 1, ...f })).then(r => r.body),
  listInstances: (c, f = {}) => c.listInstances(new Swas.ListInstancesRequest({ regionId: REGION, ...f })).then(r => r.body),
  listInstanceStatus: (c, f = {}) => c.listInstanceStatus(new Swas.ListInstanceStatusRequest({ regionId: REGION, ...f })).then(r => r.body),
  stopInstance: (c, f = {}) => c.stopInstance(new Swas.StopInstanceRequest({ regionId: REGION, ...f })).then(r => r.body),
  startInstance: (c, f = {}) => c.startInstance(new Swas.StartInstanceRequest({ regionId: REGION, ...f })).then(r => r.body),
  rebootInstance: (c, f = {}) => c.rebootInstance(new Swas.RebootInstanceRequest({ regionId: REGION, ...f })).then(r => r.body),
  updateInstanceAttribute: (c, f = {}) => c.updateInstanceAttribute(new Swas.UpdateInstanceAttributeRequest({ regionId: REGION, ...f })).then(r => r.body),
  listDisks: (c, f = {}) => c.listDisks(new Swas.ListDisksRequest({ regionId: REGION, ...f })).then(r => r.body),
  createSnapshot: (c, f = {}) => c.createSnapshot(new Swas.CreateSnapshotRequest({ regionId: REGION, ...f })).then(r => r.body),
  listSnapshots: (c, f = {}) => c.listSnapshots(new Swas.ListSnapshotsRequest({ regionId: REGION, ...f })).then(r => r.body),
  deleteSnapshot: (c, f = {}) => c.deleteSnapshot(new Swas.DeleteSnapshotRequest({ regionId: REGION, ...f })).then(r => r.body),
  createCustomImage: (c, f = {}) => c.createCustomImage(new Swas.CreateCustomImageRequest({ regionId: REGION, ...f })).then(r => r.body),
  listCustomImages: (c, f = {}) => c.listCustomImages(new Swas.ListCustomImagesRequest({ regionId: REGION, ...f })).then(r => r.body),
  deleteCustomImage: (c, f = {}) => c.deleteCustomImage(new Swas.DeleteCustomImageRequest({ regionId: REGION, ...f })).then(r => r.body),
  deleteCustomImages: (c, f = {}) => c.deleteCustomImages(new Swas.DeleteCustomImagesRequest({ regionId: REGION, ...f })).then(r => r.body),
  modifyImageShareStatus: (c, f = {}) => c.modifyImageShareStatus(new Swas.ModifyImageShareStatusRequest({ regionId: REGION, ...f })).then(r => r.body),
};

// ID-list filters are JSON-array strings (README §3).
const jsonIds = ids => JSON.stringify(ids);

// ------------------------------------------------------------------------------------------
// Lookups

// A Linux system image id in the region (32 hex).
const imageCache = new Map();
async function systemImageId(c, regionId = REGION) {
  const key = `${c._endpoint}/${regionId}`;
  if (imageCache.has(key)) return imageCache.get(key);
  const body = await R.listImages(c, { regionId, imageType: 'system' });
  const imgs = body.images || [];
  const img = imgs.find(i => i.platform === 'Linux') || imgs[0];
  assert.ok(img, `no system image in ${regionId}: ${JSON.stringify(body)}`);
  imageCache.set(key, img.imageId);
  return img.imageId;
}

async function getInstance(c, instanceId, regionId = REGION) {
  const body = await R.listInstances(c, { regionId, instanceIds: jsonIds([instanceId]) });
  return (body.instances || []).find(i => i.instanceId === instanceId);
}

async function getSnapshot(c, snapshotId, regionId = REGION) {
  const body = await R.listSnapshots(c, { regionId, snapshotIds: jsonIds([snapshotId]) });
  return (body.snapshots || []).find(s => s.snapshotId === snapshotId);
}

async function getCustomImage(c, imageId, regionId = REGION) {
  const body = await R.listCustomImages(c, { regionId, imageIds: jsonIds([imageId]) });
  return (body.customImages || []).find(i => i.imageId === imageId);
}

async function systemDisk(c, instanceId, regionId = REGION) {
  const body = await R.listDisks(c, { regionId, instanceId });
  const sys = (body.disks || []).filter(d => d.diskType === 'System' && d.instanceId === instanceId);
  assert.equal(sys.length, 1, `instance ${instanceId}: expected exactly one System disk, got ${JSON.stringify(body.disks)}`);
  return sys[0];
}

// ------------------------------------------------------------------------------------------
// Waits

async function waitInstanceStatus(c, instanceId, status, regionId = REGION, timeoutMs = WAIT_MS) {
  await settle(c);
  return waitFor(async () => {
    const i = await getInstance(c, instanceId, regionId);
    return i && i.status === status ? i : null;
  }, timeoutMs, { what: `instance ${instanceId} ${status}` });
}

async function waitSnapshotAccomplished(c, snapshotId, regionId = REGION, timeoutMs = WAIT_MS) {
  await settle(c);
  return waitFor(async () => {
    const s = await getSnapshot(c, snapshotId, regionId);
    return s && s.status === 'Accomplished' ? s : null;
  }, timeoutMs, { what: `snapshot ${snapshotId} Accomplished` });
}

async function waitImageAvailable(c, imageId, regionId = REGION, timeoutMs = WAIT_MS) {
  await settle(c);
  return waitFor(async () => {
    const i = await getCustomImage(c, imageId, regionId);
    return i && i.status === '1' ? i : null;
  }, timeoutMs, { what: `custom image ${imageId} Status "1"` });
}

// ------------------------------------------------------------------------------------------
// Builders

// Creates `amount` instances (default 1) and, unless wait is false, waits until all are Running.
async function makeInstances(c, { regionId = REGION, amount = 1, wait = true, planId = PLAN_ID, imageId } = {}) {
  imageId = imageId || await systemImageId(c, regionId);
  const body = await R.createInstances(c, { regionId, planId, imageId, amount, period: 1 });
  assert.ok(Array.isArray(body.instanceIds), `CreateInstances answer: ${JSON.stringify(body)}`);
  assert.equal(body.instanceIds.length, amount, `CreateInstances answer: ${JSON.stringify(body)}`);
  if (wait) await Promise.all(body.instanceIds.map(id => waitInstanceStatus(c, id, 'Running', regionId)));
  return body.instanceIds;
}

async function makeInstance(c, opts = {}) {
  return (await makeInstances(c, { ...opts, amount: 1 }))[0];
}

// A system-disk snapshot of instanceId, waited to Accomplished unless wait is false.
async function makeSnapshot(c, instanceId, { regionId = REGION, name, wait = true } = {}) {
  const disk = await systemDisk(c, instanceId, regionId);
  const body = await R.createSnapshot(c, { regionId, diskId: disk.diskId, snapshotName: name || `snap-${newToken().slice(0, 8)}` });
  assert.match(String(body.snapshotId), SNAPSHOT_ID_RE, `CreateSnapshot answer: ${JSON.stringify(body)}`);
  if (wait) await waitSnapshotAccomplished(c, body.snapshotId, regionId);
  return { snapshotId: body.snapshotId, diskId: disk.diskId };
}

// instance (new unless given) -> system snapshot -> custom image; waits for Status "1" unless
// wait is false. Resolves {instanceId, diskId, snapshotId, imageId, name}.
async function makeImage(c, { regionId = REGION, instanceId, name, description, wait = true } = {}) {
  instanceId = instanceId || await makeInstance(c, { regionId });
  const { snapshotId, diskId } = await makeSnapshot(c, instanceId, { regionId });
  name = name || `img-${newToken().slice(0, 12)}`;
  const body = await R.createCustomImage(c, {
    regionId, instanceId, systemSnapshotId: snapshotId, imageName: name, description,
  });
  assert.match(String(body.imageId), IMAGE_ID_RE, `CreateCustomImage answer: ${JSON.stringify(body)}`);
  if (wait) await waitImageAvailable(c, body.imageId, regionId);
  return { instanceId, diskId, snapshotId, imageId: body.imageId, name };
}

// For rules the contract states only as "4xx": any ClientError with a well-formed error body,
// optionally restricted to `statuses`. Resolves the error.
async function expectSdkClientError(promiseOrFn, { statuses = [400, 403, 404, 409], notCode } = {}) {
  let result;
  try {
    result = await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    const ctx = `got ${brief(e)}`;
    assert.equal(e.name, 'ClientError', `error class (${ctx})`);
    assert.ok(statuses.includes(e.statusCode), `HTTP status should be one of ${statuses.join('/')} (${ctx})`);
    assertErrorBody(e.data, undefined, `error body (${ctx})`);
    if (notCode) assert.notEqual(e.code, notCode, ctx);
    return e;
  }
  assert.fail(`expected a 4xx error, but the call succeeded: ${JSON.stringify(result)}`);
}

function assertRequestIdOnly(body, what = 'answer') {
  const plain = JSON.parse(JSON.stringify(body));
  assert.deepEqual(Object.keys(plain).filter(k => plain[k] !== undefined), ['requestId'], `${what}: ${JSON.stringify(plain)}`);
  assert.match(plain.requestId, REQUEST_ID_RE, `${what}: requestId`);
}

module.exports = {
  Swas, REGION, REGION2, NOWHERE, PLAN_ID, READY_MS, WAIT_MS, CLOCKED_MS, TEST_CLOCK_ARGS,
  advanceClock, settle,
  HEX32_RE, IMAGE_ID_RE, DISK_ID_RE, SNAPSHOT_ID_RE, TIME_RE,
  readyArgs, newSafeRootKey, startSwas, createAccount, swasClient, popClient, newToken, waitFor, jsonIds, R,
  systemImageId, getInstance, getSnapshot, getCustomImage, systemDisk,
  waitInstanceStatus, waitSnapshotAccomplished, waitImageAvailable,
  makeInstances, makeInstance, makeSnapshot, makeImage, assertRequestIdOnly, expectSdkClientError,
};

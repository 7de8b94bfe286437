'use strict';
// Disks, snapshots and plan changes through the official swas SDK (issue 14): DeleteSnapshots,
// UpdateSnapshotAttribute, UpdateDiskAttribute, ResetDisk (Stopped only, Resetting -> Stopped,
// RollbackTime), UpgradeInstance (bigger plans only, Upgrading -> Running), RenewInstance
// (ExpiredTime moves), UpdateInstanceAttribute's Password rules, firewall rules (as Terraform calls
// them), each documented error code,
// and RAM (a user without a policy is refused; one allowed on the action gets through).
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, v1Params, buildV1Request, rawRequest } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { Swas, REGION, REGION2, PLAN_ID, jsonIds } = S;

const call = (method, Req) => (c, f = {}) => c[method](new Swas[Req]({ regionId: REGION, ...f })).then(r => r.body);
const D = {
  deleteSnapshots: call('deleteSnapshots', 'DeleteSnapshotsRequest'),
  updateSnapshotAttribute: call('updateSnapshotAttribute', 'UpdateSnapshotAttributeRequest'),
  updateDiskAttribute: call('updateDiskAttribute', 'UpdateDiskAttributeRequest'),
  resetDisk: call('resetDisk', 'ResetDiskRequest'),
  upgradeInstance: call('upgradeInstance', 'UpgradeInstanceRequest'),
  renewInstance: call('renewInstance', 'RenewInstanceRequest'),
  listFirewallRules: call('listFirewallRules', 'ListFirewallRulesRequest'),
  createFirewallRule: call('createFirewallRule', 'CreateFirewallRuleRequest'),
  deleteFirewallRule: call('deleteFirewallRule', 'DeleteFirewallRuleRequest'),
};

const E = {
  snapshot: { code: 'InvalidSnapshotId.NotFound', status: 404 },
  disk: { code: 'InvalidDiskId.NotFound', status: 404 },
  instance: { code: 'InvalidInstanceId.NotFound', status: 404 },
  plan: { code: 'InvalidPlanId.NotFound', status: 404 },
  createdImage: { code: 'SnapshotCreatedImage', status: 403 },
  resetStatus: { code: 'IncorrectInstanceStatus.ResetDisk', status: 403 },
  mismatch: { code: 'InvalidParameter.Mismatch', status: 403 },
  snapshotStatus: { code: 'IncorrectSnapshotStatus', status: 400 },
  status: { code: 'IncorrectInstanceStatus', status: 403 },
  smallerPlan: { code: 'InvalidPlanIdUpgrade.ValueNotSupported', status: 400 },
  password: { code: 'InvalidPassword.ValueNotSupported', status: 400 },
  missing: { code: 'MissingParameter', status: 400 },
  invalid: { code: 'InvalidParameter', status: 400 },
  protocol: { code: 'InvalidProtocol.ValueNotSupported', status: 400 },
  port: { code: 'InvalidPort.ValueNotSupported', status: 400 },
  ruleExists: { code: 'FirewallRuleAlreadyExist', status: 403 },
  rule: { code: 'InvalidFirewallRuleId.NotFound', status: 404 },
};
const BIGGER_PLAN = 'swas.s2.c2m4s60b5t10';
const BIGGEST_PLAN = 'swas.s2.c8m16s160b10t30';
const SMALLER_PLAN = 'swas.s2.c2m2s40b3t08';
const MONTH_MS = 30 * 86400 * 1000;

let env, a, b, ram;

before(async () => {
  env = await S.startSwas({ clocked: true });
  a = S.swasClient(env.port, env.root);
  b = S.swasClient(env.port, S.createAccount(env.dataDir, 'other'));
  ram = L.ramClient(env.port, env.root);
});

after(async () => {
  if (env) { await env.server.stop(); removeDir(env.dataDir); }
});

async function stopped(c, instanceId) {
  await S.R.stopInstance(c, { instanceId });
  return S.waitInstanceStatus(c, instanceId, 'Stopped');
}

// ==========================================================================================
describe('snapshots', () => {
  it('UpdateSnapshotAttribute sets Remark as ListSnapshots shows it; unknown/other account -> 404', async () => {
    const inst = await S.makeInstance(a);
    const { snapshotId } = await S.makeSnapshot(a, inst);
    assert.equal((await S.getSnapshot(a, snapshotId)).remark, '');
    S.assertRequestIdOnly(await D.updateSnapshotAttribute(a, { snapshotId, remark: 'before the upgrade' }));
    assert.equal((await S.getSnapshot(a, snapshotId)).remark, 'before the upgrade');
    await D.updateSnapshotAttribute(a, { snapshotId, remark: '' });
    assert.equal((await S.getSnapshot(a, snapshotId)).remark, '');
    await expectSdkError(D.updateSnapshotAttribute(a, { snapshotId: 's-nope0000000000000000', remark: 'x' }), E.snapshot);
    await expectSdkError(D.updateSnapshotAttribute(b, { snapshotId, remark: 'x' }), E.snapshot);
    await expectSdkError(D.updateSnapshotAttribute(a, { snapshotId, regionId: REGION2, remark: 'x' }), E.snapshot);
    await expectSdkError(D.updateSnapshotAttribute(a, { remark: 'x' }), E.missing);
    await expectSdkError(D.updateSnapshotAttribute(a, { snapshotId, remark: 'x'.repeat(257) }), E.invalid);
  });

  it('DeleteSnapshots deletes all or none: unknown -> 404, one an image was made from -> SnapshotCreatedImage', async () => {
    const img = await S.makeImage(a);
    await S.waitInstanceStatus(a, img.instanceId, 'Running');
    const free = (await S.makeSnapshot(a, img.instanceId)).snapshotId;
    await expectSdkError(D.deleteSnapshots(a, { snapshotIds: jsonIds([free, 's-nope0000000000000000']) }), E.snapshot);
    await expectSdkError(D.deleteSnapshots(a, { snapshotIds: jsonIds([free, img.snapshotId]) }), E.createdImage);
    await expectSdkError(D.deleteSnapshots(b, { snapshotIds: jsonIds([free]) }), E.snapshot);
    assert.ok(await S.getSnapshot(a, free), 'a refused DeleteSnapshots deleted a snapshot');
    // The single DeleteSnapshot answers the same for the image's snapshot.
    await expectSdkError(S.R.deleteSnapshot(a, { snapshotId: img.snapshotId }), E.createdImage);
    S.assertRequestIdOnly(await D.deleteSnapshots(a, { snapshotIds: jsonIds([free]) }));
    assert.equal(await S.getSnapshot(a, free), undefined);
    assert.ok(await S.getSnapshot(a, img.snapshotId));
    // After the image is gone its snapshot can go too.
    await S.R.deleteCustomImage(a, { imageId: img.imageId });
    await D.deleteSnapshots(a, { snapshotIds: jsonIds([img.snapshotId]) });
    assert.equal(await S.getSnapshot(a, img.snapshotId), undefined);
    await expectSdkError(D.deleteSnapshots(a, {}), E.missing);
    const tooMany = Array.from({ length: 101 }, (_, i) => `s-${String(i).padStart(20, '0')}`);
    await expectSdkError(D.deleteSnapshots(a, { snapshotIds: jsonIds(tooMany) }), E.invalid);
  });
});

// ==========================================================================================
describe('disks', () => {
  it('UpdateDiskAttribute sets Remark as ListDisks shows it; unknown/other account -> 404', async () => {
    const inst = await S.makeInstance(a);
    const disk = await S.systemDisk(a, inst);
    assert.equal(disk.remark, '');
    S.assertRequestIdOnly(await D.updateDiskAttribute(a, { diskId: disk.diskId, remark: 'root' }));
    assert.equal((await S.systemDisk(a, inst)).remark, 'root');
    await expectSdkError(D.updateDiskAttribute(a, { diskId: 'd-nope0000000000000000', remark: 'x' }), E.disk);
    await expectSdkError(D.updateDiskAttribute(b, { diskId: disk.diskId, remark: 'x' }), E.disk);
    await expectSdkError(D.updateDiskAttribute(a, { remark: 'x' }), E.missing);
  });

  it('ResetDisk: Running -> IncorrectInstanceStatus.ResetDisk; Stopped -> Resetting -> Stopped, RollbackTime set', async () => {
    const inst = await S.makeInstance(a);
    const { snapshotId, diskId } = await S.makeSnapshot(a, inst);
    assert.equal((await S.getSnapshot(a, snapshotId)).rollbackTime, '');
    await expectSdkError(D.resetDisk(a, { diskId, snapshotId }), E.resetStatus);
    await stopped(a, inst);
    S.assertRequestIdOnly(await D.resetDisk(a, { diskId, snapshotId }));
    assert.equal((await S.getInstance(a, inst)).status, 'Resetting');
    await expectSdkError(S.R.startInstance(a, { instanceId: inst }), E.status);
    const snap = await S.getSnapshot(a, snapshotId);
    assert.match(snap.rollbackTime, S.TIME_RE);
    await S.waitInstanceStatus(a, inst, 'Stopped');
  });

  it('ResetDisk errors: unknown disk/snapshot, a snapshot of another disk, one not finished, another account', async () => {
    const [one, two] = await S.makeInstances(a, { amount: 2 });
    const s1 = await S.makeSnapshot(a, one);
    const disk2 = (await S.systemDisk(a, two)).diskId;
    await stopped(a, one);
    await stopped(a, two);
    await expectSdkError(D.resetDisk(a, { diskId: 'd-nope0000000000000000', snapshotId: s1.snapshotId }), E.disk);
    await expectSdkError(D.resetDisk(a, { diskId: s1.diskId, snapshotId: 's-nope0000000000000000' }), E.snapshot);
    await expectSdkError(D.resetDisk(a, { diskId: disk2, snapshotId: s1.snapshotId }), E.mismatch);
    await expectSdkError(D.resetDisk(b, { diskId: s1.diskId, snapshotId: s1.snapshotId }), E.disk);
    const fresh = await S.makeSnapshot(a, one, { wait: false });
    await expectSdkError(D.resetDisk(a, { diskId: s1.diskId, snapshotId: fresh.snapshotId }), E.snapshotStatus);
    await expectSdkError(D.resetDisk(a, { diskId: s1.diskId }), E.missing);
    assert.equal((await S.getInstance(a, one)).status, 'Stopped');
  });
});

// ==========================================================================================
describe('instances', () => {
  it('UpgradeInstance: a bigger plan -> Upgrading -> Running with the new plan and disk size', async () => {
    const inst = await S.makeInstance(a);
    S.assertRequestIdOnly(await D.upgradeInstance(a, { instanceId: inst, planId: BIGGER_PLAN }));
    const during = await S.getInstance(a, inst);
    assert.equal(during.status, 'Upgrading');
    assert.equal(during.planId, BIGGER_PLAN);
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst, planId: BIGGEST_PLAN }), E.status);
    const done = await S.waitInstanceStatus(a, inst, 'Running');
    assert.equal(done.resourceSpec.diskSize, 60);
    assert.equal((await S.systemDisk(a, inst)).size, 60);
  });

  it('UpgradeInstance errors: same or smaller plan, unknown plan/instance, another account; a Stopped server ends Running', async () => {
    const inst = await S.makeInstance(a, { planId: BIGGER_PLAN });
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst, planId: BIGGER_PLAN }), E.smallerPlan);
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst, planId: SMALLER_PLAN }), E.smallerPlan);
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst, planId: PLAN_ID }), E.smallerPlan);
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst, planId: 'swas.nope' }), E.plan);
    await expectSdkError(D.upgradeInstance(a, { instanceId: 'f'.repeat(32), planId: BIGGEST_PLAN }), E.instance);
    await expectSdkError(D.upgradeInstance(b, { instanceId: inst, planId: BIGGEST_PLAN }), E.instance);
    await expectSdkError(D.upgradeInstance(a, { instanceId: inst }), E.missing);
    await stopped(a, inst);
    await D.upgradeInstance(a, { instanceId: inst, planId: BIGGEST_PLAN });
    const done = await S.waitInstanceStatus(a, inst, 'Running');
    assert.equal(done.planId, BIGGEST_PLAN);
  });

  it('RenewInstance moves ExpiredTime by Period months; bad Period -> InvalidParameter', async () => {
    const inst = await S.makeInstance(a);
    const before = Date.parse((await S.getInstance(a, inst)).expiredTime);
    S.assertRequestIdOnly(await D.renewInstance(a, { instanceId: inst, period: 3 }));
    const after = Date.parse((await S.getInstance(a, inst)).expiredTime);
    assert.equal(after - before, 3 * MONTH_MS);
    await expectSdkError(D.renewInstance(a, { instanceId: inst, period: 2 }), E.invalid);
    await expectSdkError(D.renewInstance(a, { instanceId: inst }), E.missing);
    await expectSdkError(D.renewInstance(b, { instanceId: inst, period: 1 }), E.instance);
  });

  it('UpdateInstanceAttribute Password: documented rules, else InvalidPassword.ValueNotSupported; never echoed', async () => {
    const inst = await S.makeInstance(a);
    S.assertRequestIdOnly(await S.R.updateInstanceAttribute(a, { instanceId: inst, password: 'Test123!' }));
    for (const bad of ['Tt1!', 'abcdefgh12', 'Test 1234!', 'Ab1!'.repeat(8)]) {
      await expectSdkError(S.R.updateInstanceAttribute(a, { instanceId: inst, password: bad }),
        bad.length > 30 ? E.invalid : E.password);
    }
    // A refused password leaves the name alone too (one transaction).
    await expectSdkError(S.R.updateInstanceAttribute(a, { instanceId: inst, instanceName: 'renamed', password: 'weakweak' }), E.password);
    const got = await S.getInstance(a, inst);
    assert.notEqual(got.instanceName, 'renamed');
    assert.ok(!JSON.stringify(got).includes('Test123!'));
    await D.upgradeInstance(a, { instanceId: inst, planId: BIGGER_PLAN });
    await expectSdkError(S.R.updateInstanceAttribute(a, { instanceId: inst, password: 'Test123!' }), E.status);
  });
});

// ==========================================================================================
describe('firewall rules', () => {
  it('a server starts with TCP 22/80/443; Create (Terraform\'s "Tcp"), List, Delete as Terraform calls them', async () => {
    const inst = await S.makeInstance(a);
    const first = await D.listFirewallRules(a, { instanceId: inst, pageNumber: 1, pageSize: 10 });
    assert.deepEqual(first.firewallRules.map(r => [r.port, r.ruleProtocol]), [['22', 'TCP'], ['80', 'TCP'], ['443', 'TCP']]);
    assert.equal(first.totalCount, 3);
    const made = await D.createFirewallRule(a, { instanceId: inst, port: '3306', ruleProtocol: 'Tcp', remark: 'mysql', clientToken: S.newToken() });
    assert.match(made.firewallId, S.HEX32_RE);
    const got = await D.listFirewallRules(a, { instanceId: inst, firewallRuleId: made.firewallId });
    assert.deepEqual(JSON.parse(JSON.stringify(got.firewallRules)),
      [{ ruleId: made.firewallId, port: '3306', ruleProtocol: 'TCP', remark: 'mysql', policy: 'accept', sourceCidrIp: '0.0.0.0/0', tags: [] }]);
    await D.createFirewallRule(a, { instanceId: inst, port: '1024/1055', ruleProtocol: 'TcpAndUdp' });
    await expectSdkError(D.createFirewallRule(a, { instanceId: inst, port: '3306', ruleProtocol: 'TCP' }), E.ruleExists);
    await expectSdkError(D.createFirewallRule(a, { instanceId: inst, port: '3306', ruleProtocol: 'ICMPX' }), E.protocol);
    await expectSdkError(D.createFirewallRule(a, { instanceId: inst, port: '70000', ruleProtocol: 'UDP' }), E.port);
    await expectSdkError(D.createFirewallRule(b, { instanceId: inst, port: '8080', ruleProtocol: 'UDP' }), E.instance);
    await expectSdkError(D.createFirewallRule(a, { instanceId: inst, ruleProtocol: 'UDP' }), E.missing);
    assert.equal((await D.listFirewallRules(a, { instanceId: inst })).totalCount, 5);
    S.assertRequestIdOnly(await D.deleteFirewallRule(a, { instanceId: inst, ruleId: made.firewallId, clientToken: S.newToken() }));
    await expectSdkError(D.deleteFirewallRule(a, { instanceId: inst, ruleId: made.firewallId }), E.rule);
    assert.equal((await D.listFirewallRules(a, { instanceId: inst, firewallRuleId: made.firewallId })).firewallRules.length, 0);
    await expectSdkError(D.listFirewallRules(b, { instanceId: inst }), E.instance);
  });
});

// ==========================================================================================
// Terraform's alicloud_simple_application_server_instance / _firewall_rule / _snapshot / _disk
// requests as the provider sends them (tea-rpc: V1 HMAC-SHA1, POST, every parameter in the form
// body; UpgradeInstance and UpdateInstanceAttribute without ClientToken; RuleProtocol "Tcp").
describe('Terraform SWAS resources, replayed as tea-rpc sends them', () => {
  const tf = async (action, params) => {
    const key = env.root;
    const req = buildV1Request({ method: 'POST', secret: key.AccessKeySecret,
      params: v1Params({ action, accessKeyId: key.AccessKeyId, params: { RegionId: REGION, ...params } }) });
    const res = await rawRequest(env.port, req);
    assert.equal(res.status, 200, `${action}: HTTP ${res.status} ${res.body}`);
    return res.json;
  };
  const token = () => S.newToken();
  // The provider's refresh: ListInstances with InstanceIds as a JSON array, until the status.
  const waitStatus = async (id, status) => {
    await S.settle(a);
    return S.waitFor(async () => {
      const body = await tf('ListInstances', { InstanceIds: `["${id}"]` });
      const inst = body.Instances[0];
      return inst && inst.InstanceId === id && inst.Status === status ? inst : null;
    }, S.WAIT_MS, { what: `${id} ${status}` });
  };

  it('instance: create, name + password, plan upgrade, stop/start; firewall rule, snapshot, disk remark', async () => {
    const imageId = await S.systemImageId(a);
    const created = await tf('CreateInstances', { Amount: 1, ImageId: imageId, Period: 1, PlanId: PLAN_ID, ClientToken: token() });
    const id = created.InstanceIds[0];
    await waitStatus(id, 'Running');
    // Update right after Create: name and password, no ClientToken; then it waits for Running.
    await tf('UpdateInstanceAttribute', { InstanceId: id, InstanceName: 'tf-server', Password: 'Tf-Passw0rd' });
    let inst = await waitStatus(id, 'Running');
    assert.equal(inst.InstanceName, 'tf-server');
    // plan_id changes: UpgradeInstance without ClientToken, then the wait for Running.
    await tf('UpgradeInstance', { InstanceId: id, PlanId: BIGGER_PLAN });
    inst = await waitStatus(id, 'Running');
    assert.equal(inst.PlanId, BIGGER_PLAN);
    // status = "Stopped", then "Running".
    await tf('StopInstance', { InstanceId: id, ClientToken: token() });
    await waitStatus(id, 'Stopped');
    await tf('StartInstance', { InstanceId: id, ClientToken: token() });
    await waitStatus(id, 'Running');

    // Firewall rule: Create with the schema's spelling, Read by paging 10 at a time, Delete.
    const fw = await tf('CreateFirewallRule', { InstanceId: id, Port: '8080', Remark: 'web', RuleProtocol: 'Tcp', ClientToken: token() });
    const page = await tf('ListFirewallRules', { InstanceId: id, PageNumber: 1, PageSize: 10 });
    const rule = page.FirewallRules.find(r => r.RuleId === fw.FirewallId);
    assert.deepEqual([rule.Port, rule.RuleProtocol, rule.Remark], ['8080', 'TCP', 'web']);
    await tf('DeleteFirewallRule', { InstanceId: id, RuleId: fw.FirewallId, ClientToken: token() });
    const after = await tf('ListFirewallRules', { InstanceId: id, PageNumber: 1, PageSize: 10 });
    assert.ok(!after.FirewallRules.some(r => r.RuleId === fw.FirewallId));

    // Snapshot: Create, wait, Read by SnapshotIds, Delete; disk remark.
    const disk = await S.systemDisk(a, id);
    const snap = await tf('CreateSnapshot', { DiskId: disk.diskId, SnapshotName: 'tf-snap', ClientToken: token() });
    await S.waitSnapshotAccomplished(a, snap.SnapshotId);
    const listed = await tf('ListSnapshots', { SnapshotIds: `["${snap.SnapshotId}"]` });
    assert.deepEqual([listed.Snapshots[0].SourceDiskId, listed.Snapshots[0].SnapshotName], [disk.diskId, 'tf-snap']);
    await tf('DeleteSnapshot', { SnapshotId: snap.SnapshotId, ClientToken: token() });
    await tf('UpdateDiskAttribute', { DiskId: disk.diskId, Remark: 'tf-remark', ClientToken: token() });
    assert.equal((await S.systemDisk(a, id)).remark, 'tf-remark');
  });
});

// ==========================================================================================
describe('RAM', () => {
  it('a RAM user without a policy gets Forbidden.RAM on each operation; one allowed on it gets through', async () => {
    const inst = await S.makeInstance(a);
    const { snapshotId, diskId } = await S.makeSnapshot(a, inst);
    const none = await L.makeUser(ram, { policies: [] });
    const c = L.swasClient(env.port, none.key);
    const denied = action => ({ action: `swas-open:${action}`, principalType: 'SubUser' });
    await L.expectDenied(D.deleteSnapshots(c, { snapshotIds: jsonIds([snapshotId]) }), denied('DeleteSnapshots'));
    await L.expectDenied(D.updateSnapshotAttribute(c, { snapshotId, remark: 'x' }), denied('UpdateSnapshotAttribute'));
    await L.expectDenied(D.updateDiskAttribute(c, { diskId, remark: 'x' }), denied('UpdateDiskAttribute'));
    await L.expectDenied(D.resetDisk(c, { diskId, snapshotId }), denied('ResetDisk'));
    await L.expectDenied(D.upgradeInstance(c, { instanceId: inst, planId: BIGGER_PLAN }), denied('UpgradeInstance'));
    await L.expectDenied(D.renewInstance(c, { instanceId: inst, period: 1 }), denied('RenewInstance'));
    await L.expectDenied(D.listFirewallRules(c, { instanceId: inst }), denied('ListFirewallRules'));
    await L.expectDenied(D.createFirewallRule(c, { instanceId: inst, port: '8080', ruleProtocol: 'TCP' }), denied('CreateFirewallRule'));
    await L.expectDenied(D.deleteFirewallRule(c, { instanceId: inst, ruleId: 'f'.repeat(32) }), denied('DeleteFirewallRule'));
    assert.ok(await S.getSnapshot(a, snapshotId));

    const acct = env.root.AccountId;
    const some = await L.makeUser(ram, { policies: [{ custom: L.doc(
      L.allow('swas-open:UpdateSnapshotAttribute', `acs:swas-open:${REGION}:${acct}:snapshot/${snapshotId}`),
      L.allow('swas-open:UpgradeInstance', `acs:swas-open:${REGION}:${acct}:instance/${inst}`),
      L.allow('swas-open:RenewInstance', '*'),
      L.deny('swas-open:RenewInstance', `acs:swas-open:${REGION}:${acct}:instance/${inst}`),
    ) }] });
    const d = L.swasClient(env.port, some.key);
    await D.updateSnapshotAttribute(d, { snapshotId, remark: 'by a RAM user' });
    assert.equal((await S.getSnapshot(a, snapshotId)).remark, 'by a RAM user');
    await D.upgradeInstance(d, { instanceId: inst, planId: BIGGER_PLAN });
    await L.expectDenied(D.renewInstance(d, { instanceId: inst, period: 1 }),
      { ...denied('RenewInstance'), noPermissionType: 'ExplicitDeny' });
  });
});

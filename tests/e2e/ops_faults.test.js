'use strict';
// Fault injection (docs/operations.md, "Fault injection"): with --enable-fault-injection the
// operator's root account sets rules through swasd's admin product (Version 2026-12-01:
// SetFaultRule, ListFaultRules, DeleteFaultRule); a matching call answers the injected error
// (InternalError 500, ServiceUnavailable 503 through the SWAS SDK) and the faulted write leaves
// nothing behind (the image's share status, the audit trail); rules are scoped by product, action
// and account; RAM users, STS sessions and other accounts' roots are refused; without the flag
// every admin call answers Forbidden.FaultInjectionDisabled. A rule's DelayMs holds the answers
// of matching calls (after their work), so a client's timeouts and retries can be tested.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Swas = require('@alicloud/swas-open20200601');
const Util = require('@alicloud/tea-util');

const { removeDir, clients, callApi } = require('./lib/server');
const { expectSdkError, expectThrottled } = require('./lib/expect');
const S = require('./lib/swas');
const RL = require('./lib/ram');

const ADMIN_VERSION = '2026-12-01';
const admin = (c, action, query = {}) => callApi(c, action, { version: ADMIN_VERSION, query }).then(r => r.body);
const share = (c, imageId, operation) => S.R.modifyImageShareStatus(c, { imageId, operation });
const trailEvents = async (port, key, eventName) => {
  const pop = clients.pop(port, key.AccessKeyId, key.AccessKeySecret, '2020-07-06');
  const body = await pop.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': eventName }, { method: 'POST' });
  return body.Events;
};

describe('fault injection', () => {
  let env, a, root, imageId, other;

  before(async () => {
    env = await S.startSwas({ args: ['--enable-fault-injection'] });
    a = S.swasClient(env.port, env.root);
    root = RL.openapiClient(env.port, env.root);
    ({ imageId } = await S.makeImage(a));
    other = S.createAccount(env.dataDir, 'other');
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('injects the rule\'s error before the write, which leaves nothing behind', async () => {
    const set = await admin(root, 'SetFaultRule', {
      ProductCode: 'swas-open', ActionName: 'ModifyImageShareStatus', Errors: 'InternalError=100',
    });
    assert.match(set.RuleId, /^fr-[0-9a-z]+$/);
    const listed = (await admin(root, 'ListFaultRules')).FaultRules;
    assert.equal(listed.length, 1);
    assert.deepEqual({ ...listed[0], CreationTime: undefined }, {
      RuleId: set.RuleId, ProductCode: 'swas-open', ActionName: 'ModifyImageShareStatus',
      AccountId: '*', Errors: 'InternalError=100', DelayMs: 0, CreationTime: undefined,
    });
    assert.match(listed[0].CreationTime, S.TIME_RE);

    await expectSdkError(share(a, imageId, 'Share'), { code: 'InternalError', status: 500 });
    assert.equal((await S.getCustomImage(a, imageId)).inShare, false, 'the faulted Share changed the image');
    assert.deepEqual(await trailEvents(env.port, env.root, 'ModifyImageShareStatus'), [], 'the faulted Share is on record');
    // Other actions of the product are untouched.
    await S.R.listCustomImages(a);

    // Replacing the rule by id: now ServiceUnavailable.
    await admin(root, 'SetFaultRule', { RuleId: set.RuleId, ProductCode: 'swas-open', ActionName: 'ModifyImageShareStatus', Errors: 'ServiceUnavailable=100' });
    await expectSdkError(share(a, imageId, 'Share'), { code: 'ServiceUnavailable', status: 503 });
    assert.equal((await S.getCustomImage(a, imageId)).inShare, false);

    // Deleted: the call goes through.
    assert.ok((await admin(root, 'DeleteFaultRule', { RuleId: set.RuleId })).RequestId);
    assert.deepEqual((await admin(root, 'ListFaultRules')).FaultRules, []);
    await share(a, imageId, 'Share');
    assert.equal((await S.getCustomImage(a, imageId)).inShare, true);
    await share(a, imageId, 'UnShare');
  });

  it('scopes rules by account and product; 0 % never fires', async () => {
    const { RuleId } = await admin(root, 'SetFaultRule', { AccountId: other.AccountId, Errors: 'Throttling.User=100' });
    await share(a, imageId, 'Share');  // another account's rule
    const e = await expectThrottled(S.R.listCustomImages(S.swasClient(env.port, other)));
    assert.equal(e.data.Message, 'Request was denied due to user flow control.');
    await admin(root, 'DeleteFaultRule', { RuleId });

    const ecsOnly = await admin(root, 'SetFaultRule', { ProductCode: 'ecs', Errors: 'InternalError=100' });
    await share(a, imageId, 'UnShare');
    await admin(root, 'DeleteFaultRule', { RuleId: ecsOnly.RuleId });

    const never = await admin(root, 'SetFaultRule', { Errors: 'InternalError=0' });
    for (let i = 0; i < 5; i++) await S.R.listCustomImages(a);
    await admin(root, 'DeleteFaultRule', { RuleId: never.RuleId });
  });

  it('a delay holds the answer after the work: a client that times out retries with its ClientToken', async () => {
    const { RuleId } = await admin(root, 'SetFaultRule', {
      ProductCode: 'swas-open', ActionName: 'ModifyImageShareStatus', DelayMs: 600,
    });
    const [rule] = (await admin(root, 'ListFaultRules')).FaultRules;
    assert.equal(rule.DelayMs, 600);
    assert.equal(rule.Errors, '');
    const events = async () => (await trailEvents(env.port, env.root, 'ModifyImageShareStatus')).length;
    const before = await events();

    // The answer comes no sooner than the delay.
    let t0 = Date.now();
    await share(a, imageId, 'Share');
    assert.ok(Date.now() - t0 >= 600, `answered after ${Date.now() - t0} ms`);
    await share(a, imageId, 'UnShare');

    // A client giving up after 100 ms: its Share was done (and committed) before the answer
    // was held, so the image is shared although the client saw a timeout.
    const token = crypto.randomUUID();
    const request = () => new Swas.ModifyImageShareStatusRequest({
      regionId: S.REGION, imageId, operation: 'Share', clientToken: token,
    });
    await assert.rejects(
      a.modifyImageShareStatusWithOptions(request(), new Util.RuntimeOptions({ readTimeout: 100, connectTimeout: 5000 })),
      err => /timeout/i.test(`${err.name} ${err.message} ${err.code}`));
    assert.equal((await S.getCustomImage(a, imageId)).inShare, true);
    await admin(root, 'DeleteFaultRule', { RuleId });
    // Its retry with the same ClientToken gets the first call's answer without doing it again.
    assert.ok((await a.modifyImageShareStatus(request())).body.requestId);
    assert.equal(await events(), before + 3, 'Share, UnShare, the timed-out Share: the retry is not a new event');
    await share(a, imageId, 'UnShare');
  });

  it('checks rules: codes, percents, unknown ids', async () => {
    for (const Errors of ['NoSuchError=5', 'InternalError=101', 'InternalError=60,ServiceUnavailable=50', 'InternalError']) {
      await expectSdkError(admin(root, 'SetFaultRule', { Errors }), { code: 'InvalidParameter', status: 400 });
    }
    await expectSdkError(admin(root, 'SetFaultRule', {}), { code: 'MissingParameter', status: 400 });
    await expectSdkError(admin(root, 'SetFaultRule', { DelayMs: 60001 }), { code: 'InvalidParameter', status: 400 });
    await expectSdkError(admin(root, 'DeleteFaultRule', { RuleId: 'fr-nope' }), { code: 'InvalidRuleId.NotFound', status: 404 });
    await expectSdkError(admin(root, 'SetFaultRule', { RuleId: 'fr-nope', Errors: 'InternalError=1' }), { code: 'InvalidRuleId.NotFound', status: 404 });
  });

  it('refuses RAM users, STS sessions and other accounts\' roots', async () => {
    const ram = RL.ramClient(env.port, env.root);
    const user = await RL.makeUser(ram, { policies: ['AdministratorAccess'] });
    const role = await RL.makeRole(ram, env.root.AccountId, { policies: ['AdministratorAccess'] });
    const session = await RL.assume(RL.stsClient(env.port, env.root), role.arn);
    for (const key of [user.key, session.key, other]) {
      const c = RL.openapiClient(env.port, key);
      for (const [action, query] of [['SetFaultRule', { Errors: 'InternalError=100' }], ['ListFaultRules', {}], ['DeleteFaultRule', { RuleId: 'fr-x' }]]) {
        await expectSdkError(admin(c, action, query), { code: 'Forbidden', status: 403 });
      }
    }
    assert.deepEqual((await admin(root, 'ListFaultRules')).FaultRules, []);
  });
});

describe('fault injection off (the default)', () => {
  it('answers Forbidden.FaultInjectionDisabled to every admin call, even the root\'s', async () => {
    const env = await S.startSwas();
    try {
      const root = RL.openapiClient(env.port, env.root);
      for (const [action, query] of [['SetFaultRule', { Errors: 'InternalError=100' }], ['ListFaultRules', {}], ['DeleteFaultRule', { RuleId: 'fr-x' }]]) {
        await expectSdkError(admin(root, action, query), { code: 'Forbidden.FaultInjectionDisabled', status: 403 });
      }
    } finally {
      await env.server.stop();
      removeDir(env.dataDir);
    }
  });
});

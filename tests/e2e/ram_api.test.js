'use strict';
// Every RAM (2015-05-01) and STS (2015-04-01) operation swasd serves, through the official
// @alicloud/ram20150501 and @alicloud/sts20150401 SDKs as the account's root: answers (wrapper
// objects, PolicyDocument as a JSON string, IsTruncated/Marker paging with MaxItems=1), effects,
// and every error (EntityNotExist.* 404, EntityAlreadyExists.* 409, DeleteConflict.* 409,
// LimitExceeded.* 409, MalformedPolicyDocument / InvalidParameter.PolicyDocument.InvalidValue 400,
// STS NoPermission 403, EntityNotExist.Role 404, InvalidParameter.RoleArn / DurationSeconds 400).
// Raw wire bodies are checked with openapi-core's callApi where the SDK cast would hide a shape.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, REQUEST_ID_RE } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const L = require('./lib/ram');
const { RAM, STS, allow, deny, doc, TIME_RE, NUMERIC_ID_RE } = L;

const E404 = code => ({ code, status: 404 });
const E409 = code => ({ code, status: 409 });
const E400 = code => ({ code, status: 400 });

const SIMPLE_DOC = doc(allow('swas-open:List*', '*'));
const SHARE_DOC = doc(allow('swas-open:ModifyImageShareStatus', '*'));
const OTHER_ACCOUNT = '1999999999999999';

// Walks ListUsers / ListPolicies with MaxItems=1 and Marker. Checks every page and returns all
// items. `list(marker)` resolves a cast body; `outer`/`inner` name the wrapper.
async function walkPages(list, outer, inner, what) {
  const all = [];
  let marker;
  for (let page = 0; page < 1000; page++) {
    const body = await list(marker);
    const got = L.items(body, outer, inner);
    const ctx = `${what} page ${page}: ${JSON.stringify(body)}`;
    assert.equal(typeof body.isTruncated, 'boolean', `IsTruncated missing: ${ctx}`);
    assert.ok(got.length <= 1, `MaxItems=1 returned ${got.length} items: ${ctx}`);
    all.push(...got);
    if (!body.isTruncated) return all;
    assert.equal(got.length, 1, `a truncated page without its item: ${ctx}`);
    assert.ok(typeof body.marker === 'string' && body.marker.length > 0, `truncated page without Marker: ${ctx}`);
    assert.notEqual(body.marker, marker, `Marker did not move: ${ctx}`);
    marker = body.marker;
  }
  assert.fail(`${what}: more than 1000 pages`);
}

describe('RAM and STS API (root of the account)', () => {
  let env, acct, ram, sts, raw;

  before(async () => {
    env = await S.startSwas();
    acct = env.root.AccountId;
    ram = L.ramClient(env.port, env.root);
    sts = L.stsClient(env.port, env.root);
    raw = L.openapiClient(env.port, env.root);
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  // ----------------------------------------------------------------------------------------
  describe('users', () => {
    it('CreateUser -> {User:{UserId, UserName, DisplayName, MobilePhone, Email, Comments, CreateDate}}', async () => {
      const f = { userName: L.uniq('alice'), displayName: 'Alice A.', mobilePhone: '86-18600008888', email: 'alice@example.com', comments: 'first user' };
      const body = await RAM.createUser(ram, f);
      assert.match(body.requestId, REQUEST_ID_RE);
      const u = body.user;
      assert.ok(u, JSON.stringify(body));
      assert.equal(u.userName, f.userName);
      assert.equal(u.displayName, f.displayName);
      assert.equal(u.mobilePhone, f.mobilePhone);
      assert.equal(u.email, f.email);
      assert.equal(u.comments, f.comments);
      assert.match(u.userId, NUMERIC_ID_RE, JSON.stringify(u));
      assert.notEqual(u.userId, acct, 'UserId equals the AccountId');
      assert.match(u.createDate, TIME_RE, JSON.stringify(u));
      assert.ok(Math.abs(Date.parse(u.createDate) - Date.now()) < 120e3, `CreateDate ${u.createDate} is not now`);
      // The wire object is an object named User, not a list.
      const wire = await L.ramRaw(raw, 'GetUser', { UserName: f.userName });
      assert.ok(wire.User && typeof wire.User === 'object' && !Array.isArray(wire.User), JSON.stringify(wire));
    });

    it('GetUser -> the same fields (+ UpdateDate); UserId stable', async () => {
      const name = L.uniq('bob');
      const c = (await RAM.createUser(ram, { userName: name, displayName: 'Bob', email: 'bob@example.com' })).user;
      const u = (await RAM.getUser(ram, { userName: name })).user;
      assert.equal(u.userName, name);
      assert.equal(u.userId, c.userId);
      assert.equal(u.displayName, 'Bob');
      assert.equal(u.email, 'bob@example.com');
      assert.equal(u.createDate, c.createDate);
      if (u.updateDate !== undefined && u.updateDate !== '') assert.match(u.updateDate, TIME_RE);
    });

    it('CreateUser with a taken name -> 409 EntityAlreadyExists.User; the first is unchanged', async () => {
      const name = L.uniq('dup');
      const first = (await RAM.createUser(ram, { userName: name, displayName: 'one' })).user;
      await expectSdkError(RAM.createUser(ram, { userName: name, displayName: 'two' }), E409('EntityAlreadyExists.User'));
      const u = (await RAM.getUser(ram, { userName: name })).user;
      assert.equal(u.userId, first.userId);
      assert.equal(u.displayName, 'one');
    });

    it('GetUser / DeleteUser of an unknown user -> 404 EntityNotExist.User', async () => {
      await expectSdkError(RAM.getUser(ram, { userName: 'no-such-user' }), E404('EntityNotExist.User'));
      await expectSdkError(RAM.deleteUser(ram, { userName: 'no-such-user' }), E404('EntityNotExist.User'));
    });

    it('CreateUser with an invalid UserName (space, 65 characters) -> 400', async () => {
      await S.expectSdkClientError(RAM.createUser(ram, { userName: 'bad name' }), { statuses: [400] });
      await S.expectSdkClientError(RAM.createUser(ram, { userName: 'u'.repeat(65) }), { statuses: [400] });
      await S.expectSdkClientError(RAM.createUser(ram, {}), { statuses: [400] });
    });

    describe('ListUsers', () => {
      let names;
      let env2, ram2;
      before(async () => {
        // A second account, so the listing holds exactly the users made here.
        env2 = S.createAccount(env.dataDir, 'list-users');
        ram2 = L.ramClient(env.port, env2);
        names = [L.uniq('l1'), L.uniq('l2'), L.uniq('l3')];
        for (const n of names) await RAM.createUser(ram2, { userName: n, displayName: `D-${n}` });
      });

      it('no paging parameters: every user, IsTruncated false, wrapper Users.User', async () => {
        const body = await RAM.listUsers(ram2);
        assert.equal(body.isTruncated, false, JSON.stringify(body));
        const users = L.items(body, 'users', 'user');
        assert.deepEqual(users.map(u => u.userName).sort(), [...names].sort());
        for (const u of users) {
          assert.match(u.userId, NUMERIC_ID_RE, JSON.stringify(u));
          assert.equal(u.displayName, `D-${u.userName}`);
          assert.match(u.createDate, TIME_RE, JSON.stringify(u));
        }
        const wire = await L.ramRaw(L.openapiClient(env.port, env2), 'ListUsers', {});
        assert.equal(wire.IsTruncated, false, `IsTruncated is not the boolean false: ${JSON.stringify(wire)}`);
        assert.ok(Array.isArray(wire.Users && wire.Users.User), `Users.User is not an array: ${JSON.stringify(wire)}`);
      });

      it('MaxItems=1: one user per page, IsTruncated true + Marker until the last, each user once', async () => {
        const all = await walkPages(marker => RAM.listUsers(ram2, { maxItems: 1, marker }), 'users', 'user', 'ListUsers');
        assert.deepEqual(all.map(u => u.userName).sort(), [...names].sort());
      });

      it('MaxItems=2: two pages (2 + 1)', async () => {
        const p1 = await RAM.listUsers(ram2, { maxItems: 2 });
        assert.equal(p1.isTruncated, true, JSON.stringify(p1));
        assert.equal(L.items(p1, 'users', 'user').length, 2);
        const p2 = await RAM.listUsers(ram2, { maxItems: 2, marker: p1.marker });
        assert.equal(p2.isTruncated, false, JSON.stringify(p2));
        const got = [...L.items(p1, 'users', 'user'), ...L.items(p2, 'users', 'user')].map(u => u.userName).sort();
        assert.deepEqual(got, [...names].sort());
      });

      it('MaxItems 0 or 1001 -> 400', async () => {
        await S.expectSdkClientError(RAM.listUsers(ram2, { maxItems: 0 }), { statuses: [400] });
        await S.expectSdkClientError(RAM.listUsers(ram2, { maxItems: 1001 }), { statuses: [400] });
      });
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('AccessKeys', () => {
    let user;
    before(async () => {
      user = L.uniq('keys');
      await RAM.createUser(ram, { userName: user });
    });

    it('CreateAccessKey -> {AccessKey:{AccessKeyId, AccessKeySecret, Status Active, CreateDate}}; the key signs as the user', async () => {
      const body = await RAM.createAccessKey(ram, { userName: user });
      const k = body.accessKey;
      assert.ok(k, JSON.stringify(body));
      assert.equal(typeof k.accessKeyId, 'string');
      assert.ok(k.accessKeyId.length >= 16, JSON.stringify(k));
      assert.equal(typeof k.accessKeySecret, 'string');
      assert.ok(k.accessKeySecret.length >= 16, JSON.stringify(k));
      assert.equal(k.status, 'Active');
      assert.match(k.createDate, TIME_RE);
      const who = await STS.getCallerIdentity(L.stsClient(env.port, { AccessKeyId: k.accessKeyId, AccessKeySecret: k.accessKeySecret }));
      assert.equal(who.identityType, 'RAMUser', JSON.stringify(who));
      assert.equal(who.arn, `acs:ram::${acct}:user/${user}`);
    });

    it('a second key is allowed; a third -> 409 LimitExceeded.User.AccessKey', async () => {
      await RAM.createAccessKey(ram, { userName: user });
      await expectSdkError(RAM.createAccessKey(ram, { userName: user }), E409('LimitExceeded.User.AccessKey'));
      assert.equal(L.items(await RAM.listAccessKeys(ram, { userName: user }), 'accessKeys', 'accessKey').length, 2);
    });

    it('ListAccessKeys -> {AccessKeys:{AccessKey:[{AccessKeyId, Status, CreateDate}]}}, never a secret', async () => {
      const keys = L.items(await RAM.listAccessKeys(ram, { userName: user }), 'accessKeys', 'accessKey');
      assert.equal(keys.length, 2);
      for (const k of keys) {
        assert.equal(k.status, 'Active');
        assert.match(k.createDate, TIME_RE);
      }
      const wire = await L.ramRaw(raw, 'ListAccessKeys', { UserName: user });
      const list = wire.AccessKeys && wire.AccessKeys.AccessKey;
      assert.ok(Array.isArray(list) && list.length === 2, JSON.stringify(wire));
      for (const k of list) assert.deepEqual(Object.keys(k).sort(), ['AccessKeyId', 'CreateDate', 'Status'], `key entry: ${JSON.stringify(k)}`);
      assert.ok(!JSON.stringify(wire).includes('Secret'), `a secret in ListAccessKeys: ${JSON.stringify(wire)}`);
    });

    it('UpdateAccessKey Inactive / Active shows in ListAccessKeys; an invalid Status -> 400', async () => {
      const keys = L.items(await RAM.listAccessKeys(ram, { userName: user }), 'accessKeys', 'accessKey');
      const id = keys[0].accessKeyId;
      L.assertRequestIdOnly(await RAM.updateAccessKey(ram, { userName: user, userAccessKeyId: id, status: 'Inactive' }));
      let now = L.items(await RAM.listAccessKeys(ram, { userName: user }), 'accessKeys', 'accessKey');
      assert.equal(now.find(k => k.accessKeyId === id).status, 'Inactive');
      assert.equal(now.find(k => k.accessKeyId !== id).status, 'Active');
      L.assertRequestIdOnly(await RAM.updateAccessKey(ram, { userName: user, userAccessKeyId: id, status: 'Active' }));
      now = L.items(await RAM.listAccessKeys(ram, { userName: user }), 'accessKeys', 'accessKey');
      assert.equal(now.find(k => k.accessKeyId === id).status, 'Active');
      await S.expectSdkClientError(RAM.updateAccessKey(ram, { userName: user, userAccessKeyId: id, status: 'Disabled' }), { statuses: [400] });
    });

    it('unknown user -> 404 EntityNotExist.User (Create/List/Update/DeleteAccessKey); unknown key -> 404', async () => {
      const nf = E404('EntityNotExist.User');
      await expectSdkError(RAM.createAccessKey(ram, { userName: 'no-such-user' }), nf);
      await expectSdkError(RAM.listAccessKeys(ram, { userName: 'no-such-user' }), nf);
      await expectSdkError(RAM.updateAccessKey(ram, { userName: 'no-such-user', userAccessKeyId: 'LTAIxxxxxxxxxxxxxxxx', status: 'Active' }), nf);
      await expectSdkError(RAM.deleteAccessKey(ram, { userName: 'no-such-user', userAccessKeyId: 'LTAIxxxxxxxxxxxxxxxx' }), nf);
      await S.expectSdkClientError(RAM.deleteAccessKey(ram, { userName: user, userAccessKeyId: 'LTAInosuchkey0000000' }), { statuses: [404] });
      await S.expectSdkClientError(RAM.updateAccessKey(ram, { userName: user, userAccessKeyId: 'LTAInosuchkey0000000', status: 'Inactive' }), { statuses: [404] });
    });

    it("another user's key cannot be updated or deleted through this user -> 404", async () => {
      const other = await L.makeUser(ram);
      await S.expectSdkClientError(RAM.updateAccessKey(ram, { userName: user, userAccessKeyId: other.key.AccessKeyId, status: 'Inactive' }), { statuses: [404] });
      await S.expectSdkClientError(RAM.deleteAccessKey(ram, { userName: user, userAccessKeyId: other.key.AccessKeyId }), { statuses: [404] });
      const keys = L.items(await RAM.listAccessKeys(ram, { userName: other.userName }), 'accessKeys', 'accessKey');
      assert.deepEqual(keys.map(k => [k.accessKeyId, k.status]), [[other.key.AccessKeyId, 'Active']]);
    });

    it('DeleteAccessKey removes it: gone from the list, the key no longer authenticates (404 InvalidAccessKeyId.NotFound)', async () => {
      const u = await L.makeUser(ram);
      L.assertRequestIdOnly(await RAM.deleteAccessKey(ram, { userName: u.userName, userAccessKeyId: u.key.AccessKeyId }));
      assert.deepEqual(L.items(await RAM.listAccessKeys(ram, { userName: u.userName }), 'accessKeys', 'accessKey'), []);
      await expectSdkError(STS.getCallerIdentity(L.stsClient(env.port, u.key)), E404('InvalidAccessKeyId.NotFound'));
      // After a delete, two can be created again.
      await RAM.createAccessKey(ram, { userName: u.userName });
      await RAM.createAccessKey(ram, { userName: u.userName });
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('DeleteUser', () => {
    it('refused while the user has keys (409 DeleteConflict.User.AccessKey), then while policies are attached (409 DeleteConflict.User.Policy); then deleted', async () => {
      const u = await L.makeUser(ram, { policies: ['AliyunSWASReadOnlyAccess'] });
      await expectSdkError(RAM.deleteUser(ram, { userName: u.userName }), E409('DeleteConflict.User.AccessKey'));
      await RAM.deleteAccessKey(ram, { userName: u.userName, userAccessKeyId: u.key.AccessKeyId });
      await expectSdkError(RAM.deleteUser(ram, { userName: u.userName }), E409('DeleteConflict.User.Policy'));
      assert.equal((await RAM.getUser(ram, { userName: u.userName })).user.userName, u.userName, 'user deleted by a refused DeleteUser');
      await RAM.detachPolicyFromUser(ram, { userName: u.userName, policyName: 'AliyunSWASReadOnlyAccess', policyType: 'System' });
      L.assertRequestIdOnly(await RAM.deleteUser(ram, { userName: u.userName }));
      await expectSdkError(RAM.getUser(ram, { userName: u.userName }), E404('EntityNotExist.User'));
      assert.ok(!L.items(await RAM.listUsers(ram), 'users', 'user').some(x => x.userName === u.userName));
      // The name is free again.
      await RAM.createUser(ram, { userName: u.userName });
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('policies', () => {
    it('CreatePolicy -> {Policy:{PolicyName, PolicyType Custom, DefaultVersion v1, Description, CreateDate}}', async () => {
      const name = L.uniq('pol');
      const body = await RAM.createPolicy(ram, { policyName: name, policyDocument: SIMPLE_DOC, description: 'list all' });
      const p = body.policy;
      assert.ok(p, JSON.stringify(body));
      assert.equal(p.policyName, name);
      assert.equal(p.policyType, 'Custom');
      assert.equal(p.defaultVersion, 'v1');
      assert.equal(p.description, 'list all');
      assert.match(p.createDate, TIME_RE);
    });

    it('CreatePolicy with a taken name -> 409 EntityAlreadyExists.Policy; also a system policy name', async () => {
      const name = await L.makePolicy(ram, SIMPLE_DOC);
      await expectSdkError(RAM.createPolicy(ram, { policyName: name, policyDocument: SHARE_DOC }), E409('EntityAlreadyExists.Policy'));
      await expectSdkError(RAM.createPolicy(ram, { policyName: 'AliyunSWASFullAccess', policyDocument: SHARE_DOC }), E409('EntityAlreadyExists.Policy'));
      L.assertSameDocument((await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' })).defaultPolicyVersion.policyDocument, SIMPLE_DOC);
    });

    it('GetPolicy -> Policy{…, PolicyDocument, AttachmentCount} and DefaultPolicyVersion{VersionId, IsDefaultVersion, PolicyDocument, CreateDate}; documents are JSON strings on the wire', async () => {
      const name = await L.makePolicy(ram, SHARE_DOC, { description: 'share' });
      const body = await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' });
      const p = body.policy;
      assert.equal(p.policyName, name);
      assert.equal(p.policyType, 'Custom');
      assert.equal(p.defaultVersion, 'v1');
      assert.equal(p.description, 'share');
      assert.equal(p.attachmentCount, 0);
      assert.match(p.createDate, TIME_RE);
      L.assertSameDocument(p.policyDocument, SHARE_DOC, 'Policy.PolicyDocument');
      const v = body.defaultPolicyVersion;
      assert.ok(v, JSON.stringify(body));
      assert.equal(v.versionId, 'v1');
      assert.equal(v.isDefaultVersion, true);
      assert.match(v.createDate, TIME_RE);
      L.assertSameDocument(v.policyDocument, SHARE_DOC, 'DefaultPolicyVersion.PolicyDocument');
      const wire = await L.ramRaw(raw, 'GetPolicy', { PolicyName: name, PolicyType: 'Custom' });
      assert.equal(typeof wire.DefaultPolicyVersion.PolicyDocument, 'string', JSON.stringify(wire));
      assert.equal(typeof wire.Policy.PolicyDocument, 'string', JSON.stringify(wire));
      assert.equal(wire.DefaultPolicyVersion.IsDefaultVersion, true, JSON.stringify(wire));
      assert.equal(wire.Policy.AttachmentCount, 0, `AttachmentCount is not the number 0: ${JSON.stringify(wire)}`);
    });

    it('AttachmentCount follows attachments to users and roles', async () => {
      const name = await L.makePolicy(ram, SIMPLE_DOC);
      const u = L.uniq('cnt');
      await RAM.createUser(ram, { userName: u });
      const r = await L.makeRole(ram, acct);
      const count = async () => (await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' })).policy.attachmentCount;
      await RAM.attachPolicyToUser(ram, { userName: u, policyName: name, policyType: 'Custom' });
      assert.equal(await count(), 1);
      await RAM.attachPolicyToRole(ram, { roleName: r.roleName, policyName: name, policyType: 'Custom' });
      assert.equal(await count(), 2);
      await RAM.detachPolicyFromUser(ram, { userName: u, policyName: name, policyType: 'Custom' });
      await RAM.detachPolicyFromRole(ram, { roleName: r.roleName, policyName: name, policyType: 'Custom' });
      assert.equal(await count(), 0);
    });

    it('GetPolicy of a system policy: PolicyType System, a JSON document', async () => {
      const body = await RAM.getPolicy(ram, { policyName: 'AliyunSWASFullAccess', policyType: 'System' });
      assert.equal(body.policy.policyName, 'AliyunSWASFullAccess');
      assert.equal(body.policy.policyType, 'System');
      const d = JSON.parse(body.defaultPolicyVersion.policyDocument);
      assert.equal(d.Version, '1');
      assert.ok(JSON.stringify(d.Statement).includes('swas-open:'), JSON.stringify(d));
    });

    it('GetPolicy unknown, or with the wrong PolicyType -> 404 EntityNotExist.Policy', async () => {
      const name = await L.makePolicy(ram, SIMPLE_DOC);
      await expectSdkError(RAM.getPolicy(ram, { policyName: 'no-such-policy', policyType: 'Custom' }), E404('EntityNotExist.Policy'));
      await expectSdkError(RAM.getPolicy(ram, { policyName: name, policyType: 'System' }), E404('EntityNotExist.Policy'));
      await expectSdkError(RAM.getPolicy(ram, { policyName: 'AliyunSWASFullAccess', policyType: 'Custom' }), E404('EntityNotExist.Policy'));
    });

    describe('invalid documents -> 400 (CreatePolicy, CreatePolicyVersion, CreateRole)', () => {
      const malformed = ['not json', '{', '{"Version":"1","Statement":[}', '[]', '"a string"'];
      const invalid = [
        [{ Version: '1', Statement: [{ Effect: 'Maybe', Action: 'swas-open:*', Resource: '*' }] }, 'Statement[0].Effect'],
        [{ Version: '1', Statement: [{ Effect: 'Allow', Action: 'swas-open:*', Resource: '*' }, { Effect: 'allowed', Action: '*', Resource: '*' }] }, 'Statement[1].Effect'],
      ];

      it('bad JSON -> MalformedPolicyDocument', async () => {
        for (const d of malformed) {
          if (d === '[]' || d === '"a string"') continue; // valid JSON, checked below
          try {
            await expectSdkError(RAM.createPolicy(ram, { policyName: L.uniq('bad'), policyDocument: d }), E400('MalformedPolicyDocument'));
            const p = await L.makePolicy(ram, SIMPLE_DOC);
            await expectSdkError(RAM.createPolicyVersion(ram, { policyName: p, policyDocument: d }), E400('MalformedPolicyDocument'));
            await expectSdkError(RAM.createRole(ram, { roleName: L.uniq('bad'), assumeRolePolicyDocument: d }), E400('MalformedPolicyDocument'));
          } catch (e) {
            assert.fail(`document ${JSON.stringify(d)}: ${e.message}`);
          }
        }
      });

      it('JSON that is not an object -> 400', async () => {
        for (const d of ['[]', '"a string"', '42']) {
          await S.expectSdkClientError(RAM.createPolicy(ram, { policyName: L.uniq('bad'), policyDocument: d }), { statuses: [400] });
        }
      });

      it('a bad Effect -> InvalidParameter.PolicyDocument.InvalidValue naming Statement[i].Effect', async () => {
        for (const [d, where] of invalid) {
          const text = JSON.stringify(d);
          const want = { code: 'InvalidParameter.PolicyDocument.InvalidValue', status: 400, messageIncludes: where };
          await expectSdkError(RAM.createPolicy(ram, { policyName: L.uniq('bad'), policyDocument: text }), want);
          const p = await L.makePolicy(ram, SIMPLE_DOC);
          await expectSdkError(RAM.createPolicyVersion(ram, { policyName: p, policyDocument: text }), want);
          L.assertSameDocument((await RAM.getPolicy(ram, { policyName: p, policyType: 'Custom' })).defaultPolicyVersion.policyDocument, SIMPLE_DOC);
        }
      });

      it('a role trust policy with a bad Effect -> InvalidParameter.PolicyDocument.InvalidValue', async () => {
        const d = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Perhaps', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${acct}:root`] } }] });
        await expectSdkError(RAM.createRole(ram, { roleName: L.uniq('bad'), assumeRolePolicyDocument: d }),
          { code: 'InvalidParameter.PolicyDocument.InvalidValue', status: 400, messageIncludes: 'Statement[0].Effect' });
      });

      it('nothing is created by a refused CreatePolicy', async () => {
        const name = L.uniq('bad');
        await S.expectSdkClientError(RAM.createPolicy(ram, { policyName: name, policyDocument: 'not json' }), { statuses: [400] });
        await expectSdkError(RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' }), E404('EntityNotExist.Policy'));
      });
    });

    describe('ListPolicies', () => {
      let env2, ram2, customs;
      before(async () => {
        env2 = S.createAccount(env.dataDir, 'list-policies');
        ram2 = L.ramClient(env.port, env2);
        customs = [L.uniq('c1'), L.uniq('c2'), L.uniq('c3')];
        for (const n of customs) await RAM.createPolicy(ram2, { policyName: n, policyDocument: SIMPLE_DOC, description: `d-${n}` });
      });

      it('without PolicyType: every system policy and the custom ones, Policies.Policy wrapper', async () => {
        const body = await RAM.listPolicies(ram2);
        const list = L.items(body, 'policies', 'policy');
        const names = list.map(p => p.policyName);
        for (const n of [...L.SYSTEM_POLICIES, ...customs]) assert.ok(names.includes(n), `${n} missing from ${JSON.stringify(names)}`);
        assert.equal(body.isTruncated, false);
        for (const p of list) {
          assert.ok(['System', 'Custom'].includes(p.policyType), JSON.stringify(p));
          assert.equal(typeof p.defaultVersion, 'string', JSON.stringify(p));
          assert.equal(typeof p.attachmentCount, 'number', JSON.stringify(p));
          assert.match(p.createDate, TIME_RE, JSON.stringify(p));
        }
        const c1 = list.find(p => p.policyName === customs[0]);
        assert.equal(c1.policyType, 'Custom');
        assert.equal(c1.description, `d-${customs[0]}`);
        assert.equal(c1.defaultVersion, 'v1');
      });

      it('PolicyType System: exactly the system policies; Custom: exactly the custom ones', async () => {
        const sys = L.items(await RAM.listPolicies(ram2, { policyType: 'System' }), 'policies', 'policy');
        for (const n of L.SYSTEM_POLICIES) assert.ok(sys.some(p => p.policyName === n), `${n} missing`);
        assert.ok(sys.every(p => p.policyType === 'System'), JSON.stringify(sys));
        const cus = L.items(await RAM.listPolicies(ram2, { policyType: 'Custom' }), 'policies', 'policy');
        assert.deepEqual(cus.map(p => p.policyName).sort(), [...customs].sort());
        assert.ok(cus.every(p => p.policyType === 'Custom'));
      });

      it("another account's custom policies are not listed", async () => {
        const mine = await L.makePolicy(ram, SIMPLE_DOC);
        const names = L.items(await RAM.listPolicies(ram2), 'policies', 'policy').map(p => p.policyName);
        assert.ok(!names.includes(mine));
      });

      it('MaxItems=1 pages: Custom (3 pages) and all (each policy once)', async () => {
        const cus = await walkPages(marker => RAM.listPolicies(ram2, { policyType: 'Custom', maxItems: 1, marker }), 'policies', 'policy', 'ListPolicies Custom');
        assert.deepEqual(cus.map(p => p.policyName).sort(), [...customs].sort());
        const all = await walkPages(marker => RAM.listPolicies(ram2, { maxItems: 1, marker }), 'policies', 'policy', 'ListPolicies');
        const names = all.map(p => `${p.policyType}/${p.policyName}`);
        assert.equal(new Set(names).size, names.length, `a policy listed twice: ${JSON.stringify(names)}`);
        assert.equal(all.length, L.SYSTEM_POLICIES.length + customs.length, JSON.stringify(names));
      });

      it('an invalid PolicyType -> 400', async () => {
        await S.expectSdkClientError(RAM.listPolicies(ram2, { policyType: 'Other' }), { statuses: [400] });
      });
    });

    describe('versions', () => {
      it('CreatePolicyVersion -> {PolicyVersion:{VersionId v2, IsDefaultVersion, PolicyDocument, CreateDate}}; SetAsDefault decides the default', async () => {
        const name = await L.makePolicy(ram, SIMPLE_DOC);
        const b2 = await RAM.createPolicyVersion(ram, { policyName: name, policyDocument: SHARE_DOC });
        const v2 = b2.policyVersion;
        assert.ok(v2, JSON.stringify(b2));
        assert.equal(v2.versionId, 'v2');
        assert.equal(v2.isDefaultVersion, false);
        L.assertSameDocument(v2.policyDocument, SHARE_DOC);
        assert.match(v2.createDate, TIME_RE);
        let g = await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' });
        assert.equal(g.policy.defaultVersion, 'v1');
        L.assertSameDocument(g.defaultPolicyVersion.policyDocument, SIMPLE_DOC);

        const d3 = doc(allow('ecs:Describe*', '*'));
        const v3 = (await RAM.createPolicyVersion(ram, { policyName: name, policyDocument: d3, setAsDefault: true })).policyVersion;
        assert.equal(v3.versionId, 'v3');
        assert.equal(v3.isDefaultVersion, true);
        g = await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' });
        assert.equal(g.policy.defaultVersion, 'v3');
        assert.equal(g.defaultPolicyVersion.versionId, 'v3');
        assert.equal(g.defaultPolicyVersion.isDefaultVersion, true);
        L.assertSameDocument(g.defaultPolicyVersion.policyDocument, d3);

        L.assertRequestIdOnly(await RAM.setDefaultPolicyVersion(ram, { policyName: name, versionId: 'v2' }));
        g = await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' });
        assert.equal(g.policy.defaultVersion, 'v2');
        L.assertSameDocument(g.defaultPolicyVersion.policyDocument, SHARE_DOC);
        const wire = await L.ramRaw(raw, 'CreatePolicyVersion', { PolicyName: name, PolicyDocument: SIMPLE_DOC });
        assert.equal(typeof wire.PolicyVersion.PolicyDocument, 'string', JSON.stringify(wire));
        assert.equal(wire.PolicyVersion.VersionId, 'v4');
      });

      it('at most 5 versions: the 6th -> 409 LimitExceeded.Policy.Version; with DeleteOldestNonDefaultVersionWhenLimitExceeded the oldest non-default goes', async () => {
        const name = await L.makePolicy(ram, SIMPLE_DOC);
        const docs = { v1: SIMPLE_DOC };
        for (let i = 2; i <= 5; i++) {
          docs[`v${i}`] = doc(allow(`ecs:Describe${i}*`, '*'));
          assert.equal((await RAM.createPolicyVersion(ram, { policyName: name, policyDocument: docs[`v${i}`] })).policyVersion.versionId, `v${i}`);
        }
        const d6 = doc(allow('ecs:Describe6*', '*'));
        await expectSdkError(RAM.createPolicyVersion(ram, { policyName: name, policyDocument: d6 }), E409('LimitExceeded.Policy.Version'));
        await expectSdkError(RAM.createPolicyVersion(ram, { policyName: name, policyDocument: d6, rotateStrategy: 'None' }), E409('LimitExceeded.Policy.Version'));
        // v1 is the default, so the oldest non-default is v2.
        const v6 = (await RAM.createPolicyVersion(ram, {
          policyName: name, policyDocument: d6, rotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
        })).policyVersion;
        assert.equal(v6.versionId, 'v6');
        await S.expectSdkClientError(RAM.setDefaultPolicyVersion(ram, { policyName: name, versionId: 'v2' }), { statuses: [404] });
        for (const v of ['v3', 'v6', 'v1']) {
          L.assertRequestIdOnly(await RAM.setDefaultPolicyVersion(ram, { policyName: name, versionId: v }));
          const g = await RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' });
          assert.equal(g.policy.defaultVersion, v);
          L.assertSameDocument(g.defaultPolicyVersion.policyDocument, v === 'v6' ? d6 : docs[v], `default ${v}`);
        }
        // Still 5: the next one without the strategy is refused again.
        await expectSdkError(RAM.createPolicyVersion(ram, { policyName: name, policyDocument: d6 }), E409('LimitExceeded.Policy.Version'));
      });

      it('SetDefaultPolicyVersion: unknown policy -> 404 EntityNotExist.Policy; unknown version -> 404; invalid RotateStrategy -> 400', async () => {
        await expectSdkError(RAM.setDefaultPolicyVersion(ram, { policyName: 'no-such-policy', versionId: 'v1' }), E404('EntityNotExist.Policy'));
        await expectSdkError(RAM.createPolicyVersion(ram, { policyName: 'no-such-policy', policyDocument: SIMPLE_DOC }), E404('EntityNotExist.Policy'));
        const name = await L.makePolicy(ram, SIMPLE_DOC);
        await S.expectSdkClientError(RAM.setDefaultPolicyVersion(ram, { policyName: name, versionId: 'v9' }), { statuses: [404] });
        await S.expectSdkClientError(RAM.createPolicyVersion(ram, { policyName: name, policyDocument: SIMPLE_DOC, rotateStrategy: 'Whatever' }), { statuses: [400] });
      });

      it('a system policy cannot be versioned -> 4xx', async () => {
        await S.expectSdkClientError(RAM.createPolicyVersion(ram, { policyName: 'AliyunSWASFullAccess', policyDocument: SIMPLE_DOC }), { statuses: [400, 403, 404, 409] });
      });
    });

    describe('DeletePolicy', () => {
      it('refused while attached to a user or a role (409 DeleteConflict.Policy.Attachment); after detaching, deleted', async () => {
        const name = await L.makePolicy(ram, SIMPLE_DOC);
        const u = L.uniq('du');
        await RAM.createUser(ram, { userName: u });
        const r = await L.makeRole(ram, acct);
        await RAM.attachPolicyToUser(ram, { userName: u, policyName: name, policyType: 'Custom' });
        await RAM.attachPolicyToRole(ram, { roleName: r.roleName, policyName: name, policyType: 'Custom' });
        await expectSdkError(RAM.deletePolicy(ram, { policyName: name }), E409('DeleteConflict.Policy.Attachment'));
        await RAM.detachPolicyFromUser(ram, { userName: u, policyName: name, policyType: 'Custom' });
        await expectSdkError(RAM.deletePolicy(ram, { policyName: name }), E409('DeleteConflict.Policy.Attachment'));
        await RAM.detachPolicyFromRole(ram, { roleName: r.roleName, policyName: name, policyType: 'Custom' });
        L.assertRequestIdOnly(await RAM.deletePolicy(ram, { policyName: name }));
        await expectSdkError(RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' }), E404('EntityNotExist.Policy'));
        const names = L.items(await RAM.listPolicies(ram, { policyType: 'Custom' }), 'policies', 'policy').map(p => p.policyName);
        assert.ok(!names.includes(name));
        // The name is free again, starting at v1.
        assert.equal((await RAM.createPolicy(ram, { policyName: name, policyDocument: SHARE_DOC })).policy.defaultVersion, 'v1');
      });

      it('a policy with several versions is deleted whole', async () => {
        const name = await L.makePolicy(ram, SIMPLE_DOC);
        await RAM.createPolicyVersion(ram, { policyName: name, policyDocument: SHARE_DOC, setAsDefault: true });
        L.assertRequestIdOnly(await RAM.deletePolicy(ram, { policyName: name }));
        await expectSdkError(RAM.getPolicy(ram, { policyName: name, policyType: 'Custom' }), E404('EntityNotExist.Policy'));
      });

      it('unknown -> 404 EntityNotExist.Policy; a system policy -> 4xx and kept', async () => {
        await expectSdkError(RAM.deletePolicy(ram, { policyName: 'no-such-policy' }), E404('EntityNotExist.Policy'));
        await S.expectSdkClientError(RAM.deletePolicy(ram, { policyName: 'AliyunSWASFullAccess' }), { statuses: [400, 403, 404, 409] });
        assert.equal((await RAM.getPolicy(ram, { policyName: 'AliyunSWASFullAccess', policyType: 'System' })).policy.policyName, 'AliyunSWASFullAccess');
      });
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('attaching policies to users', () => {
    let user, custom;
    before(async () => {
      user = L.uniq('att');
      await RAM.createUser(ram, { userName: user });
      custom = await L.makePolicy(ram, SIMPLE_DOC, { description: 'custom one' });
    });

    it('AttachPolicyToUser (System and Custom) -> {RequestId}; ListPoliciesForUser -> Policies.Policy with AttachDate', async () => {
      L.assertRequestIdOnly(await RAM.attachPolicyToUser(ram, { userName: user, policyName: 'AliyunSWASReadOnlyAccess', policyType: 'System' }));
      L.assertRequestIdOnly(await RAM.attachPolicyToUser(ram, { userName: user, policyName: custom, policyType: 'Custom' }));
      const list = L.items(await RAM.listPoliciesForUser(ram, { userName: user }), 'policies', 'policy');
      assert.deepEqual(list.map(p => `${p.policyType}/${p.policyName}`).sort(), [`Custom/${custom}`, 'System/AliyunSWASReadOnlyAccess'].sort());
      for (const p of list) {
        assert.match(p.attachDate, TIME_RE, JSON.stringify(p));
        assert.ok(Math.abs(Date.parse(p.attachDate) - Date.now()) < 120e3, `AttachDate ${p.attachDate}`);
        assert.equal(p.defaultVersion, 'v1', JSON.stringify(p));
      }
      assert.equal(list.find(p => p.policyName === custom).description, 'custom one');
    });

    it('the same attach again -> 409 EntityAlreadyExists.User.Policy', async () => {
      await expectSdkError(RAM.attachPolicyToUser(ram, { userName: user, policyName: custom, policyType: 'Custom' }), E409('EntityAlreadyExists.User.Policy'));
      await expectSdkError(RAM.attachPolicyToUser(ram, { userName: user, policyName: 'AliyunSWASReadOnlyAccess', policyType: 'System' }), E409('EntityAlreadyExists.User.Policy'));
    });

    it('DetachPolicyFromUser -> {RequestId}; detaching it again -> 404 EntityNotExist.User.Policy', async () => {
      L.assertRequestIdOnly(await RAM.detachPolicyFromUser(ram, { userName: user, policyName: custom, policyType: 'Custom' }));
      const list = L.items(await RAM.listPoliciesForUser(ram, { userName: user }), 'policies', 'policy');
      assert.deepEqual(list.map(p => p.policyName), ['AliyunSWASReadOnlyAccess']);
      await expectSdkError(RAM.detachPolicyFromUser(ram, { userName: user, policyName: custom, policyType: 'Custom' }), E404('EntityNotExist.User.Policy'));
      await expectSdkError(RAM.detachPolicyFromUser(ram, { userName: user, policyName: 'AdministratorAccess', policyType: 'System' }), E404('EntityNotExist.User.Policy'));
    });

    it('AttachPolicyToUser: unknown policy / wrong PolicyType -> 404 EntityNotExist.Policy; invalid PolicyType -> 400', async () => {
      await expectSdkError(RAM.attachPolicyToUser(ram, { userName: user, policyName: 'no-such-policy', policyType: 'Custom' }), E404('EntityNotExist.Policy'));
      await expectSdkError(RAM.attachPolicyToUser(ram, { userName: user, policyName: custom, policyType: 'System' }), E404('EntityNotExist.Policy'));
      await S.expectSdkClientError(RAM.attachPolicyToUser(ram, { userName: user, policyName: custom, policyType: 'Managed' }), { statuses: [400] });
    });

    it('AttachPolicyToUser / ListPoliciesForUser on an unknown user -> 404 EntityNotExist.User', async () => {
      await expectSdkError(RAM.attachPolicyToUser(ram, { userName: 'no-such-user', policyName: custom, policyType: 'Custom' }), E404('EntityNotExist.User'));
      await expectSdkError(RAM.listPoliciesForUser(ram, { userName: 'no-such-user' }), E404('EntityNotExist.User'));
    });

    it('DetachPolicyFromUser on an unknown user -> 404 EntityNotExist.User (the user, not the attachment, is what is missing)', async () => {
      await expectSdkError(RAM.detachPolicyFromUser(ram, { userName: 'no-such-user', policyName: custom, policyType: 'Custom' }), E404('EntityNotExist.User'));
    });

    it('a user without policies: ListPoliciesForUser -> empty list in its wrapper', async () => {
      const u = L.uniq('empty');
      await RAM.createUser(ram, { userName: u });
      const body = await RAM.listPoliciesForUser(ram, { userName: u });
      assert.deepEqual(L.items(body, 'policies', 'policy'), []);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('roles', () => {
    it('CreateRole -> {Role:{RoleId, RoleName, Arn, Description, AssumeRolePolicyDocument (string), MaxSessionDuration, CreateDate}}', async () => {
      const name = L.uniq('role');
      const trust = L.trustAccount(acct);
      const body = await RAM.createRole(ram, { roleName: name, assumeRolePolicyDocument: trust, description: 'a role', maxSessionDuration: 7200 });
      const r = body.role;
      assert.ok(r, JSON.stringify(body));
      assert.match(r.roleId, NUMERIC_ID_RE, JSON.stringify(r));
      assert.equal(r.roleName, name);
      assert.equal(r.arn, `acs:ram::${acct}:role/${name}`);
      assert.equal(r.description, 'a role');
      assert.equal(r.maxSessionDuration, 7200);
      assert.match(r.createDate, TIME_RE);
      L.assertSameDocument(r.assumeRolePolicyDocument, trust, 'AssumeRolePolicyDocument');
      const wire = await L.ramRaw(raw, 'GetRole', { RoleName: name });
      assert.equal(typeof wire.Role.AssumeRolePolicyDocument, 'string', JSON.stringify(wire));
      assert.equal(wire.Role.MaxSessionDuration, 7200, JSON.stringify(wire));
    });

    it('GetRole -> the same; MaxSessionDuration defaults to 3600', async () => {
      const name = L.uniq('role');
      const c = (await RAM.createRole(ram, { roleName: name, assumeRolePolicyDocument: L.trustAccount(acct) })).role;
      assert.equal(c.maxSessionDuration, 3600);
      const r = (await RAM.getRole(ram, { roleName: name })).role;
      assert.equal(r.roleId, c.roleId);
      assert.equal(r.arn, c.arn);
      assert.equal(r.maxSessionDuration, 3600);
      assert.equal(r.createDate, c.createDate);
      L.assertSameDocument(r.assumeRolePolicyDocument, L.trustAccount(acct));
    });

    it('duplicate -> 409 EntityAlreadyExists.Role; unknown -> 404 EntityNotExist.Role (Get, Delete, Attach)', async () => {
      const r = await L.makeRole(ram, acct);
      await expectSdkError(RAM.createRole(ram, { roleName: r.roleName, assumeRolePolicyDocument: L.trustAccount(acct) }), E409('EntityAlreadyExists.Role'));
      const nf = E404('EntityNotExist.Role');
      await expectSdkError(RAM.getRole(ram, { roleName: 'no-such-role' }), nf);
      await expectSdkError(RAM.deleteRole(ram, { roleName: 'no-such-role' }), nf);
      await expectSdkError(RAM.attachPolicyToRole(ram, { roleName: 'no-such-role', policyName: 'AliyunSWASFullAccess', policyType: 'System' }), nf);
    });

    it('DetachPolicyFromRole on an unknown role -> 404 EntityNotExist.Role (the role, not the attachment, is what is missing)', async () => {
      await expectSdkError(RAM.detachPolicyFromRole(ram, { roleName: 'no-such-role', policyName: 'AliyunSWASFullAccess', policyType: 'System' }), E404('EntityNotExist.Role'));
    });

    it('invalid MaxSessionDuration (3599, 43201) and missing trust policy -> 400', async () => {
      for (const m of [3599, 43201]) {
        await S.expectSdkClientError(RAM.createRole(ram, { roleName: L.uniq('r'), assumeRolePolicyDocument: L.trustAccount(acct), maxSessionDuration: m }), { statuses: [400] });
      }
      await S.expectSdkClientError(RAM.createRole(ram, { roleName: L.uniq('r') }), { statuses: [400] });
    });

    it('Attach/DetachPolicyToRole; second attach 409; detaching a non-attached one 404; unknown policy 404 EntityNotExist.Policy', async () => {
      const r = await L.makeRole(ram, acct);
      L.assertRequestIdOnly(await RAM.attachPolicyToRole(ram, { roleName: r.roleName, policyName: 'AliyunSWASFullAccess', policyType: 'System' }));
      await S.expectSdkClientError(RAM.attachPolicyToRole(ram, { roleName: r.roleName, policyName: 'AliyunSWASFullAccess', policyType: 'System' }), { statuses: [409] });
      await expectSdkError(RAM.attachPolicyToRole(ram, { roleName: r.roleName, policyName: 'no-such-policy', policyType: 'Custom' }), E404('EntityNotExist.Policy'));
      L.assertRequestIdOnly(await RAM.detachPolicyFromRole(ram, { roleName: r.roleName, policyName: 'AliyunSWASFullAccess', policyType: 'System' }));
      await S.expectSdkClientError(RAM.detachPolicyFromRole(ram, { roleName: r.roleName, policyName: 'AliyunSWASFullAccess', policyType: 'System' }), { statuses: [404] });
    });

    it('DeleteRole refused while a policy is attached (409 DeleteConflict.Role.Policy); after detaching, deleted', async () => {
      const r = await L.makeRole(ram, acct, { policies: ['AliyunSWASReadOnlyAccess'] });
      await expectSdkError(RAM.deleteRole(ram, { roleName: r.roleName }), E409('DeleteConflict.Role.Policy'));
      await RAM.getRole(ram, { roleName: r.roleName });
      await RAM.detachPolicyFromRole(ram, { roleName: r.roleName, policyName: 'AliyunSWASReadOnlyAccess', policyType: 'System' });
      L.assertRequestIdOnly(await RAM.deleteRole(ram, { roleName: r.roleName }));
      await expectSdkError(RAM.getRole(ram, { roleName: r.roleName }), E404('EntityNotExist.Role'));
      await expectSdkError(STS.assumeRole(sts, { roleArn: r.arn, roleSessionName: 'gone' }), E404('EntityNotExist.Role'));
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('STS AssumeRole', () => {
    let role, longRole;
    before(async () => {
      role = await L.makeRole(ram, acct, { policies: ['AliyunSWASReadOnlyAccess'] });
      longRole = await L.makeRole(ram, acct, { maxSessionDuration: 7200 });
    });

    it('answer shape: Credentials{AccessKeyId STS., AccessKeySecret, SecurityToken, Expiration}, AssumedRoleUser{Arn, AssumedRoleId}', async () => {
      const wire = await L.stsRaw(L.openapiClient(env.port, env.root), 'AssumeRole', { RoleArn: role.arn, RoleSessionName: 'wire-session' });
      const c = wire.Credentials;
      assert.ok(c && typeof c === 'object', JSON.stringify(wire));
      assert.match(c.AccessKeyId, /^STS\./);
      for (const k of ['AccessKeySecret', 'SecurityToken']) assert.ok(typeof c[k] === 'string' && c[k].length > 0, `${k}: ${JSON.stringify(wire)}`);
      assert.match(c.Expiration, TIME_RE);
      assert.deepEqual(wire.AssumedRoleUser, {
        Arn: `acs:ram::${acct}:role/${role.roleName}/wire-session`,
        AssumedRoleId: `${role.roleId}:wire-session`,
      });
      assert.match(wire.RequestId, REQUEST_ID_RE);
      // Two sessions get different keys.
      const a = await L.assume(sts, role.arn);
      const b = await L.assume(sts, role.arn);
      assert.notEqual(a.key.AccessKeyId, b.key.AccessKeyId);
      assert.notEqual(a.key.SecurityToken, b.key.SecurityToken);
    });

    it('DurationSeconds: 900 and the role maximum are accepted, Expiration follows', async () => {
      for (const [arn, d] of [[role.arn, 900], [role.arn, 3600], [longRole.arn, 7200], [longRole.arn, 3600]]) {
        const { body } = await L.assume(sts, arn, { durationSeconds: d });
        const exp = Date.parse(body.credentials.expiration);
        assert.ok(Math.abs(exp - (Date.now() + d * 1000)) < 60e3, `DurationSeconds ${d}: Expiration ${body.credentials.expiration}`);
      }
      const { body } = await L.assume(sts, longRole.arn);
      assert.ok(Math.abs(Date.parse(body.credentials.expiration) - (Date.now() + 3600e3)) < 60e3, `default: ${body.credentials.expiration}`);
    });

    it('DurationSeconds below 900 or above the role MaxSessionDuration -> 400 InvalidParameter.DurationSeconds', async () => {
      const bad = E400('InvalidParameter.DurationSeconds');
      await expectSdkError(STS.assumeRole(sts, { roleArn: role.arn, roleSessionName: 'short', durationSeconds: 899 }), bad);
      await expectSdkError(STS.assumeRole(sts, { roleArn: role.arn, roleSessionName: 'long', durationSeconds: 3601 }), bad);
      await expectSdkError(STS.assumeRole(sts, { roleArn: longRole.arn, roleSessionName: 'long', durationSeconds: 7201 }), bad);
    });

    it('unknown role -> 404 EntityNotExist.Role; malformed RoleArn -> 400 InvalidParameter.RoleArn', async () => {
      await expectSdkError(STS.assumeRole(sts, { roleArn: L.roleArn(acct, 'no-such-role'), roleSessionName: 'x1' }), E404('EntityNotExist.Role'));
      for (const arn of ['not-an-arn', `acs:ram::${acct}:user/${role.roleName}`, `acs:ecs::${acct}:role/${role.roleName}`, 'acs:ram:::role/x']) {
        await expectSdkError(STS.assumeRole(sts, { roleArn: arn, roleSessionName: 'x1' }), E400('InvalidParameter.RoleArn'));
      }
    });

    it('RoleSessionName must be 2-64 of [A-Za-z0-9.@_-] -> 400 otherwise; missing RoleArn / RoleSessionName -> 400', async () => {
      for (const ok of ['ab', 'a.b@c_d-e', 'S'.repeat(64)]) {
        const { body } = await L.assume(sts, role.arn, { session: ok });
        assert.equal(body.assumedRoleUser.assumedRoleId, `${role.roleId}:${ok}`);
      }
      for (const bad of ['a', 'S'.repeat(65), 'has space', 'slash/name', 'colon:x', 'ünï']) {
        try {
          await S.expectSdkClientError(STS.assumeRole(sts, { roleArn: role.arn, roleSessionName: bad }), { statuses: [400] });
        } catch (e) {
          assert.fail(`RoleSessionName ${JSON.stringify(bad)}: ${e.message}`);
        }
      }
      await S.expectSdkClientError(STS.assumeRole(sts, { roleSessionName: 'nobody' }), { statuses: [400] });
      await S.expectSdkClientError(STS.assumeRole(sts, { roleArn: role.arn }), { statuses: [400] });
    });

    it('an invalid session Policy -> 400', async () => {
      await S.expectSdkClientError(STS.assumeRole(sts, { roleArn: role.arn, roleSessionName: 'p1', policy: 'not json' }), { statuses: [400] });
      await S.expectSdkClientError(STS.assumeRole(sts, { roleArn: role.arn, roleSessionName: 'p2', policy: doc({ Effect: 'Maybe', Action: '*', Resource: '*' }) }), { statuses: [400] });
    });

    it('trust policy that does not name the caller -> 403 NoPermission, even for root', async () => {
      const other = await L.makeRole(ram, acct, { trust: L.trustAccount(OTHER_ACCOUNT) });
      await expectSdkError(STS.assumeRole(sts, { roleArn: other.arn, roleSessionName: 'nope' }), { code: 'NoPermission', status: 403 });
      const service = await L.makeRole(ram, acct, {
        trust: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }] }),
      });
      await expectSdkError(STS.assumeRole(sts, { roleArn: service.arn, roleSessionName: 'nope' }), { code: 'NoPermission', status: 403 });
      const denied = await L.makeRole(ram, acct, {
        trust: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${acct}:root`] } }] }),
      });
      await expectSdkError(STS.assumeRole(sts, { roleArn: denied.arn, roleSessionName: 'nope' }), { code: 'NoPermission', status: 403 });
    });

    it('a RAM user without any policy -> 403 NoPermission', async () => {
      const none = await L.makeUser(ram);
      await expectSdkError(STS.assumeRole(L.stsClient(env.port, none.key), { roleArn: role.arn, roleSessionName: 'u1' }), { code: 'NoPermission', status: 403 });
    });

    it('a RAM user allowed sts:AssumeRole on another role only -> 403 NoPermission; on that role -> ok', async () => {
      const narrow = await L.makeUser(ram, { policies: [{ custom: doc(allow('sts:AssumeRole', longRole.arn)) }] });
      const nSts = L.stsClient(env.port, narrow.key);
      await L.assume(nSts, longRole.arn);
      await expectSdkError(STS.assumeRole(nSts, { roleArn: role.arn, roleSessionName: 'u2' }), { code: 'NoPermission', status: 403 });
    });

    it('a RAM user with AliyunSTSAssumeRoleAccess -> ok; with a Deny on the role ARN beside it -> 403 NoPermission', async () => {
      const full = await L.makeUser(ram, { policies: ['AliyunSTSAssumeRoleAccess'] });
      const { body } = await L.assume(L.stsClient(env.port, full.key), role.arn, { session: 'by-user' });
      assert.equal(body.assumedRoleUser.arn, `acs:ram::${acct}:role/${role.roleName}/by-user`);
      const denyUser = await L.makeUser(ram, { policies: ['AliyunSTSAssumeRoleAccess', { custom: doc(deny('sts:AssumeRole', role.arn)) }] });
      await expectSdkError(STS.assumeRole(L.stsClient(env.port, denyUser.key), { roleArn: role.arn, roleSessionName: 'u3' }), { code: 'NoPermission', status: 403 });
    });

    it('GetCallerIdentity answer carries exactly the documented keys', async () => {
      const wire = await L.stsRaw(L.openapiClient(env.port, env.root), 'GetCallerIdentity', {});
      const allowed = ['AccountId', 'Arn', 'IdentityType', 'PrincipalId', 'RequestId', 'RoleId', 'UserId'];
      assert.deepEqual(Object.keys(wire).filter(k => !allowed.includes(k)), [], JSON.stringify(wire));
      assert.equal(wire.AccountId, acct);
      assert.equal(wire.IdentityType, 'Account');
      assert.equal(wire.Arn, `acs:ram::${acct}:root`);
    });
  });

  // ----------------------------------------------------------------------------------------
  describe('V1 signing', () => {
    it('RAM and STS through signatureAlgorithm v2 (V1 in the query) work the same', async () => {
      const ramV1 = L.ramClient(env.port, env.root, { signatureAlgorithm: 'v2' });
      const stsV1 = L.stsClient(env.port, env.root, { signatureAlgorithm: 'v2' });
      const name = L.uniq('v1user');
      assert.equal((await RAM.createUser(ramV1, { userName: name })).user.userName, name);
      await expectSdkError(RAM.createUser(ramV1, { userName: name }), E409('EntityAlreadyExists.User'));
      const pol = await L.makePolicy(ramV1, doc(allow('swas-open:List*', '*'), deny('swas-open:Modify*', '*')));
      L.assertSameDocument((await RAM.getPolicy(ramV1, { policyName: pol, policyType: 'Custom' })).defaultPolicyVersion.policyDocument,
        doc(allow('swas-open:List*', '*'), deny('swas-open:Modify*', '*')));
      const r = await L.makeRole(ramV1, acct);
      const { key } = await L.assume(stsV1, r.arn);
      assert.equal((await STS.getCallerIdentity(L.stsClient(env.port, key, { signatureAlgorithm: 'v2' }))).identityType, 'AssumedRoleUser');
    });
  });
});

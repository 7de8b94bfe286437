'use strict';
// RAM enforcement and STS sessions end to end (issue 5), with the official RAM, STS, SWAS and
// ECS SDKs: a RAM user without policies is refused (403 Forbidden.RAM, ImplicitDeny, even for an
// image that does not exist), a policy on ONE image's ARN allows exactly that image, an explicit
// Deny beats AliyunSWASFullAccess, acs:SourceIp / acs:CurrentTime / acs:SecureTransport /
// acs:AccessId conditions, deactivated keys, read-only system policies (SWAS, ECS, RAM), role
// sessions through STS (one image, session policies, ExternalId in the trust policy, V3 and V1
// signing), token tampering, key and token mismatch, expiry on the test clock,
// GetCallerIdentity for every kind of caller, soft mode, and cross-account isolation.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir } = require('./lib/server');
const { expectSdkError, brief } = require('./lib/expect');
const S = require('./lib/swas');
const X = require('./lib/ecs');
const L = require('./lib/ram');
const { R, REGION, REGION2, jsonIds } = S;
const { RAM, STS, allow, deny, doc, imageArn } = L;

const SHARE = 'swas-open:ModifyImageShareStatus';
const NO_IMAGE = 'm-doesnotexist0000000';
const NOT_FOUND_IMAGE = { code: 'InvalidImageId.NotFound', status: 404 };
const NO_PERMISSION = { code: 'NoPermission', status: 403 };

const share = (c, imageId, extra = {}) => R.modifyImageShareStatus(c, { imageId, operation: 'Share', ...extra });
const unshare = (c, imageId, extra = {}) => R.modifyImageShareStatus(c, { imageId, operation: 'UnShare', ...extra });
const inShare = async (root, imageId, regionId = REGION) => {
  const img = await S.getCustomImage(root, imageId, regionId);
  assert.ok(img, `image ${imageId} not listed for its owner in ${regionId}`);
  return img.inShare;
};

// SWAS ListRegions needs no permission: any authenticated caller gets the regions.
async function listRegionsAllowed(c, what) {
  let body;
  try {
    body = await c.listRegions(new S.Swas.ListRegionsRequest({})).then(r => r.body);
  } catch (e) {
    assert.fail(`ListRegions (${what}) should need no permission: ${brief(e)}`);
  }
  assert.ok(Array.isArray(body.regions) && body.regions.length > 0, JSON.stringify(body));
}

// Identity checks of GetCallerIdentity answers.
function assertCaller(body, want) {
  const plain = JSON.parse(JSON.stringify(body));
  for (const [k, v] of Object.entries(want)) assert.equal(plain[k], v, `GetCallerIdentity ${k}: ${JSON.stringify(plain)}`);
  return plain;
}

describe('RAM enforcement and STS sessions (enforce mode)', () => {
  let env, acct, rootSwas, rootRam, rootSts, rootEcs;
  let img1, img2;        // root's available images in REGION, unshared between tests
  let img1r2;            // root's image in REGION2

  // A SWAS client for a fresh user with these policies; resolves {user, swas}.
  const userWith = (policies, extra) => L.makeSwasUser(env.port, rootRam, policies, extra);
  const subUserDenied = (user, action, type) => L.subUserDenied(acct, user, action, type);

  before(async () => {
    env = await X.startEcs();
    acct = env.root.AccountId;
    rootSwas = S.swasClient(env.port, env.root);
    rootRam = L.ramClient(env.port, env.root);
    rootSts = L.stsClient(env.port, env.root);
    rootEcs = X.ecsClient(env.port, env.root);
    const [a, b] = await Promise.all([S.makeImage(rootSwas), S.makeImage(rootSwas, { regionId: REGION2 })]);
    img1 = a.imageId;
    img1r2 = b.imageId;
    img2 = (await S.makeImage(rootSwas, { instanceId: a.instanceId })).imageId;
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  describe('a RAM user without policies', () => {
    let user, swas;
    before(async () => { ({ user, swas } = await userWith([])); });

    it('ModifyImageShareStatus -> 403 Forbidden.RAM, ImplicitDeny, AuthAction, SubUser; image untouched', async () => {
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE));
      await L.expectDenied(unshare(swas, img1), subUserDenied(user, SHARE));
      assert.equal(await inShare(rootSwas, img1), false);
    });

    it('an image that does not exist -> the same 403 (denial is decided before existence)', async () => {
      const eReal = await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE));
      const eNone = await L.expectDenied(share(swas, NO_IMAGE), subUserDenied(user, SHARE));
      await L.expectDenied(share(swas, img1r2, { regionId: REGION2 }), subUserDenied(user, SHARE));
      await L.expectDenied(share(swas, img1, { regionId: REGION2 }), subUserDenied(user, SHARE));
      assert.equal(eNone.data.Message.split(NO_IMAGE).join('<id>'), eReal.data.Message.split(img1).join('<id>'),
        'the denial for a missing image reads differently from the one for an existing image');
      assert.deepEqual(eNone.data.AccessDeniedDetail, eReal.data.AccessDeniedDetail);
    });

    it('every other SWAS call that needs a permission is refused too (ListCustomImages, ListInstances, DeleteCustomImage)', async () => {
      await L.expectDenied(R.listCustomImages(swas), subUserDenied(user, 'swas-open:ListCustomImages'));
      await L.expectDenied(R.listInstances(swas), subUserDenied(user, 'swas-open:ListInstances'));
      await L.expectDenied(R.deleteCustomImage(swas, { imageId: NO_IMAGE }), subUserDenied(user, 'swas-open:DeleteCustomImage'));
    });

    it('STS GetCallerIdentity needs no permission', async () => {
      assertCaller(await STS.getCallerIdentity(L.stsClient(env.port, user.key)), { identityType: 'RAMUser', accountId: acct });
    });

    it('SWAS ListRegions needs no permission (V3 and V1)', async () => {
      await listRegionsAllowed(swas, 'RAM user without policies');
      await listRegionsAllowed(L.swasClient(env.port, user.key, { signatureAlgorithm: 'v2' }), 'RAM user without policies, V1');
    });

    it('V1 signing (signatureAlgorithm v2) is refused the same way', async () => {
      const v1 = L.swasClient(env.port, user.key, { signatureAlgorithm: 'v2' });
      await L.expectDenied(share(v1, img1), subUserDenied(user, SHARE));
      await L.expectDenied(share(v1, NO_IMAGE), subUserDenied(user, SHARE));
    });
  });

  describe('a custom policy on ONE image ARN', () => {
    let user, swas;
    before(async () => {
      ({ user, swas } = await userWith([{ custom: doc(allow(SHARE, imageArn(acct, img1))) }]));
    });

    it('that image: Share and UnShare succeed and take effect', async () => {
      S.assertRequestIdOnly(await share(swas, img1));
      assert.equal(await inShare(rootSwas, img1), true);
      S.assertRequestIdOnly(await unshare(swas, img1));
      assert.equal(await inShare(rootSwas, img1), false);
    });

    it('another image -> 403 ImplicitDeny, untouched', async () => {
      await L.expectDenied(share(swas, img2), subUserDenied(user, SHARE));
      assert.equal(await inShare(rootSwas, img2), false);
    });

    it('a nonexistent image, and the same ImageId in another region (other ARN) -> 403', async () => {
      await L.expectDenied(share(swas, NO_IMAGE), subUserDenied(user, SHARE));
      await L.expectDenied(share(swas, img1, { regionId: REGION2 }), subUserDenied(user, SHARE));
    });

    it('other actions on that image are not granted (DeleteCustomImage, ListCustomImages)', async () => {
      await L.expectDenied(R.deleteCustomImage(swas, { imageId: img1 }), subUserDenied(user, 'swas-open:DeleteCustomImage'));
      await L.expectDenied(R.listCustomImages(swas), subUserDenied(user, 'swas-open:ListCustomImages'));
      assert.ok(await S.getCustomImage(rootSwas, img1), 'image deleted by a refused call');
    });

    it('a policy on customimage/* in the region allows every image there, not in another region', async () => {
      const u = await userWith([{ custom: doc(allow(SHARE, `acs:swas-open:${REGION}:${acct}:customimage/*`)) }]);
      S.assertRequestIdOnly(await share(u.swas, img2));
      S.assertRequestIdOnly(await unshare(u.swas, img2));
      // Allowed, so existence decides: a missing image is NotFound.
      await expectSdkError(share(u.swas, NO_IMAGE), NOT_FOUND_IMAGE);
      await L.expectDenied(share(u.swas, img1r2, { regionId: REGION2 }), subUserDenied(u.user, SHARE));
      assert.equal(await inShare(rootSwas, img2), false);
    });

    it('detaching the policy takes effect at once', async () => {
      const u = await userWith([{ custom: doc(allow(SHARE, imageArn(acct, img2))) }]);
      S.assertRequestIdOnly(await share(u.swas, img2));
      await RAM.detachPolicyFromUser(rootRam, { userName: u.user.userName, policyName: u.user.policies[0], policyType: 'Custom' });
      await L.expectDenied(unshare(u.swas, img2), subUserDenied(u.user, SHARE));
      await unshare(rootSwas, img2);
    });
  });

  describe('explicit Deny', () => {
    it('a Deny statement beside AliyunSWASFullAccess wins (ExplicitDeny); the rest stays allowed', async () => {
      const { user, swas } = await userWith(['AliyunSWASFullAccess', { custom: doc(deny(SHARE, imageArn(acct, img1))) }]);
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE, 'ExplicitDeny'));
      assert.equal(await inShare(rootSwas, img1), false);
      S.assertRequestIdOnly(await share(swas, img2));
      S.assertRequestIdOnly(await unshare(swas, img2));
      const listed = (await R.listCustomImages(swas)).customImages.map(i => i.imageId);
      assert.ok(listed.includes(img1) && listed.includes(img2), JSON.stringify(listed));
    });

    it('Deny and Allow in one document: Deny wins; a wildcard Deny (swas-open:Modify*) too', async () => {
      const a = await userWith([{ custom: doc(allow('swas-open:*', '*'), deny(SHARE, '*')) }]);
      await L.expectDenied(share(a.swas, img1), subUserDenied(a.user, SHARE, 'ExplicitDeny'));
      await L.expectDenied(share(a.swas, NO_IMAGE), subUserDenied(a.user, SHARE, 'ExplicitDeny'));
      const b = await userWith(['AliyunSWASFullAccess', { custom: doc(deny('swas-open:Modify*', '*')) }]);
      await L.expectDenied(share(b.swas, img2), subUserDenied(b.user, SHARE, 'ExplicitDeny'));
      assert.ok(Array.isArray((await R.listCustomImages(b.swas)).customImages));
    });
  });

  describe('conditions', () => {
    const ipAllow = (cidrs, op = 'IpAddress') => doc(allow(SHARE, '*', { [op]: { 'acs:SourceIp': cidrs } }));

    it('acs:SourceIp: IpAddress outside loopback denies; including 127.0.0.1 allows; NotIpAddress / Deny on loopback deny', async () => {
      const policyName = await L.makePolicy(rootRam, ipAllow('10.0.0.0/8'));
      const user = await L.makeUser(rootRam, { policies: [{ name: policyName, type: 'Custom' }] });
      const swas = L.swasClient(env.port, user.key);
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE, 'ImplicitDeny'));

      const setDoc = d => RAM.createPolicyVersion(rootRam, { policyName, policyDocument: d, setAsDefault: true });
      await setDoc(ipAllow(['10.0.0.0/8', '127.0.0.1']));
      S.assertRequestIdOnly(await share(swas, img1));
      S.assertRequestIdOnly(await unshare(swas, img1));

      await setDoc(ipAllow('127.0.0.0/8'));
      S.assertRequestIdOnly(await share(swas, img1));
      S.assertRequestIdOnly(await unshare(swas, img1));

      await setDoc(ipAllow('127.0.0.1/32', 'NotIpAddress'));
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE, 'ImplicitDeny'));

      await setDoc(doc(allow(SHARE, '*'), deny(SHARE, '*', { IpAddress: { 'acs:SourceIp': '127.0.0.1' } })));
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE, 'ExplicitDeny'));
      assert.equal(await inShare(rootSwas, img1), false);
    });

    it('acs:CurrentTime, acs:SecureTransport ("false" over http) and acs:AccessId', async () => {
      const user = await L.makeUser(rootRam);
      const swas = L.swasClient(env.port, user.key);
      const cases = [
        [{ DateGreaterThan: { 'acs:CurrentTime': '2000-01-01T00:00:00Z' } }, true],
        [{ DateLessThan: { 'acs:CurrentTime': '2000-01-01T00:00:00Z' } }, false],
        [{ Bool: { 'acs:SecureTransport': 'false' } }, true],
        [{ Bool: { 'acs:SecureTransport': 'true' } }, false],
        [{ StringEquals: { 'acs:AccessId': user.key.AccessKeyId } }, true],
        [{ StringEquals: { 'acs:AccessId': 'LTAInotthiskey000000' } }, false],
      ];
      for (const [condition, allowed] of cases) {
        const policyName = await L.makePolicy(rootRam, doc(allow(SHARE, '*', condition)));
        await RAM.attachPolicyToUser(rootRam, { userName: user.userName, policyName, policyType: 'Custom' });
        const what = `condition ${JSON.stringify(condition)}`;
        if (allowed) {
          try {
            S.assertRequestIdOnly(await share(swas, img1), what);
            S.assertRequestIdOnly(await unshare(swas, img1), what);
          } catch (e) {
            assert.fail(`${what} should allow: ${e.message}`);
          }
        } else {
          await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE));
        }
        await RAM.detachPolicyFromUser(rootRam, { userName: user.userName, policyName, policyType: 'Custom' });
      }
      assert.equal(await inShare(rootSwas, img1), false);
    });
  });

  describe('AccessKey status', () => {
    it('UpdateAccessKey Inactive -> 400 InvalidAccessKeyId.Inactive (SWAS V3 and V1, STS); Active again -> works', async () => {
      const user = await L.makeUser(rootRam, { policies: ['AliyunSWASReadOnlyAccess'] });
      const swas = L.swasClient(env.port, user.key);
      const swasV1 = L.swasClient(env.port, user.key, { signatureAlgorithm: 'v2' });
      const sts = L.stsClient(env.port, user.key);
      await R.listCustomImages(swas);
      L.assertRequestIdOnly(await RAM.updateAccessKey(rootRam, { userName: user.userName, userAccessKeyId: user.key.AccessKeyId, status: 'Inactive' }));
      const inactive = { code: 'InvalidAccessKeyId.Inactive', status: 400 };
      await expectSdkError(R.listCustomImages(swas), inactive);
      await expectSdkError(R.listCustomImages(swasV1), inactive);
      await expectSdkError(share(swas, img1), inactive);
      await expectSdkError(STS.getCallerIdentity(sts), inactive);
      L.assertRequestIdOnly(await RAM.updateAccessKey(rootRam, { userName: user.userName, userAccessKeyId: user.key.AccessKeyId, status: 'Active' }));
      assert.ok(Array.isArray((await R.listCustomImages(swas)).customImages));
      assert.ok(Array.isArray((await R.listCustomImages(swasV1)).customImages));
      assertCaller(await STS.getCallerIdentity(sts), { identityType: 'RAMUser' });
    });

    it('a deleted AccessKey -> 404 InvalidAccessKeyId.NotFound', async () => {
      const user = await L.makeUser(rootRam, { policies: ['AliyunSWASReadOnlyAccess'] });
      const swas = L.swasClient(env.port, user.key);
      await R.listCustomImages(swas);
      await RAM.deleteAccessKey(rootRam, { userName: user.userName, userAccessKeyId: user.key.AccessKeyId });
      await expectSdkError(R.listCustomImages(swas), { code: 'InvalidAccessKeyId.NotFound', status: 404 });
    });
  });

  describe('read-only system policies', () => {
    it('AliyunSWASReadOnlyAccess: ListCustomImages and ListInstances yes; Share, DeleteCustomImage, CreateSnapshot no', async () => {
      const { user, swas } = await userWith(['AliyunSWASReadOnlyAccess']);
      const listed = (await R.listCustomImages(swas)).customImages.map(i => i.imageId);
      assert.ok(listed.includes(img1) && listed.includes(img2), JSON.stringify(listed));
      assert.ok(Array.isArray((await R.listInstances(swas)).instances));
      await L.expectDenied(share(swas, img1), subUserDenied(user, SHARE));
      await L.expectDenied(R.deleteCustomImage(swas, { imageId: NO_IMAGE }), subUserDenied(user, 'swas-open:DeleteCustomImage'));
      await L.expectDenied(R.createSnapshot(swas, { diskId: 'd-nosuchdisk000000' }), subUserDenied(user, 'swas-open:CreateSnapshot'));
      assert.equal(await inShare(rootSwas, img1), false);
    });

    it('AliyunECSReadOnlyAccess: ECS DescribeImages and DescribeInstances yes; RunInstances no; SWAS nothing', async () => {
      const user = await L.makeUser(rootRam, { policies: ['AliyunECSReadOnlyAccess'] });
      const ecs = L.ecsClient(env.port, user.key);
      const pub = await X.publicImageId(rootEcs, REGION);
      const imgs = X.images(await X.E.describeImages(ecs, { imageId: pub }));
      assert.deepEqual(imgs.map(i => i.imageId), [pub]);
      assert.ok(Array.isArray(X.instances(await X.E.describeInstances(ecs))));
      await L.expectDenied(X.E.runInstances(ecs, { imageId: pub, amount: 1 }), subUserDenied(user, 'ecs:RunInstances'));
      assert.deepEqual(X.instances(await X.E.describeInstances(rootEcs)), [], 'a refused RunInstances created an instance');
      await L.expectDenied(R.listCustomImages(L.swasClient(env.port, user.key)), subUserDenied(user, 'swas-open:ListCustomImages'));
    });

    it('RAM calls are enforced too: none without a policy; AliyunRAMReadOnlyAccess reads but cannot create or attach', async () => {
      const none = await L.makeUser(rootRam);
      const ramNone = L.ramClient(env.port, none.key);
      await L.expectDenied(RAM.listUsers(ramNone), subUserDenied(none, 'ram:ListUsers'));
      await L.expectDenied(RAM.createUser(ramNone, { userName: L.uniq('evil') }), subUserDenied(none, 'ram:CreateUser'));

      const ro = await L.makeUser(rootRam, { policies: ['AliyunRAMReadOnlyAccess'] });
      const ram = L.ramClient(env.port, ro.key);
      const names = L.items(await RAM.listUsers(ram), 'users', 'user').map(u => u.userName);
      assert.ok(names.includes(ro.userName), JSON.stringify(names));
      assert.equal((await RAM.getUser(ram, { userName: none.userName })).user.userName, none.userName);
      const pol = L.items(await RAM.listPolicies(ram, { policyType: 'System' }), 'policies', 'policy').map(p => p.policyName);
      assert.ok(pol.includes('AdministratorAccess'), JSON.stringify(pol));
      await L.expectDenied(RAM.createUser(ram, { userName: L.uniq('evil') }), subUserDenied(ro, 'ram:CreateUser'));
      await L.expectDenied(RAM.attachPolicyToUser(ram, { userName: ro.userName, policyName: 'AdministratorAccess', policyType: 'System' }),
        subUserDenied(ro, 'ram:AttachPolicyToUser'));
      await L.expectDenied(RAM.createAccessKey(ram, { userName: ro.userName }), subUserDenied(ro, 'ram:CreateAccessKey'));
      const attached = L.items(await RAM.listPoliciesForUser(rootRam, { userName: ro.userName }), 'policies', 'policy').map(p => p.policyName);
      assert.deepEqual(attached, ['AliyunRAMReadOnlyAccess']);
    });

    it('AliyunRAMFullAccess may create users; a user with AdministratorAccess may do SWAS too', async () => {
      const full = await L.makeUser(rootRam, { policies: ['AliyunRAMFullAccess'] });
      const name = L.uniq('made-by-user');
      assert.equal((await RAM.createUser(L.ramClient(env.port, full.key), { userName: name })).user.userName, name);
      await L.expectDenied(R.listCustomImages(L.swasClient(env.port, full.key)), subUserDenied(full, 'swas-open:ListCustomImages'));
      const admin = await userWith(['AdministratorAccess']);
      S.assertRequestIdOnly(await share(admin.swas, img2));
      S.assertRequestIdOnly(await unshare(admin.swas, img2));
    });
  });

  describe('role sessions (STS AssumeRole)', () => {
    let oneImageRole, fullRole;

    before(async () => {
      oneImageRole = await L.makeRole(rootRam, acct, { policies: [{ custom: doc(allow(SHARE, imageArn(acct, img1))) }] });
      fullRole = await L.makeRole(rootRam, acct, { policies: ['AliyunSWASFullAccess'] });
    });

    const sessionDenied = (role, session, action, noPermissionType = 'ImplicitDeny') => ({
      action, principalType: 'AssumedRoleUser', noPermissionType, ownerId: acct,
      displayNames: [session, `${role.roleName}:${session}`, `${role.roleId}:${session}`, `${role.roleName}/${session}`],
    });

    it('AssumeRole answer: STS. key, secret, token, Expiration ~ now+3600, AssumedRoleUser Arn and AssumedRoleId', async () => {
      const session = 'sess.one@x_y-z';
      const before = Date.now();
      const { body } = await L.assume(rootSts, oneImageRole.arn, { session });
      const c = body.credentials;
      assert.match(c.accessKeyId, /^STS\./, JSON.stringify(body));
      assert.ok(c.accessKeySecret.length >= 16, JSON.stringify(body));
      assert.ok(c.securityToken.length >= 16, JSON.stringify(body));
      assert.match(c.expiration, L.TIME_RE, JSON.stringify(body));
      const exp = Date.parse(c.expiration);
      assert.ok(exp >= before + 3600e3 - 60e3 && exp <= Date.now() + 3600e3 + 60e3, `Expiration ${c.expiration} is not about an hour from now`);
      assert.equal(body.assumedRoleUser.arn, `acs:ram::${acct}:role/${oneImageRole.roleName}/${session}`);
      assert.equal(body.assumedRoleUser.assumedRoleId, `${oneImageRole.roleId}:${session}`);
    });

    it('a role with a policy for exactly one image: shares that image (V3 and V1) and nothing else', async () => {
      const { key, session } = await L.assume(rootSts, oneImageRole.arn);
      for (const extra of [{}, { signatureAlgorithm: 'v2' }]) {
        const swas = L.swasClient(env.port, key, extra);
        const what = JSON.stringify(extra);
        S.assertRequestIdOnly(await share(swas, img1), what);
        assert.equal(await inShare(rootSwas, img1), true, what);
        S.assertRequestIdOnly(await unshare(swas, img1), what);
        assert.equal(await inShare(rootSwas, img1), false, what);
        await L.expectDenied(share(swas, img2), sessionDenied(oneImageRole, session, SHARE));
        await L.expectDenied(share(swas, NO_IMAGE), sessionDenied(oneImageRole, session, SHARE));
        await L.expectDenied(share(swas, img1, { regionId: REGION2 }), sessionDenied(oneImageRole, session, SHARE));
        await L.expectDenied(R.listCustomImages(swas), sessionDenied(oneImageRole, session, 'swas-open:ListCustomImages'));
        await L.expectDenied(R.deleteCustomImage(swas, { imageId: img1 }), sessionDenied(oneImageRole, session, 'swas-open:DeleteCustomImage'));
      }
      await L.expectDenied(RAM.listUsers(L.ramClient(env.port, key)), sessionDenied(oneImageRole, session, 'ram:ListUsers'));
      await L.expectDenied(X.E.describeImages(L.ecsClient(env.port, key)), sessionDenied(oneImageRole, session, 'ecs:DescribeImages'));
      assert.equal(await inShare(rootSwas, img2), false);
      assert.ok(await S.getCustomImage(rootSwas, img1));
    });

    it('ExternalId reaches the trust policy as sts:ExternalId: the right one assumes; another or none -> 403 NoPermission', async () => {
      const externalId = 'ext-4711';
      const trust = JSON.stringify({
        Version: '1',
        Statement: [{
          Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${acct}:root`] },
          Condition: { StringEquals: { 'sts:ExternalId': externalId } },
        }],
      });
      const role = await L.makeRole(rootRam, acct, { policies: ['AliyunSWASFullAccess'], trust });
      const body = await STS.assumeRole(rootSts, { roleArn: role.arn, roleSessionName: 'with-ext', externalId });
      assert.match(body.credentials.accessKeyId, /^STS\./, JSON.stringify(body));
      assert.equal(body.assumedRoleUser.arn, `acs:ram::${acct}:role/${role.roleName}/with-ext`);
      await expectSdkError(STS.assumeRole(rootSts, { roleArn: role.arn, roleSessionName: 'wrong-ext', externalId: 'ext-4712' }), NO_PERMISSION);
      await expectSdkError(STS.assumeRole(rootSts, { roleArn: role.arn, roleSessionName: 'no-ext' }), NO_PERMISSION);
      // A trust policy without an ExternalId condition ignores one given.
      const plain = await STS.assumeRole(rootSts, { roleArn: fullRole.arn, roleSessionName: 'plain-ext', externalId });
      assert.match(plain.credentials.accessKeyId, /^STS\./, JSON.stringify(plain));
    });

    it('a role session needs no permission for SWAS ListRegions and STS GetCallerIdentity', async () => {
      const { key } = await L.assume(rootSts, oneImageRole.arn);
      assertCaller(await STS.getCallerIdentity(L.stsClient(env.port, key)), { identityType: 'AssumedRoleUser' });
      await listRegionsAllowed(L.swasClient(env.port, key), 'role session');
    });

    it('a session Policy narrows the role: AliyunSWASFullAccess role + one-image session policy', async () => {
      const wide = await L.assume(rootSts, fullRole.arn);
      const wideSwas = L.swasClient(env.port, wide.key);
      assert.ok(Array.isArray((await R.listCustomImages(wideSwas)).customImages), 'the role alone may list');
      S.assertRequestIdOnly(await share(wideSwas, img2));
      S.assertRequestIdOnly(await unshare(wideSwas, img2));

      const narrow = await L.assume(rootSts, fullRole.arn, { policy: doc(allow(SHARE, imageArn(acct, img1))) });
      const swas = L.swasClient(env.port, narrow.key);
      S.assertRequestIdOnly(await share(swas, img1));
      S.assertRequestIdOnly(await unshare(swas, img1));
      await L.expectDenied(share(swas, img2), sessionDenied(fullRole, narrow.session, SHARE));
      await L.expectDenied(R.listCustomImages(swas), sessionDenied(fullRole, narrow.session, 'swas-open:ListCustomImages'));
    });

    it('a session Policy cannot widen the role; a Deny in it wins', async () => {
      const wider = await L.assume(rootSts, oneImageRole.arn, { policy: doc(allow('swas-open:*', '*')) });
      const swas = L.swasClient(env.port, wider.key);
      S.assertRequestIdOnly(await share(swas, img1));
      S.assertRequestIdOnly(await unshare(swas, img1));
      await L.expectDenied(share(swas, img2), sessionDenied(oneImageRole, wider.session, SHARE));
      await L.expectDenied(R.listCustomImages(swas), sessionDenied(oneImageRole, wider.session, 'swas-open:ListCustomImages'));

      const denying = await L.assume(rootSts, fullRole.arn, { policy: doc(allow('swas-open:*', '*'), deny(SHARE, imageArn(acct, img1))) });
      const d = L.swasClient(env.port, denying.key);
      await L.expectDenied(share(d, img1), sessionDenied(fullRole, denying.session, SHARE, 'ExplicitDeny'));
      S.assertRequestIdOnly(await share(d, img2));
      S.assertRequestIdOnly(await unshare(d, img2));
      assert.equal(await inShare(rootSwas, img1), false);
    });

    it('a RAM user with AliyunSTSAssumeRoleAccess assumes the role; the session has the role permissions, not the user ones', async () => {
      const user = await L.makeUser(rootRam, { policies: ['AliyunSTSAssumeRoleAccess'] });
      const { key, session } = await L.assume(L.stsClient(env.port, user.key), oneImageRole.arn);
      const swas = L.swasClient(env.port, key);
      S.assertRequestIdOnly(await share(swas, img1));
      S.assertRequestIdOnly(await unshare(swas, img1));
      await L.expectDenied(share(swas, img2), sessionDenied(oneImageRole, session, SHARE));
      // The user itself still may not share.
      await L.expectDenied(share(L.swasClient(env.port, user.key), img1), subUserDenied(user, SHARE));
    });

    it('detaching the policy from the role takes effect for live sessions', async () => {
      const role = await L.makeRole(rootRam, acct, { policies: ['AliyunSWASReadOnlyAccess'] });
      const { key, session } = await L.assume(rootSts, role.arn);
      const swas = L.swasClient(env.port, key);
      await R.listCustomImages(swas);
      await RAM.detachPolicyFromRole(rootRam, { roleName: role.roleName, policyName: 'AliyunSWASReadOnlyAccess', policyType: 'System' });
      await L.expectDenied(R.listCustomImages(swas), sessionDenied(role, session, 'swas-open:ListCustomImages'));
    });

    it('a tampered SecurityToken -> 400 InvalidSecurityToken.Malformed (V3 and V1, SWAS and STS)', async () => {
      const { key } = await L.assume(rootSts, fullRole.arn);
      const t = key.SecurityToken;
      const flip = (s, i) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      const variants = {
        'one character changed in the middle': flip(t, Math.floor(t.length / 2)),
        'one character changed near the start': flip(t, 6),
        'last character changed': flip(t, t.length - 2),
        truncated: t.slice(0, t.length - 8),
        garbage: 'CAISnotarealtoken',
      };
      const malformed = { code: 'InvalidSecurityToken.Malformed', status: 400 };
      for (const [what, token] of Object.entries(variants)) {
        assert.notEqual(token, t, what);
        const k = { ...key, SecurityToken: token };
        try {
          await expectSdkError(R.listCustomImages(L.swasClient(env.port, k)), malformed);
          await expectSdkError(R.listCustomImages(L.swasClient(env.port, k, { signatureAlgorithm: 'v2' })), malformed);
          await expectSdkError(STS.getCallerIdentity(L.stsClient(env.port, k)), malformed);
        } catch (e) {
          assert.fail(`token ${what}: ${e.message}`);
        }
      }
      // The genuine token still works.
      assert.ok(Array.isArray((await R.listCustomImages(L.swasClient(env.port, key))).customImages));
    });

    it("another session's token with this key -> 400 InvalidSecurityToken.MismatchWithAccessKey", async () => {
      const a = await L.assume(rootSts, fullRole.arn);
      const b = await L.assume(rootSts, fullRole.arn);
      const mixed = { AccessKeyId: a.key.AccessKeyId, AccessKeySecret: a.key.AccessKeySecret, SecurityToken: b.key.SecurityToken };
      const mismatch = { code: 'InvalidSecurityToken.MismatchWithAccessKey', status: 400 };
      await expectSdkError(R.listCustomImages(L.swasClient(env.port, mixed)), mismatch);
      await expectSdkError(R.listCustomImages(L.swasClient(env.port, mixed, { signatureAlgorithm: 'v2' })), mismatch);
      await expectSdkError(STS.getCallerIdentity(L.stsClient(env.port, mixed)), mismatch);
    });
  });

  describe('GetCallerIdentity', () => {
    it('root: Account, acs:ram::<acct>:root', async () => {
      const body = await STS.getCallerIdentity(rootSts);
      assertCaller(body, { accountId: acct, identityType: 'Account', arn: `acs:ram::${acct}:root` });
      assert.match(body.requestId, /^[0-9A-F-]{36}$/);
    });

    it('RAM user: RAMUser, acs:ram::<acct>:user/<name>, UserId and PrincipalId = the UserId from CreateUser', async () => {
      const user = await L.makeUser(rootRam);
      const body = await STS.getCallerIdentity(L.stsClient(env.port, user.key));
      assertCaller(body, {
        accountId: acct, identityType: 'RAMUser', arn: `acs:ram::${acct}:user/${user.userName}`,
        userId: user.userId, principalId: user.userId,
      });
      // Also through V1 signing.
      assertCaller(await STS.getCallerIdentity(L.stsClient(env.port, user.key, { signatureAlgorithm: 'v2' })), { identityType: 'RAMUser', accountId: acct });
    });

    it('role session: AssumedRoleUser, acs:ram::<acct>:assumed-role/<role>/<session>, RoleId, PrincipalId <roleId>:<session>', async () => {
      const role = await L.makeRole(rootRam, acct);
      const { key, session } = await L.assume(rootSts, role.arn);
      const body = await STS.getCallerIdentity(L.stsClient(env.port, key));
      assertCaller(body, {
        accountId: acct, identityType: 'AssumedRoleUser', arn: `acs:ram::${acct}:assumed-role/${role.roleName}/${session}`,
        roleId: role.roleId, principalId: `${role.roleId}:${session}`,
      });
      assertCaller(await STS.getCallerIdentity(L.stsClient(env.port, key, { signatureAlgorithm: 'v2' })), { identityType: 'AssumedRoleUser' });
    });
  });
});

describe('STS credentials expire on the (test) clock', () => {
  let env, acct, rootSwas, rootRam, rootSts, imageId, role;

  before(async () => {
    env = await S.startSwas({ args: L.TEST_CLOCK_ARGS });
    acct = env.root.AccountId;
    rootSwas = S.swasClient(env.port, env.root);
    rootRam = L.ramClient(env.port, env.root);
    rootSts = L.stsClient(env.port, env.root);
    imageId = (await S.makeImage(rootSwas)).imageId;
    role = await L.makeRole(rootRam, acct, { policies: [{ custom: doc(allow(SHARE, imageArn(acct, imageId))) }] });
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('DurationSeconds 900: works until then, InvalidSecurityToken.Expired after (V3, V1, STS, even ListRegions)', async () => {
    const { key, body } = await L.assume(rootSts, role.arn, { durationSeconds: 900 });
    const exp = Date.parse(body.credentials.expiration);
    assert.ok(Math.abs(exp - (Date.now() + 900e3)) < 60e3, `Expiration ${body.credentials.expiration} is not 900 s from now`);
    const swas = L.swasClient(env.port, key);
    const swasV1 = L.swasClient(env.port, key, { signatureAlgorithm: 'v2' });
    const sts = L.stsClient(env.port, key);
    S.assertRequestIdOnly(await share(swas, imageId));

    await L.advanceClock(env.port, 600);
    S.assertRequestIdOnly(await unshare(swas, imageId));
    S.assertRequestIdOnly(await share(swasV1, imageId));
    assertCaller(await STS.getCallerIdentity(sts), { identityType: 'AssumedRoleUser' });

    await L.advanceClock(env.port, 310);
    const expired = { code: 'InvalidSecurityToken.Expired', status: 400 };
    await expectSdkError(unshare(swas, imageId), expired);
    await expectSdkError(unshare(swasV1, imageId), expired);
    await expectSdkError(STS.getCallerIdentity(sts), expired);
    await expectSdkError(swas.listRegions(new S.Swas.ListRegionsRequest({})), expired);
    assert.equal(await inShare(rootSwas, imageId), true, 'an expired session changed the image');

    // The root key is unaffected; a new session starts from the advanced clock.
    const again = await L.assume(rootSts, role.arn, { durationSeconds: 900 });
    assert.ok(Date.parse(again.body.credentials.expiration) >= exp + 900e3, `new Expiration ${again.body.credentials.expiration} vs old ${body.credentials.expiration}`);
    S.assertRequestIdOnly(await unshare(L.swasClient(env.port, again.key), imageId));
    assert.equal(await inShare(rootSwas, imageId), false);
  });

  it('the default duration is 3600 s: valid at +3590 s, expired at +3610 s', async () => {
    const { key } = await L.assume(rootSts, role.arn);
    const sts = L.stsClient(env.port, key);
    await L.advanceClock(env.port, 3590);
    assertCaller(await STS.getCallerIdentity(sts), { identityType: 'AssumedRoleUser' });
    await L.advanceClock(env.port, 20);
    await expectSdkError(STS.getCallerIdentity(sts), { code: 'InvalidSecurityToken.Expired', status: 400 });
  });

  it('a role with MaxSessionDuration 7200 and DurationSeconds 7200: valid at +7100 s, expired at +7210 s', async () => {
    const long = await L.makeRole(rootRam, acct, { maxSessionDuration: 7200 });
    const { key } = await L.assume(rootSts, long.arn, { durationSeconds: 7200 });
    const sts = L.stsClient(env.port, key);
    await L.advanceClock(env.port, 7100);
    assertCaller(await STS.getCallerIdentity(sts), { identityType: 'AssumedRoleUser' });
    await L.advanceClock(env.port, 110);
    await expectSdkError(STS.getCallerIdentity(sts), { code: 'InvalidSecurityToken.Expired', status: 400 });
  });
});

describe('soft mode (--ram-mode soft)', () => {
  let env, acct, rootSwas, rootRam, imageId;

  before(async () => {
    env = await S.startSwas({ args: ['--ram-mode', 'soft'] });
    acct = env.root.AccountId;
    rootSwas = S.swasClient(env.port, env.root);
    rootRam = L.ramClient(env.port, env.root);
    imageId = (await S.makeImage(rootSwas)).imageId;
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('what enforce mode denies is allowed (no policy, explicit Deny, RAM and ECS), and logged', async () => {
    const none = await L.makeUser(rootRam);
    const swas = L.swasClient(env.port, none.key);
    S.assertRequestIdOnly(await share(swas, imageId));
    assert.equal(await inShare(rootSwas, imageId), true);
    S.assertRequestIdOnly(await unshare(swas, imageId));
    assert.ok(Array.isArray((await R.listCustomImages(swas)).customImages));
    const denied = await L.makeUser(rootRam, { policies: [{ custom: doc(deny('swas-open:*', '*')) }] });
    const dSwas = L.swasClient(env.port, denied.key);
    S.assertRequestIdOnly(await share(dSwas, imageId));
    S.assertRequestIdOnly(await unshare(dSwas, imageId));
    assert.ok(L.items(await RAM.listUsers(L.ramClient(env.port, none.key)), 'users', 'user').length >= 2);
    assert.ok(Array.isArray(X.images(await X.E.describeImages(L.ecsClient(env.port, none.key)))));
    const log = env.server.stdout + env.server.stderr;
    assert.ok(log.includes(SHARE), `the soft-mode log does not mention ${SHARE}:\n${log.slice(-3000)}`);
  });

  it('role sessions without the permission are allowed as well', async () => {
    const role = await L.makeRole(rootRam, acct);
    const { key } = await L.assume(L.stsClient(env.port, env.root), role.arn);
    S.assertRequestIdOnly(await share(L.swasClient(env.port, key), imageId));
    S.assertRequestIdOnly(await unshare(L.swasClient(env.port, key), imageId));
  });

  it('authentication is still enforced: an inactive key is refused', async () => {
    const user = await L.makeUser(rootRam);
    await RAM.updateAccessKey(rootRam, { userName: user.userName, userAccessKeyId: user.key.AccessKeyId, status: 'Inactive' });
    await expectSdkError(share(L.swasClient(env.port, user.key), imageId), { code: 'InvalidAccessKeyId.Inactive', status: 400 });
  });
});

describe('cross-account isolation', () => {
  let env, a, b, aSwas, aRam, bSwas, bRam, imgA, imgB, userB, userBSwas;

  before(async () => {
    env = await S.startSwas();
    a = env.root;
    b = S.createAccount(env.dataDir, 'account-b');
    aSwas = S.swasClient(env.port, a);
    aRam = L.ramClient(env.port, a);
    bSwas = S.swasClient(env.port, b);
    bRam = L.ramClient(env.port, b);
    const [x, y] = await Promise.all([S.makeImage(aSwas), S.makeImage(bSwas)]);
    imgA = x.imageId;
    imgB = y.imageId;
    userB = await L.makeUser(bRam, { policies: ['AliyunSWASFullAccess'] });
    userBSwas = L.swasClient(env.port, userB.key);
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it("B's user (swas-open:* allowed) never sees A's images: lists omit them, Share/UnShare -> 404 NotFound, not 403", async () => {
    const listed = (await R.listCustomImages(userBSwas)).customImages.map(i => i.imageId);
    assert.deepEqual(listed, [imgB]);
    assert.deepEqual((await R.listCustomImages(userBSwas, { imageIds: jsonIds([imgA]) })).customImages, []);
    await expectSdkError(share(userBSwas, imgA), NOT_FOUND_IMAGE);
    await expectSdkError(unshare(userBSwas, imgA), NOT_FOUND_IMAGE);
    await expectSdkError(R.deleteCustomImage(userBSwas, { imageId: imgA }), NOT_FOUND_IMAGE);
    assert.equal(await inShare(aSwas, imgA), false);
    // Its own account's image works.
    S.assertRequestIdOnly(await share(userBSwas, imgB));
    assert.equal(await inShare(bSwas, imgB), true);
    S.assertRequestIdOnly(await unshare(userBSwas, imgB));
  });

  it("B's user is B's: GetCallerIdentity names B; denials carry B as owner", async () => {
    assertCaller(await STS.getCallerIdentity(L.stsClient(env.port, userB.key)), { accountId: b.AccountId, identityType: 'RAMUser' });
    await L.expectDenied(RAM.listUsers(L.ramClient(env.port, userB.key)), {
      action: 'ram:ListUsers', principalType: 'SubUser', ownerId: b.AccountId,
    });
  });

  it("RAM namespaces are per account: same user name in both; A's user/policy/role unknown to B", async () => {
    const name = L.uniq('same-name');
    await RAM.createUser(aRam, { userName: name });
    await RAM.createUser(bRam, { userName: name });
    const ua = (await RAM.getUser(aRam, { userName: name })).user;
    const ub = (await RAM.getUser(bRam, { userName: name })).user;
    assert.notEqual(ua.userId, ub.userId);
    const userA = await L.makeUser(aRam);
    await expectSdkError(RAM.getUser(bRam, { userName: userA.userName }), { code: 'EntityNotExist.User', status: 404 });
    const namesB = L.items(await RAM.listUsers(bRam), 'users', 'user').map(u => u.userName);
    assert.ok(!namesB.includes(userA.userName), JSON.stringify(namesB));
    const pol = await L.makePolicy(aRam, doc(allow(SHARE, '*')));
    await expectSdkError(RAM.getPolicy(bRam, { policyName: pol, policyType: 'Custom' }), { code: 'EntityNotExist.Policy', status: 404 });
    await expectSdkError(RAM.attachPolicyToUser(bRam, { policyName: pol, policyType: 'Custom', userName: userB.userName }), { code: 'EntityNotExist.Policy', status: 404 });
    // A's key can't be managed by B.
    await expectSdkError(RAM.listAccessKeys(bRam, { userName: userA.userName }), { code: 'EntityNotExist.User', status: 404 });
  });

  it("B's root cannot assume A's role that trusts only A (403 NoPermission); A's root can", async () => {
    const role = await L.makeRole(aRam, a.AccountId, { policies: ['AliyunSWASFullAccess'] });
    await expectSdkError(STS.assumeRole(L.stsClient(env.port, b), { roleArn: role.arn, roleSessionName: 'from-b' }), NO_PERMISSION);
    const s = await L.assume(L.stsClient(env.port, a), role.arn);
    assert.ok((await R.listCustomImages(L.swasClient(env.port, s.key))).customImages.some(i => i.imageId === imgA));
  });
});

'use strict';
// ECS security groups and key pairs through the official ECS SDK (with a VPC made through the
// official VPC SDK): a group in a VPC, inbound rules in both forms a script sends them
// (Permissions.N, and the flat IpProtocol/PortRange/... form Terraform's
// alicloud_security_group_rule uses), DescribeSecurityGroupAttribute, revocation by fields and by
// SecurityGroupRuleId, DependencyViolation while an instance uses the group; CreateKeyPair
// handing out a real RSA private key, ImportKeyPair of ed25519 and RSA keys made with node:crypto,
// fingerprints as `ssh-keygen -E md5` computes them, and the refusals with Alibaba's codes.
// Another account sees none of it.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Vpc = require('@alicloud/vpc20160428');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const { removeDir } = require('./lib/server');
const { expectSdkError } = require('./lib/expect');
const X = require('./lib/ecs');
const S = require('./lib/swas');
const L = require('./lib/ram');

const { Ecs, REGION } = X;
const ZONE = 'cn-hangzhou-k';

const vpcClient = (port, key) => new Vpc.default(new $OpenApiUtil.Config({
  accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret,
  endpoint: `127.0.0.1:${port}`, protocol: 'http', readTimeout: 10000, connectTimeout: 10000,
}));

const body = p => p.then(r => r.body);
const G = {
  create: (c, f = {}) => body(c.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId: REGION, ...f }))),
  describe: (c, f = {}) => body(c.describeSecurityGroups(new Ecs.DescribeSecurityGroupsRequest({ regionId: REGION, ...f }))),
  remove: (c, f = {}) => body(c.deleteSecurityGroup(new Ecs.DeleteSecurityGroupRequest({ regionId: REGION, ...f }))),
  authorize: (c, f = {}) => body(c.authorizeSecurityGroup(new Ecs.AuthorizeSecurityGroupRequest({ regionId: REGION, ...f }))),
  revoke: (c, f = {}) => body(c.revokeSecurityGroup(new Ecs.RevokeSecurityGroupRequest({ regionId: REGION, ...f }))),
  attribute: (c, f = {}) => body(c.describeSecurityGroupAttribute(new Ecs.DescribeSecurityGroupAttributeRequest({ regionId: REGION, ...f }))),
};
const K = {
  create: (c, f = {}) => body(c.createKeyPair(new Ecs.CreateKeyPairRequest({ regionId: REGION, ...f }))),
  import: (c, f = {}) => body(c.importKeyPair(new Ecs.ImportKeyPairRequest({ regionId: REGION, ...f }))),
  describe: (c, f = {}) => body(c.describeKeyPairs(new Ecs.DescribeKeyPairsRequest({ regionId: REGION, ...f }))),
  remove: (c, f = {}) => body(c.deleteKeyPairs(new Ecs.DeleteKeyPairsRequest({ regionId: REGION, ...f }))),
};
const perm = f => new Ecs.AuthorizeSecurityGroupRequestPermissions(f);
const revokePerm = f => new Ecs.RevokeSecurityGroupRequestPermissions(f);
const groupsOf = b => X.items(b, 'securityGroups', 'securityGroup');
const rulesOf = b => X.items(b, 'permissions', 'permission');
const pairsOf = b => X.items(b, 'keyPairs', 'keyPair');

// --- OpenSSH public keys, built here from node:crypto keys (independent of swasd's code) ---
const sshString = buf => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(buf.length);
  return Buffer.concat([len, buf]);
};
const mpint = b64url => {
  let b = Buffer.from(b64url, 'base64url');
  if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return sshString(b);
};
function rsaBlob(publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([sshString(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]);
}
function ed25519Blob(publicKey) {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url');
  return Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(raw)]);
}
const md5Fingerprint = blob => crypto.createHash('md5').update(blob).digest('hex').match(/../g).join(':');
const FINGERPRINT_RE = /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/;

describe('ECS security groups and key pairs through the ECS SDK', () => {
  let env, ecs, ecs2, vpc, other, vpcId, vswId, sgId;

  before(async () => {
    env = await X.startEcs({ args: ['--vpc-ready-ms', '200'] });
    ecs = X.ecsClient(env.port, env.root);
    vpc = vpcClient(env.port, env.root);
    other = S.createAccount(env.dataDir, 'other');
    ecs2 = X.ecsClient(env.port, other);
    vpcId = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16' }))).body.vpcId;
    const available = async () => {
      const v = (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId: REGION, vpcId }))).body.vpcs.vpc[0];
      return v.status === 'Available' ? v : null;
    };
    await S.waitFor(available, 15000, { what: 'VPC Available' });
  });
  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('CreateSecurityGroup in a VPC -> sg-…; DescribeSecurityGroups shows it with its VPC, type and tags', async () => {
    const b = await G.create(ecs, {
      vpcId, securityGroupName: 'web', description: 'launch path', securityGroupType: 'normal',
      tag: [new Ecs.CreateSecurityGroupRequestTag({ key: 'env', value: 'e2e' })],
    });
    assert.match(b.securityGroupId, /^sg-[0-9a-z]+$/);
    sgId = b.securityGroupId;
    const list = await G.describe(ecs, { vpcId });
    assert.equal(list.totalCount, 1);
    assert.equal(list.regionId, REGION);
    const g = groupsOf(list)[0];
    assert.equal(g.securityGroupId, sgId);
    assert.equal(g.securityGroupName, 'web');
    assert.equal(g.description, 'launch path');
    assert.equal(g.vpcId, vpcId);
    assert.equal(g.securityGroupType, 'normal');
    assert.equal(g.ecsCount, 0);
    assert.equal(g.ruleCount, 0);
    assert.match(g.creationTime, X.ECS_TIME_RE);
    assert.deepEqual(X.items(g, 'tags', 'tag').map(t => [t.tagKey, t.tagValue]), [['env', 'e2e']]);
    // Filters: the JSON-array id list, a single id, the name, NetworkType.
    assert.equal((await G.describe(ecs, { securityGroupIds: JSON.stringify([sgId]) })).totalCount, 1);
    assert.equal((await G.describe(ecs, { securityGroupId: 'sg-nothere' })).totalCount, 0);
    assert.equal((await G.describe(ecs, { securityGroupName: 'web' })).totalCount, 1);
    assert.equal((await G.describe(ecs, { networkType: 'classic' })).totalCount, 0);
  });

  it('CreateSecurityGroup refusals: a VPC that does not exist, no VPC, a bad name or type', async () => {
    await expectSdkError(G.create(ecs, { vpcId: 'vpc-nothere' }), { code: 'InvalidVpcId.NotFound', status: 404 });
    await expectSdkError(G.create(ecs), { code: 'InvalidVpcId.NotFound', status: 403 });
    await expectSdkError(G.create(ecs, { vpcId, securityGroupName: '1st' }), { code: 'InvalidSecurityGroupName.Malformed', status: 400 });
    await expectSdkError(G.create(ecs, { vpcId, securityGroupType: 'vip' }), { code: 'InvalidParams.GroupType', status: 400 });
    // The other account cannot put a group in this account's VPC.
    await expectSdkError(G.create(ecs2, { vpcId }), { code: 'InvalidVpcId.NotFound', status: 404 });
  });

  // CreateSecurityGroup's page: 2-128 characters, a (Unicode) letter first, then letters, digits,
  // ':', '_', '.', '-' -- colons too, unlike VPC names; no spaces. Descriptions: 2-256 characters,
  // not a link; spaces allowed.
  it('SecurityGroupName follows the security group rule, not VPC\'s: colons yes, spaces no; Description takes spaces', async () => {
    const created = [];
    for (const name of ['web:prod', 'sg:1.a_b-c', 'Größe', '安全组:测试']) {
      const { securityGroupId } = await G.create(ecs, { vpcId, securityGroupName: name, description: 'two words' });
      created.push(securityGroupId);
      const g = X.items(await G.describe(ecs, { securityGroupId }), 'securityGroups', 'securityGroup')[0];
      assert.equal(g.securityGroupName, name);
      assert.equal(g.description, 'two words');
    }
    for (const name of ['web prod', 'web\u3000prod', ':web', 'a', 'x'.repeat(129), 'https://sg', 'web/prod']) {
      await expectSdkError(G.create(ecs, { vpcId, securityGroupName: name }),
        { code: 'InvalidSecurityGroupName.Malformed', status: 400 });
    }
    for (const description of ['x', 'http://x', 'y'.repeat(257)]) {
      await expectSdkError(G.create(ecs, { vpcId, securityGroupName: 'ok', description }),
        { code: 'InvalidDescription.Malformed', status: 400 });
    }
    for (const id of created) await G.remove(ecs, { securityGroupId: id });
  });

  it('AuthorizeSecurityGroup: Permissions.N and the flat form; DescribeSecurityGroupAttribute lists the rules', async () => {
    await G.authorize(ecs, {
      securityGroupId: sgId,
      permissions: [
        perm({ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', description: 'ssh' }),
        perm({ ipProtocol: 'ICMP', portRange: '-1/-1', sourceCidrIp: '10.0.0.0/8', policy: 'drop', priority: '50' }),
      ],
    });
    // What Terraform's alicloud_security_group_rule sends for an ingress rule.
    S.assertRequestIdOnly(await G.authorize(ecs, {
      securityGroupId: sgId, ipProtocol: 'tcp', portRange: '80/80', nicType: 'intranet',
      policy: 'accept', priority: '1', sourceCidrIp: '192.168.1.10',
    }));
    // The same rule again: nothing added.
    await G.authorize(ecs, { securityGroupId: sgId, ipProtocol: 'TCP', portRange: '80/80', sourceCidrIp: '192.168.1.10' });
    const attr = await G.attribute(ecs, { securityGroupId: sgId });
    assert.equal(attr.securityGroupId, sgId);
    assert.equal(attr.securityGroupName, 'web');
    assert.equal(attr.vpcId, vpcId);
    assert.equal(attr.regionId, REGION);
    const rules = rulesOf(attr);
    assert.equal(rules.length, 3, JSON.stringify(rules));
    const ssh = rules.find(r => r.portRange === '22/22');
    assert.match(ssh.securityGroupRuleId, /^sgr-[0-9a-z]+$/);
    assert.equal(ssh.ipProtocol, 'TCP');
    assert.equal(ssh.sourceCidrIp, '0.0.0.0/0');
    assert.equal(ssh.policy, 'Accept');
    assert.equal(ssh.priority, '1');
    assert.equal(ssh.direction, 'ingress');
    assert.equal(ssh.nicType, 'intranet');
    assert.equal(ssh.description, 'ssh');
    assert.match(ssh.createTime, X.ECS_TIME_RE);
    const icmp = rules.find(r => r.ipProtocol === 'ICMP');
    assert.deepEqual([icmp.portRange, icmp.policy, icmp.priority], ['-1/-1', 'Drop', '50']);
    assert.equal(rules.find(r => r.portRange === '80/80').sourceCidrIp, '192.168.1.10');
    assert.equal(rulesOf(await G.attribute(ecs, { securityGroupId: sgId, direction: 'egress' })).length, 0);
    assert.equal(groupsOf(await G.describe(ecs, { securityGroupId: sgId }))[0].ruleCount, 3);
  });

  it('AuthorizeSecurityGroup refusals with Alibaba codes', async () => {
    const flat = f => G.authorize(ecs, { securityGroupId: sgId, ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0', ...f });
    await expectSdkError(flat({ ipProtocol: 'sctp' }), { code: 'InvalidIpProtocol.ValueNotSupported', status: 400 });
    await expectSdkError(flat({ portRange: '443' }), { code: 'InvalidParam.PortRange', status: 400 });
    await expectSdkError(flat({ portRange: '0/70000' }), { code: 'InvalidParam.PortRange', status: 400 });
    await expectSdkError(flat({ ipProtocol: 'all', portRange: '1/65535' }), { code: 'OperationDenied', status: 400 });
    await expectSdkError(flat({ portRange: '-1/-1' }), { code: 'OperationDenied', status: 400 });
    await expectSdkError(flat({ sourceCidrIp: '10.0.0.1/8' }), { code: 'InvalidSourceCidrIp.Malformed', status: 400 });
    await expectSdkError(flat({ sourceCidrIp: undefined }), { code: 'MissingParameter', status: 403 });
    await expectSdkError(flat({ policy: 'allow' }), { code: 'InvalidPolicy.Malformed', status: 400 });
    await expectSdkError(flat({ priority: '101' }), { code: 'InvalidPriority.Malformed', status: 400 });
    await expectSdkError(flat({ nicType: 'public' }), { code: 'InvalidNicType.ValueNotSupported', status: 400 });
    const dup = perm({ ipProtocol: 'udp', portRange: '53/53', sourceCidrIp: '0.0.0.0/0' });
    await expectSdkError(G.authorize(ecs, { securityGroupId: sgId, permissions: [dup, dup] }),
      { code: 'InvalidParam.DuplicatePermissions', status: 400 });
    await expectSdkError(G.authorize(ecs, { securityGroupId: sgId, permissions: [dup], ipProtocol: 'tcp' }),
      { code: 'InvalidParam.Permissions', status: 400 });
    await expectSdkError(flat({ securityGroupId: 'sg-nothere' }), { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
    assert.equal(rulesOf(await G.attribute(ecs, { securityGroupId: sgId })).length, 3);
  });

  it('RevokeSecurityGroup: by fields (both forms) and by SecurityGroupRuleId.N', async () => {
    // Terraform's delete: the same flat fields it authorized with.
    S.assertRequestIdOnly(await G.revoke(ecs, {
      securityGroupId: sgId, ipProtocol: 'tcp', portRange: '80/80', nicType: 'intranet',
      policy: 'accept', priority: '1', sourceCidrIp: '192.168.1.10',
    }));
    let rules = rulesOf(await G.attribute(ecs, { securityGroupId: sgId }));
    assert.deepEqual(rules.map(r => r.portRange).sort(), ['-1/-1', '22/22']);
    await G.revoke(ecs, {
      securityGroupId: sgId,
      permissions: [revokePerm({ ipProtocol: 'icmp', portRange: '-1/-1', sourceCidrIp: '10.0.0.0/8', policy: 'drop', priority: '50' })],
    });
    rules = rulesOf(await G.attribute(ecs, { securityGroupId: sgId }));
    assert.deepEqual(rules.map(r => r.portRange), ['22/22']);
    await expectSdkError(G.revoke(ecs, { securityGroupId: sgId, securityGroupRuleId: ['sgr-nothere'] }),
      { code: 'InvalidSecurityGroupRuleId.NotFound', status: 404 });
    await G.revoke(ecs, { securityGroupId: sgId, securityGroupRuleId: [rules[0].securityGroupRuleId] });
    assert.equal(rulesOf(await G.attribute(ecs, { securityGroupId: sgId })).length, 0);
    // Put SSH back for the rest of the walk.
    await G.authorize(ecs, { securityGroupId: sgId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0' });
  });

  it('another account neither sees nor changes the group', async () => {
    assert.equal((await G.describe(ecs2)).totalCount, 0);
    assert.equal((await G.describe(ecs2, { securityGroupId: sgId })).totalCount, 0);
    await expectSdkError(G.attribute(ecs2, { securityGroupId: sgId }), { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
    await expectSdkError(G.authorize(ecs2, { securityGroupId: sgId, ipProtocol: 'tcp', portRange: '1/1', sourceCidrIp: '0.0.0.0/0' }),
      { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
    await expectSdkError(G.remove(ecs2, { securityGroupId: sgId }), { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
  });

  it('DescribeSecurityGroups pages by PageNumber/PageSize and by NextToken/MaxResults', async () => {
    const more = [];
    for (const name of ['db', 'cache']) more.push((await G.create(ecs, { vpcId, securityGroupName: name })).securityGroupId);
    const p2 = await G.describe(ecs, { pageNumber: 2, pageSize: 2 });
    assert.equal(p2.totalCount, 3);
    assert.equal(p2.pageNumber, 2);
    assert.deepEqual(groupsOf(p2).map(g => g.securityGroupId), [more[1]]);
    const t1 = await G.describe(ecs, { maxResults: 2 });
    assert.deepEqual(groupsOf(t1).map(g => g.securityGroupId), [sgId, more[0]]);
    assert.ok(t1.nextToken, JSON.stringify(t1));
    const t2 = await G.describe(ecs, { maxResults: 2, nextToken: t1.nextToken });
    assert.deepEqual(groupsOf(t2).map(g => g.securityGroupId), [more[1]]);
    assert.equal(t2.nextToken, '');
    await expectSdkError(G.describe(ecs, { nextToken: 'garbage' }), { code: 'InValidParameter.NextToken', status: 400 });
    for (const id of more) S.assertRequestIdOnly(await G.remove(ecs, { securityGroupId: id }));
  });

  it('DeleteSecurityGroup: DependencyViolation while an instance uses it, then gone', async () => {
    const vsw = await vpc.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId: REGION, zoneId: ZONE, vpcId, cidrBlock: '192.168.1.0/24' }));
    vswId = vsw.body.vSwitchId;
    const switchReady = async () => {
      const s = (await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId: REGION, vSwitchId: vswId }))).body.vSwitches.vSwitch[0];
      return s.status === 'Available' ? s : null;
    };
    await S.waitFor(switchReady, 15000, { what: 'vSwitch Available' });
    const image = await X.publicImageId(ecs);
    const id = await X.runOne(ecs, { imageId: image, zoneId: ZONE, vSwitchId: vswId, securityGroupId: sgId });
    assert.equal(groupsOf(await G.describe(ecs, { securityGroupId: sgId }))[0].ecsCount, 1);
    await expectSdkError(G.remove(ecs, { securityGroupId: sgId }), { code: 'DependencyViolation', status: 403, messageIncludes: 'instance' });
    await X.E.deleteInstance(ecs, { instanceId: id, force: true });
    await X.waitGone(ecs, id);
    S.assertRequestIdOnly(await G.remove(ecs, { securityGroupId: sgId }));
    await expectSdkError(G.remove(ecs, { securityGroupId: sgId }), { code: 'InvalidSecurityGroupId.NotFound', status: 404 });
    assert.equal((await G.describe(ecs)).totalCount, 0);
  });

  it('CreateKeyPair returns a real RSA 2048 private key once; its fingerprint is the MD5 of its public key', async () => {
    const b = await K.create(ecs, { keyPairName: 'made-here' });
    assert.equal(b.keyPairName, 'made-here');
    assert.match(b.keyPairId, /^kp-[0-9a-z]+$/);
    assert.match(b.privateKeyBody, /^-----BEGIN RSA PRIVATE KEY-----\n/);
    const priv = crypto.createPrivateKey(b.privateKeyBody);
    assert.equal(priv.asymmetricKeyType, 'rsa');
    assert.equal(priv.asymmetricKeyDetails.modulusLength, 2048);
    const blob = rsaBlob(crypto.createPublicKey(priv));
    assert.equal(b.keyPairFingerPrint, md5Fingerprint(blob));
    // The private key signs; the stored public key verifies.
    const listed = pairsOf(await K.describe(ecs, { keyPairName: 'made-here', includePublicKey: true }));
    assert.equal(listed.length, 1);
    assert.equal(listed[0].publicKey, `ssh-rsa ${blob.toString('base64')}`);
    assert.equal(listed[0].keyPairFingerPrint, b.keyPairFingerPrint);
    assert.match(listed[0].creationTime, X.ECS_TIME_RE);
    const sig = crypto.sign('sha256', Buffer.from('hello'), priv);
    assert.ok(crypto.verify('sha256', Buffer.from('hello'), crypto.createPublicKey(priv), sig));
  });

  it('ImportKeyPair: ssh-ed25519 and ssh-rsa keys from node:crypto, with ssh-keygen fingerprints', async () => {
    const ed = crypto.generateKeyPairSync('ed25519').publicKey;
    const edBlob = ed25519Blob(ed);
    const a = await K.import(ecs, { keyPairName: 'laptop-ed', publicKeyBody: `ssh-ed25519 ${edBlob.toString('base64')} me@laptop` });
    assert.equal(a.keyPairName, 'laptop-ed');
    assert.equal(a.keyPairFingerPrint, md5Fingerprint(edBlob));
    assert.match(a.keyPairFingerPrint, FINGERPRINT_RE);
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const rsaB = rsaBlob(rsa);
    const r = await K.import(ecs, { keyPairName: 'laptop-rsa', publicKeyBody: `ssh-rsa ${rsaB.toString('base64')}` });
    assert.equal(r.keyPairFingerPrint, md5Fingerprint(rsaB));
    // Lookups: wildcard name, fingerprint.
    const lap = pairsOf(await K.describe(ecs, { keyPairName: 'laptop-*' }));
    assert.deepEqual(lap.map(k => k.keyPairName).sort(), ['laptop-ed', 'laptop-rsa']);
    assert.equal(lap[0].publicKey, undefined);
    const byPrint = pairsOf(await K.describe(ecs, { keyPairFingerPrint: r.keyPairFingerPrint }));
    assert.deepEqual(byPrint.map(k => k.keyPairName), ['laptop-rsa']);
    const page = await K.describe(ecs, { pageSize: 2, pageNumber: 2 });
    assert.equal(page.totalCount, 3);
    assert.equal(pairsOf(page).length, 1);
  });

  it('key pair refusals: garbage, a mismatched type, a duplicate name, a bad name', async () => {
    const ed = ed25519Blob(crypto.generateKeyPairSync('ed25519').publicKey).toString('base64');
    await expectSdkError(K.import(ecs, { keyPairName: 'junk', publicKeyBody: 'not a key at all' }),
      { code: 'InvalidPublicKeyBody.Malformed', status: 400 });
    await expectSdkError(K.import(ecs, { keyPairName: 'junk', publicKeyBody: `ssh-rsa ${ed}` }),
      { code: 'InvalidPublicKeyBody.Malformed', status: 400 });
    await expectSdkError(K.import(ecs, { keyPairName: 'junk', publicKeyBody: `ssh-ed25519 ${ed.slice(0, 30)}` }),
      { code: 'InvalidPublicKeyBody.Malformed', status: 400 });
    await expectSdkError(K.import(ecs, { keyPairName: 'laptop-ed', publicKeyBody: `ssh-ed25519 ${ed}` }),
      { code: 'KeyPair.AlreadyExist', status: 400 });
    await expectSdkError(K.create(ecs, { keyPairName: 'made-here' }), { code: 'KeyPair.AlreadyExist', status: 400 });
    await expectSdkError(K.create(ecs, { keyPairName: '9key' }), { code: 'InvalidKeyPairName.Malformed', status: 400 });
    assert.equal((await K.describe(ecs, { keyPairName: 'junk' })).totalCount, 0);
  });

  it('key pairs are per account; DeleteKeyPairs takes a JSON array and ignores unknown names', async () => {
    assert.equal((await K.describe(ecs2)).totalCount, 0);
    // The other account may use the same name.
    await K.create(ecs2, { keyPairName: 'made-here' });
    S.assertRequestIdOnly(await K.remove(ecs, { keyPairNames: JSON.stringify(['made-here', 'laptop-ed', 'nothere']) }));
    assert.deepEqual(pairsOf(await K.describe(ecs)).map(k => k.keyPairName), ['laptop-rsa']);
    assert.deepEqual(pairsOf(await K.describe(ecs2)).map(k => k.keyPairName), ['made-here']);
    await K.remove(ecs, { keyPairNames: JSON.stringify(['laptop-rsa']) });
    assert.equal((await K.describe(ecs)).totalCount, 0);
  });

  it('RAM: ecs:Describe* lists groups and key pairs but cannot create them (Forbidden.RAM)', async () => {
    const ram = L.ramClient(env.port, env.root);
    const user = await L.makeUser(ram, { policies: [{ custom: L.doc(L.allow('ecs:Describe*', '*')) }] });
    const uc = X.ecsClient(env.port, user.key);
    assert.equal((await G.describe(uc)).totalCount, 0);
    assert.equal((await K.describe(uc)).totalCount, 0);
    await L.expectDenied(G.create(uc, { vpcId }), L.subUserDenied(env.root.AccountId, user, 'ecs:CreateSecurityGroup'));
    await L.expectDenied(K.create(uc, { keyPairName: 'nope' }), L.subUserDenied(env.root.AccountId, user, 'ecs:CreateKeyPair'));
  });
});

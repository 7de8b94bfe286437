'use strict';
// Fixtures for the RAM (2015-05-01) and STS (2015-04-01) tests: the official RAM and STS SDK
// clients pointed at swasd, thin wrappers returning the SDK-cast body, policy-document builders,
// ARNs, users with keys and policies, role sessions, the test clock, and the assertion for a
// RAM denial (403 Forbidden.RAM with AccessDeniedDetail).
//
// A "key" everywhere here is {AccessKeyId, AccessKeySecret[, SecurityToken]}: a root key, a RAM
// user's AccessKey, or the Credentials of an STS session. Clients built from a key with a
// SecurityToken send it the way the SDK does (V3: x-acs-security-token; V1: SecurityToken).
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const Ram = require('@alicloud/ram20150501');
const Sts = require('@alicloud/sts20150401');
const { $OpenApiUtil } = require('@alicloud/openapi-core');

const { clients, callApi, REQUEST_ID_RE } = require('./server');
const { expectSdkError } = require('./expect');
const S = require('./swas');
const { ecsClient: ecsClientOf } = require('./ecs');

const RAM_VERSION = '2015-05-01';
const STS_VERSION = '2015-04-01';
const SDK_TIMEOUT_MS = 10000;

const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NUMERIC_ID_RE = /^\d+$/;

const SYSTEM_POLICIES = [
  'AdministratorAccess', 'AliyunSWASFullAccess', 'AliyunSWASReadOnlyAccess', 'AliyunECSFullAccess',
  'AliyunECSReadOnlyAccess', 'AliyunRAMFullAccess', 'AliyunRAMReadOnlyAccess', 'AliyunSTSAssumeRoleAccess',
];

// ------------------------------------------------------------------------------------------
// Clients

function config(port, key, extra = {}) {
  const c = {
    accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret,
    endpoint: `127.0.0.1:${port}`, protocol: 'http',
    readTimeout: SDK_TIMEOUT_MS, connectTimeout: SDK_TIMEOUT_MS,
  };
  if (key.SecurityToken) c.securityToken = key.SecurityToken;
  return new $OpenApiUtil.Config(Object.assign(c, extra));
}

const ramClient = (port, key, extra) => new Ram.default(config(port, key, extra));
const stsClient = (port, key, extra) => new Sts.default(config(port, key, extra));
// swas and ECS clients that carry the key's SecurityToken, if any.
const swasClient = (port, key, extra = {}) =>
  clients.swas(port, key.AccessKeyId, key.AccessKeySecret, Object.assign(key.SecurityToken ? { securityToken: key.SecurityToken } : {}, extra));
const ecsClient = (port, key, extra = {}) =>
  ecsClientOf(port, key, Object.assign(key.SecurityToken ? { securityToken: key.SecurityToken } : {}, extra));
// openapi-core's generic client, for raw PascalCase wire bodies (no SDK cast).
const openapiClient = (port, key, extra = {}) =>
  clients.openapi(port, key.AccessKeyId, key.AccessKeySecret, Object.assign(key.SecurityToken ? { securityToken: key.SecurityToken } : {}, extra));

// Raw wire body of a RAM or STS action.
async function ramRaw(openapi, action, query = {}) {
  return (await callApi(openapi, action, { version: RAM_VERSION, query })).body;
}
async function stsRaw(openapi, action, query = {}) {
  return (await callApi(openapi, action, { version: STS_VERSION, query })).body;
}

// ------------------------------------------------------------------------------------------
// Thin SDK wrappers: plain camelCase fields in, cast body out.

const call = (method, Req) => (c, f = {}) => c[method](new Req(f)).then(r => r.body);

const RAM = {
  createUser: call('createUser', Ram.CreateUserRequest),
  getUser: call('getUser', Ram.GetUserRequest),
  listUsers: call('listUsers', Ram.ListUsersRequest),
  deleteUser: call('deleteUser', Ram.DeleteUserRequest),
  createAccessKey: call('createAccessKey', Ram.CreateAccessKeyRequest),
  listAccessKeys: call('listAccessKeys', Ram.ListAccessKeysRequest),
  updateAccessKey: call('updateAccessKey', Ram.UpdateAccessKeyRequest),
  deleteAccessKey: call('deleteAccessKey', Ram.DeleteAccessKeyRequest),
  createPolicy: call('createPolicy', Ram.CreatePolicyRequest),
  getPolicy: call('getPolicy', Ram.GetPolicyRequest),
  listPolicies: call('listPolicies', Ram.ListPoliciesRequest),
  createPolicyVersion: call('createPolicyVersion', Ram.CreatePolicyVersionRequest),
  setDefaultPolicyVersion: call('setDefaultPolicyVersion', Ram.SetDefaultPolicyVersionRequest),
  deletePolicy: call('deletePolicy', Ram.DeletePolicyRequest),
  attachPolicyToUser: call('attachPolicyToUser', Ram.AttachPolicyToUserRequest),
  detachPolicyFromUser: call('detachPolicyFromUser', Ram.DetachPolicyFromUserRequest),
  listPoliciesForUser: call('listPoliciesForUser', Ram.ListPoliciesForUserRequest),
  createRole: call('createRole', Ram.CreateRoleRequest),
  getRole: call('getRole', Ram.GetRoleRequest),
  deleteRole: call('deleteRole', Ram.DeleteRoleRequest),
  attachPolicyToRole: call('attachPolicyToRole', Ram.AttachPolicyToRoleRequest),
  detachPolicyFromRole: call('detachPolicyFromRole', Ram.DetachPolicyFromRoleRequest),
};

const STS = {
  assumeRole: call('assumeRole', Sts.AssumeRoleRequest),
  getCallerIdentity: c => c.getCallerIdentity().then(r => r.body),
};

// body[outer][inner] must be an array (the SDK turns a bare array into {} and loses the items).
function items(body, outer, inner) {
  const ctx = JSON.stringify(body).slice(0, 600);
  assert.ok(body && typeof body === 'object', `no body: ${ctx}`);
  const w = body[outer];
  assert.ok(w && typeof w === 'object' && !Array.isArray(w), `${outer} is not a wrapper object (bare array or missing?): ${ctx}`);
  assert.ok(Array.isArray(w[inner]), `${outer}.${inner} is not an array: ${ctx}`);
  return w[inner];
}

// ------------------------------------------------------------------------------------------
// Names, ARNs, policy documents

// A unique RAM name: prefix + 8 hex digits (letters, digits, '-').
const uniq = (prefix = 'x') => `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

const imageArn = (account, imageId, region = S.REGION) => `acs:swas-open:${region}:${account}:customimage/${imageId}`;
const roleArn = (account, roleName) => `acs:ram::${account}:role/${roleName}`;

const stmt = (effect, action, resource = '*', condition) => {
  const s = { Effect: effect, Action: action, Resource: resource };
  if (condition) s.Condition = condition;
  return s;
};
const allow = (action, resource, condition) => stmt('Allow', action, resource, condition);
const deny = (action, resource, condition) => stmt('Deny', action, resource, condition);
// A policy document (JSON text) of the statements given.
const doc = (...statements) => JSON.stringify({ Version: '1', Statement: statements });
// The trust policy letting any identity of `account` assume a role.
const trustAccount = account => JSON.stringify({
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${account}:root`] } }],
  Version: '1',
});

// ------------------------------------------------------------------------------------------
// Builders

// A custom policy; resolves its name.
async function makePolicy(ram, document, { name = uniq('pol'), description } = {}) {
  await RAM.createPolicy(ram, { policyName: name, policyDocument: document, description });
  return name;
}

// A RAM user with one AccessKey and the given policies attached. `policies` items are a system
// policy name, {custom: <document>} (created first) or {name, type}. Resolves
// {userName, userId, key: {AccessKeyId, AccessKeySecret}, policies: [names]}.
async function makeUser(ram, { name = uniq('user'), policies = [] } = {}) {
  const u = await RAM.createUser(ram, { userName: name });
  assert.ok(u.user && u.user.userName === name, `CreateUser answer: ${JSON.stringify(u)}`);
  const k = await RAM.createAccessKey(ram, { userName: name });
  assert.ok(k.accessKey && k.accessKey.accessKeyId && k.accessKey.accessKeySecret, `CreateAccessKey answer: ${JSON.stringify(k)}`);
  const names = [];
  for (const p of policies) {
    let policyName, policyType;
    if (typeof p === 'string') { policyName = p; policyType = 'System'; }
    else if (p.custom) { policyName = await makePolicy(ram, p.custom); policyType = 'Custom'; }
    else { policyName = p.name; policyType = p.type || 'Custom'; }
    await RAM.attachPolicyToUser(ram, { userName: name, policyName, policyType });
    names.push(policyName);
  }
  return {
    userName: name, userId: u.user.userId, policies: names,
    key: { AccessKeyId: k.accessKey.accessKeyId, AccessKeySecret: k.accessKey.accessKeySecret },
  };
}

// makeUser, plus a swas client with the user's key (`extra`: client config). Resolves {user, swas}.
async function makeSwasUser(port, ram, policies, extra) {
  const user = await makeUser(ram, { policies });
  return { user, swas: swasClient(port, user.key, extra) };
}

// expectDenied's expectation for a RAM user `user` (from makeUser) of `account`.
const subUserDenied = (account, user, action, noPermissionType = 'ImplicitDeny') => ({
  action, principalType: 'SubUser', noPermissionType, ownerId: account, displayNames: [user.userName, user.userId],
});

// A role any identity of `account` may assume, with the given policies attached (same forms as
// makeUser). Resolves {roleName, roleId, arn}.
async function makeRole(ram, account, { name = uniq('role'), policies = [], maxSessionDuration, trust } = {}) {
  const r = await RAM.createRole(ram, {
    roleName: name, assumeRolePolicyDocument: trust || trustAccount(account), maxSessionDuration,
  });
  assert.ok(r.role && r.role.roleName === name, `CreateRole answer: ${JSON.stringify(r)}`);
  for (const p of policies) {
    let policyName, policyType;
    if (typeof p === 'string') { policyName = p; policyType = 'System'; }
    else if (p.custom) { policyName = await makePolicy(ram, p.custom); policyType = 'Custom'; }
    else { policyName = p.name; policyType = p.type || 'Custom'; }
    await RAM.attachPolicyToRole(ram, { roleName: name, policyName, policyType });
  }
  return { roleName: name, roleId: r.role.roleId, arn: r.role.arn };
}

// AssumeRole; resolves {key: {AccessKeyId, AccessKeySecret, SecurityToken}, body}.
async function assume(sts, arn, { session = uniq('sess'), durationSeconds, policy } = {}) {
  const body = await STS.assumeRole(sts, { roleArn: arn, roleSessionName: session, durationSeconds, policy });
  const c = body.credentials;
  assert.ok(c && c.accessKeyId && c.accessKeySecret && c.securityToken, `AssumeRole answer: ${JSON.stringify(body)}`);
  return {
    session, body,
    key: { AccessKeyId: c.accessKeyId, AccessKeySecret: c.accessKeySecret, SecurityToken: c.securityToken },
  };
}

// ------------------------------------------------------------------------------------------
// Test clock (swasd started with --test-clock)

// advanceClock(port, seconds) and TEST_CLOCK_ARGS: see lib/swas.js.
const { advanceClock, TEST_CLOCK_ARGS } = S;

// ------------------------------------------------------------------------------------------
// Assertions

const DETAIL_KEYS = ['AuthAction', 'AuthPrincipalDisplayName', 'AuthPrincipalOwnerId', 'AuthPrincipalType', 'NoPermissionType', 'PolicyType'];

// A RAM denial: 403 Forbidden.RAM whose AccessDeniedDetail (in err.data and err.accessDeniedDetail)
// names the action, principal type, owner and NoPermissionType. `displayNames`: the accepted
// AuthPrincipalDisplayName values (any non-empty string if omitted). Resolves the error.
async function expectDenied(promiseOrFn, { action, principalType, noPermissionType = 'ImplicitDeny', ownerId, displayNames }) {
  const e = await expectSdkError(promiseOrFn, { code: 'Forbidden.RAM', status: 403 });
  const d = e.data.AccessDeniedDetail;
  const ctx = JSON.stringify(e.data);
  assert.ok(d && typeof d === 'object' && !Array.isArray(d), `no AccessDeniedDetail object: ${ctx}`);
  for (const k of DETAIL_KEYS) assert.equal(typeof d[k], 'string', `AccessDeniedDetail.${k} missing or not a string: ${ctx}`);
  assert.equal(d.AuthAction, action, `AuthAction: ${ctx}`);
  assert.equal(d.AuthPrincipalType, principalType, `AuthPrincipalType: ${ctx}`);
  assert.equal(d.NoPermissionType, noPermissionType, `NoPermissionType: ${ctx}`);
  if (ownerId !== undefined) assert.equal(d.AuthPrincipalOwnerId, String(ownerId), `AuthPrincipalOwnerId: ${ctx}`);
  assert.ok(d.AuthPrincipalDisplayName.length > 0, `empty AuthPrincipalDisplayName: ${ctx}`);
  if (displayNames) assert.ok(displayNames.includes(d.AuthPrincipalDisplayName), `AuthPrincipalDisplayName should be one of ${JSON.stringify(displayNames)}: ${ctx}`);
  assert.ok(d.PolicyType.length > 0, `empty PolicyType: ${ctx}`);
  assert.deepEqual(JSON.parse(JSON.stringify(e.accessDeniedDetail || null)), d, `err.accessDeniedDetail should be the body's AccessDeniedDetail (${ctx})`);
  return e;
}

// A body that is exactly {requestId}.
function assertRequestIdOnly(body, what = 'answer') {
  const plain = JSON.parse(JSON.stringify(body));
  assert.deepEqual(Object.keys(plain).filter(k => plain[k] !== undefined), ['requestId'], `${what}: ${JSON.stringify(plain)}`);
  assert.match(plain.requestId, REQUEST_ID_RE, `${what}: requestId`);
}

// Two policy documents (JSON text) that mean the same JSON.
function assertSameDocument(got, want, what = 'PolicyDocument') {
  assert.equal(typeof got, 'string', `${what} is not a string: ${JSON.stringify(got)}`);
  let parsed;
  try { parsed = JSON.parse(got); } catch (e) { assert.fail(`${what} is not JSON text: ${got}`); }
  assert.deepEqual(parsed, JSON.parse(want), `${what}: ${got}`);
}

module.exports = {
  Ram, Sts, RAM_VERSION, STS_VERSION, TIME_RE, NUMERIC_ID_RE, SYSTEM_POLICIES, TEST_CLOCK_ARGS,
  ramClient, stsClient, swasClient, ecsClient, openapiClient, ramRaw, stsRaw, RAM, STS, items,
  uniq, imageArn, roleArn, allow, deny, doc, trustAccount,
  makePolicy, makeUser, makeSwasUser, subUserDenied, makeRole, assume, advanceClock, expectDenied, assertRequestIdOnly, assertSameDocument,
};

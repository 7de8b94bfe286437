'use strict';
// Assertions shared by the e2e tests: how each client reports an Alibaba error, and the
// shape every answer must have.
const assert = require('node:assert/strict');
const { REQUEST_ID_RE } = require('./server');

const ERROR_KEYS = ['Code', 'HostId', 'Message', 'Recommend', 'RequestId'];
// Keys an error body may carry besides ERROR_KEYS (RAM denials add AccessDeniedDetail).
const OPTIONAL_ERROR_KEYS = ['AccessDeniedDetail'];

function brief(e) {
  if (!e || typeof e !== 'object') return String(e);
  const o = { name: e.name, code: e.code, statusCode: e.statusCode, message: e.message };
  if (e.data !== undefined) o.data = e.data;
  if (e.entry && e.entry.response) o.httpStatus = e.entry.response.statusCode;
  return JSON.stringify(o);
}

// A parsed JSON error body: exactly the documented keys, all strings, RequestId an
// upper-case UUID, Code as expected.
function assertErrorBody(body, code, what = 'error body') {
  assert.ok(body && typeof body === 'object', `${what}: not a JSON object: ${JSON.stringify(body)}`);
  for (const k of ERROR_KEYS) {
    assert.equal(typeof body[k], 'string', `${what}: ${k} missing or not a string in ${JSON.stringify(body)}`);
  }
  const extra = Object.keys(body).filter(k => !ERROR_KEYS.includes(k) && !OPTIONAL_ERROR_KEYS.includes(k));
  assert.deepEqual(extra, [], `${what}: unexpected keys in ${JSON.stringify(body)}`);
  assert.match(body.RequestId, REQUEST_ID_RE, `${what}: RequestId format`);
  if (code !== undefined) assert.equal(body.Code, code, `${what}: Code`);
  assert.ok(body.Message.length > 0, `${what}: empty Message`);
}

// openapi-core clients (swas SDK, V3 or V1 path, and callApi): a ClientError (4xx) /
// ServerError (5xx) with code, statusCode and the body in data.
async function expectSdkError(promiseOrFn, { code, status, messageIncludes }) {
  let result;
  try {
    result = await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    const ctx = `got ${brief(e)}`;
    assert.equal(e.code, code, `error code (${ctx})`);
    assert.equal(e.statusCode, status, `HTTP status (${ctx})`);
    assert.equal(e.name, status >= 500 ? 'ServerError' : 'ClientError', `error class (${ctx})`);
    assertErrorBody(e.data, code, `error body (${ctx})`);
    if (messageIncludes) {
      assert.ok(String(e.data.Message).includes(messageIncludes),
        `Message should include ${JSON.stringify(messageIncludes)} (${ctx})`);
    }
    return e;
  }
  assert.fail(`expected ${code} (HTTP ${status}), but the call succeeded: ${JSON.stringify(result && result.body !== undefined ? { statusCode: result.statusCode, body: result.body } : result)}`);
}

// pop-core: throws Error named `<Code>Error` with code and data; the HTTP status is only
// in entry.response.statusCode.
async function expectPopError(promiseOrFn, { code, status, messageIncludes }) {
  let result;
  try {
    result = await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (e) {
    const ctx = `got ${brief(e)}`;
    assert.equal(e.code, code, `error code (${ctx})`);
    assert.equal(e.name, `${code}Error`, `error name (${ctx})`);
    assert.ok(e.entry && e.entry.response, `pop-core error without entry.response (${ctx})`);
    assert.equal(e.entry.response.statusCode, status, `HTTP status (${ctx})`);
    assert.equal(e.entry.response.headers['content-type'], 'application/json;charset=utf-8', `Content-Type (${ctx})`);
    assertErrorBody(e.data, code, `error body (${ctx})`);
    if (messageIncludes) {
      assert.ok(String(e.data.Message).includes(messageIncludes),
        `Message should include ${JSON.stringify(messageIncludes)} (${ctx})`);
    }
    return e;
  }
  assert.fail(`expected ${code} (HTTP ${status}), but the call succeeded: ${JSON.stringify(result)}`);
}

// A raw response (from rawRequest) carrying a JSON error.
function expectRawError(res, { code, status, messageIncludes }) {
  const ctx = `got HTTP ${res.status} ${res.headers['content-type']} ${res.body}`;
  assert.equal(res.status, status, `HTTP status (${ctx})`);
  assert.equal(res.headers['content-type'], 'application/json;charset=utf-8', `Content-Type (${ctx})`);
  assert.ok(res.json !== undefined, `body is not JSON (${ctx})`);
  assertErrorBody(res.json, code, `error body (${ctx})`);
  if (messageIncludes) assert.ok(res.json.Message.includes(messageIncludes), `Message should include ${JSON.stringify(messageIncludes)} (${ctx})`);
  return res.json;
}

function expectRawOk(res) {
  assert.equal(res.status, 200, `expected HTTP 200, got ${res.status} ${res.headers['content-type']} ${res.body}`);
  return res;
}

// Wire JSON of a successful ListRegions: exactly {RequestId, Regions}, every region exactly
// {RegionId, LocalName, RegionEndpoint}, no Code. Returns a plain-object copy (pop-core parses
// with json-bigint, which makes null-prototype objects).
function assertListRegionsWire(json) {
  json = JSON.parse(JSON.stringify(json));
  const ctx = JSON.stringify(json).slice(0, 400);
  assert.ok(json && typeof json === 'object', `not a JSON object: ${ctx}`);
  assert.ok(!('Code' in json), `success body carries Code: ${ctx}`);
  assert.deepEqual(Object.keys(json).sort(), ['Regions', 'RequestId'], `top-level keys: ${ctx}`);
  assert.match(json.RequestId, REQUEST_ID_RE, 'RequestId format');
  assert.ok(Array.isArray(json.Regions), `Regions is not a bare array: ${ctx}`);
  assert.ok(json.Regions.length >= 6, `too few regions: ${ctx}`);
  for (const r of json.Regions) {
    assert.deepEqual(Object.keys(r).sort(), ['LocalName', 'RegionEndpoint', 'RegionId'], `region keys: ${JSON.stringify(r)}`);
  }
  return json;
}

// The SDK model of a successful ListRegions (camelCase, after the SDK's cast).
const REQUIRED_REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-hongkong', 'ap-southeast-1'];
function assertListRegionsModel(res) {
  assert.equal(res.statusCode, 200, 'statusCode');
  const body = res.body;
  assert.ok(body, 'no body');
  assert.match(body.requestId, REQUEST_ID_RE, 'requestId format');
  assert.ok(Array.isArray(body.regions), `regions is not an array: ${JSON.stringify(body).slice(0, 300)}`);
  const ids = body.regions.map(r => r.regionId);
  for (const id of REQUIRED_REGIONS) assert.ok(ids.includes(id), `region ${id} missing from ${JSON.stringify(ids)}`);
  assert.equal(new Set(ids).size, ids.length, `duplicate region ids: ${JSON.stringify(ids)}`);
  for (const r of body.regions) {
    for (const k of ['regionId', 'localName', 'regionEndpoint']) {
      assert.equal(typeof r[k], 'string', `${k} of ${JSON.stringify(r)}`);
      assert.ok(r[k].length > 0, `empty ${k} in ${JSON.stringify(r)}`);
    }
  }
  // RegionEndpoint's value is checked in swas_regions.test.js (swasd answers the Host the caller
  // used, or --public-endpoint, instead of Alibaba's swas.<region>.aliyuncs.com).
  return body;
}

// The swas / openapi-core SDK reports Throttling.* as a ThrottlingError (not a ClientError): code, status, body.
async function expectThrottled(promise, code = 'Throttling.User') {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.code, code, `got ${e.name}: ${e.message}`);
    assert.equal(e.statusCode, 400);
    assert.equal(e.data.Code, code);
    assert.match(e.data.RequestId, /^[0-9A-F-]{36}$/);
    return e;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

module.exports = {
  ERROR_KEYS, REQUIRED_REGIONS,
  assertErrorBody, expectSdkError, expectPopError, expectRawError, expectRawOk, expectThrottled,
  assertListRegionsWire, assertListRegionsModel, brief,
};

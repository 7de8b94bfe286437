'use strict';
// The audit trail (docs/operations.md, "Audit trail") read back through ActionTrail 2020-07-06
// LookupEvents with pop-core (the ActionTrail npm SDK is not on the registry this suite installs
// from): the Share and UnShare of an image made with the SWAS SDK, with the caller's identity;
// filters by user, event name, resource and EventRW; NextToken paging; a RAM user without
// actiontrail:LookupEvents refused, and that denied call (and a denied write) recorded; a failed
// write recorded with its errorCode; secrets never stored; another account's events invisible.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');

const { removeDir, clients, REQUEST_ID_RE } = require('./lib/server');
const { expectPopError, expectSdkError } = require('./lib/expect');
const S = require('./lib/swas');
const RL = require('./lib/ram');

const TRAIL_VERSION = '2020-07-06';
const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const trailClient = (port, key) => clients.pop(port, key.AccessKeyId, key.AccessKeySecret, TRAIL_VERSION);
const lookup = (c, params = {}) => c.request('LookupEvents', params, { method: 'POST' });
// LookupAttribute.N from [[key, value], ...].
const attrs = (...pairs) => Object.fromEntries(pairs.flatMap(([k, v], i) => [
  [`LookupAttribute.${i + 1}.Key`, k], [`LookupAttribute.${i + 1}.Value`, v]]));

function assertPage(body) {
  assert.match(body.RequestId, REQUEST_ID_RE);
  assert.ok(Array.isArray(body.Events), `Events: ${JSON.stringify(body)}`);
  assert.equal(typeof body.NextToken, 'string');
  assert.match(body.StartTime, TIME_RE);
  assert.match(body.EndTime, TIME_RE);
  return body;
}

async function allPages(c, params) {
  const events = [];
  let token = '';
  for (let i = 0; i < 100; i++) {
    const body = assertPage(await lookup(c, { ...params, ...(token ? { NextToken: token } : {}) }));
    events.push(...body.Events);
    token = body.NextToken;
    if (!token) return events;
  }
  assert.fail('NextToken never ended');
}

describe('audit trail: ActionTrail LookupEvents', () => {
  let env, a, trail, ram, imageId, instanceId, shareId, unshareId, other;

  before(async () => {
    env = await S.startSwas();
    a = S.swasClient(env.port, env.root);
    trail = trailClient(env.port, env.root);
    ram = RL.ramClient(env.port, env.root);
    ({ imageId, instanceId } = await S.makeImage(a));
    shareId = (await S.R.modifyImageShareStatus(a, { imageId, operation: 'Share' })).requestId;
    unshareId = (await S.R.modifyImageShareStatus(a, { imageId, operation: 'UnShare' })).requestId;
    other = S.createAccount(env.dataDir, 'other');
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('returns the UnShare then the Share of the image, with the caller, in the answer shape', async () => {
    const body = assertPage(await lookup(trail, attrs(['EventName', 'ModifyImageShareStatus'])));
    assert.equal(body.NextToken, '');
    assert.deepEqual(body.Events.map(e => e.requestId), [unshareId, shareId]);
    const [un, sh] = body.Events;
    assert.equal(sh.requestParameters.Operation, 'Share');
    assert.equal(un.requestParameters.Operation, 'UnShare');
    for (const e of [sh, un]) {
      assert.equal(e.eventName, 'ModifyImageShareStatus');
      assert.equal(e.eventRW, 'Write');
      assert.equal(e.acsRegion, S.REGION);
      assert.equal(e.serviceName, 'SWAS-OPEN');
      assert.equal(e.apiVersion, '2020-06-01');
      assert.equal(e.requestParameters.ImageId, imageId);
      assert.equal(e.resourceName, imageId);
      // The RequestId's format, laid out as a UUIDv7 (time first, so events
      // append to the store's indexes: docs/performance.md).
      assert.match(e.eventId, /^[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
      assert.match(e.eventTime, TIME_RE);
      assert.equal(e.sourceIpAddress, '127.0.0.1');
      assert.ok(e.userAgent.length > 0, 'userAgent');
      assert.equal(e.errorCode, undefined);
      assert.deepEqual({ ...e.userIdentity }, {
        type: 'root-account', principalId: env.root.AccountId, accountId: env.root.AccountId,
        accessKeyId: env.root.AccessKeyId, userName: 'root',
      });
    }
    // By resource: the calls that named the image.
    const byImage = assertPage(await lookup(trail, attrs(['ResourceName', imageId])));
    assert.deepEqual(byImage.Events.map(e => e.requestId), [unshareId, shareId]);
    // The setup's other writes are there too, under their own names.
    const created = assertPage(await lookup(trail, attrs(['EventName', 'CreateCustomImage']))).Events;
    assert.equal(created.length, 1);
    assert.equal(created[0].requestParameters.InstanceId, instanceId);
    // Reads are not recorded.
    assert.deepEqual((await lookup(trail, attrs(['EventRW', 'Read']))).Events, []);
  });

  it('filters by user: a RAM user\'s writes carry its identity', async () => {
    const user = await RL.makeUser(ram, { policies: ['AliyunSWASFullAccess'] });
    const u = S.swasClient(env.port, user.key);
    const id = (await S.R.modifyImageShareStatus(u, { imageId, operation: 'Share' })).requestId;
    const body = assertPage(await lookup(trail, attrs(['User', user.userName])));
    assert.deepEqual(body.Events.map(e => e.requestId), [id]);
    assert.deepEqual({ ...body.Events[0].userIdentity }, {
      type: 'ram-user', principalId: user.userName, accountId: env.root.AccountId,
      accessKeyId: user.key.AccessKeyId, userName: user.userName,
    });
    // Two conditions: both must hold.
    const both = await lookup(trail, attrs(['User', 'root'], ['EventName', 'ModifyImageShareStatus']));
    assert.deepEqual(both.Events.map(e => e.requestId), [unshareId, shareId]);
    await S.R.modifyImageShareStatus(a, { imageId, operation: 'UnShare' });
  });

  it('pages with NextToken and MaxResults, newest first or FORWARD', async () => {
    const all = assertPage(await lookup(trail, { MaxResults: '50' })).Events;
    assert.ok(all.length >= 8, `expected the whole setup, got ${all.length}`);
    const times = all.map(e => e.eventTime);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    const paged = await allPages(trail, { MaxResults: '3' });
    assert.deepEqual(paged.map(e => e.eventId), all.map(e => e.eventId));
    const forward = await allPages(trail, { MaxResults: '2', Direction: 'FORWARD' });
    assert.deepEqual(forward.map(e => e.eventId), all.map(e => e.eventId).reverse());
    // A time range that ends before everything: nothing.
    const empty = await lookup(trail, { StartTime: '2020-01-01T00:00:00Z', EndTime: '2020-01-02T00:00:00Z' });
    assert.deepEqual(empty.Events, []);
    assert.equal(empty.StartTime, '2020-01-01T00:00:00Z');
    assert.equal(empty.EndTime, '2020-01-02T00:00:00Z');
    await expectPopError(lookup(trail, { MaxResults: '51' }), { code: 'InvalidParameter', status: 400 });
    await expectPopError(lookup(trail, { NextToken: 'garbage' }), { code: 'InvalidParameter', status: 400 });
    await expectPopError(lookup(trail, { StartTime: 'yesterday' }), { code: 'InvalidParameter', status: 400 });
    await expectPopError(lookup(trail, { StartTime: '2020-01-02T00:00:00Z', EndTime: '2020-01-01T00:00:00Z' }),
      { code: 'InvalidParameter', status: 400 });
    await expectPopError(lookup(trail, attrs(['Colour', 'blue'])), { code: 'InvalidParameter', status: 400 });
  });

  it('refuses a RAM user without actiontrail:LookupEvents, records the denial, allows one with it', async () => {
    const user = await RL.makeUser(ram, { policies: ['AliyunSWASReadOnlyAccess'] });
    const denied = await expectPopError(lookup(trailClient(env.port, user.key)), { code: 'Forbidden.RAM', status: 403 });
    assert.equal(denied.data.AccessDeniedDetail.AuthAction, 'actiontrail:LookupEvents');
    // A denied write too: nothing changes, the attempt is on record.
    const shared = (await S.getCustomImage(a, imageId)).inShare;
    await expectSdkError(S.R.modifyImageShareStatus(S.swasClient(env.port, user.key), { imageId, operation: 'Share' }),
      { code: 'Forbidden.RAM', status: 403 });
    assert.equal((await S.getCustomImage(a, imageId)).inShare, shared);
    const events = (await lookup(trail, attrs(['User', user.userName]))).Events;
    assert.deepEqual(events.map(e => [e.eventName, e.eventRW, e.errorCode]), [
      ['ModifyImageShareStatus', 'Write', 'Forbidden.RAM'],
      ['LookupEvents', 'Read', 'Forbidden.RAM'],
    ]);
    assert.equal(events[1].serviceName, 'Actiontrail');
    assert.equal(events[1].apiVersion, TRAIL_VERSION);

    const reader = await RL.makeUser(ram, { policies: [{ custom: RL.doc(RL.allow('actiontrail:LookupEvents')) }] });
    const seen = await lookup(trailClient(env.port, reader.key), attrs(['EventName', 'ModifyImageShareStatus']));
    assert.ok(seen.Events.some(e => e.requestId === shareId), 'a permitted RAM user sees the account\'s events');
  });

  it('records a failed write with its errorCode, and never a secret', async () => {
    const err = await expectSdkError(S.R.modifyImageShareStatus(a, { imageId: 'm-doesnotexist', operation: 'Share' }),
      { code: 'InvalidImageId.NotFound', status: 404 });
    const failed = (await lookup(trail, attrs(['ResourceName', 'm-doesnotexist']))).Events;
    assert.equal(failed.length, 1);
    assert.equal(failed[0].errorCode, 'InvalidImageId.NotFound');
    assert.equal(failed[0].requestId, err.data.RequestId);
    assert.equal(typeof failed[0].errorMessage, 'string');

    await S.R.updateInstanceAttribute(a, { instanceId, password: 'Sup3r-Secret!' });
    const upd = (await lookup(trail, attrs(['EventName', 'UpdateInstanceAttribute']))).Events;
    assert.equal(upd.length, 1);
    assert.equal(upd[0].requestParameters.InstanceId, instanceId);
    assert.equal(upd[0].requestParameters.Password, undefined);
    assert.ok(!JSON.stringify(upd[0]).includes('Sup3r-Secret!'), 'the password is stored');
  });

  it('serves each account its own events only', async () => {
    const mine = trailClient(env.port, other);
    assert.deepEqual((await lookup(mine)).Events, []);
    const b = S.swasClient(env.port, other);
    await expectSdkError(S.R.modifyImageShareStatus(b, { imageId, operation: 'Share' }),
      { code: 'InvalidImageId.NotFound', status: 404 });
    const theirs = (await lookup(mine)).Events;
    assert.equal(theirs.length, 1);
    assert.equal(theirs[0].userIdentity.accountId, other.AccountId);
    assert.ok(!(await allPages(trail, {})).some(e => e.userIdentity.accountId !== env.root.AccountId));
  });
});

'use strict';
// Signed calls through the official SDKs against a packaged swasd (the container image or the
// installed Debian package), run by scripts/package-test.sh only: not a *.test.js file, so
// `node --test .` in tests/e2e does not pick it up. It talks to a server someone else started:
//
//   SWASD_PKG_PORT         the port on 127.0.0.1
//   SWASD_PKG_KEY_FILE     the root key: {AccessKeyId, AccessKeySecret} (the format of swasd's
//                          root-credentials file)
//   SWASD_PKG_STATE_FILE   where the create phase leaves what it made for the verify phase
//   SWASD_PKG_PHASE        create: make a RAM user; verify (after a restart on the same store):
//                          the user is still there, the same one
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');

const Swas = require('@alicloud/swas-open20200601');
const { clients } = require('../lib/server');
const { RAM, ramClient } = require('../lib/ram');
const { expectSdkError } = require('../lib/expect');

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (scripts/package-test.sh sets it)`);
  return v;
}

const port = Number(env('SWASD_PKG_PORT'));
const key = JSON.parse(fs.readFileSync(env('SWASD_PKG_KEY_FILE'), 'utf8'));
const stateFile = env('SWASD_PKG_STATE_FILE');
const phase = env('SWASD_PKG_PHASE');
if (!['create', 'verify'].includes(phase)) throw new Error(`SWASD_PKG_PHASE must be create or verify, not ${phase}`);

describe(`packaged swasd on 127.0.0.1:${port} (${phase})`, () => {
  it('answers a V3-signed SWAS call (ListRegions)', async () => {
    const swas = clients.swas(port, key.AccessKeyId, key.AccessKeySecret);
    const { body } = await swas.listRegions(new Swas.ListRegionsRequest({}));
    assert.ok(body.regions.some(r => r.regionId === 'cn-hangzhou'), JSON.stringify(body));
  });

  it('refuses a wrong secret (signatures are checked)', async () => {
    const swas = clients.swas(port, key.AccessKeyId, key.AccessKeySecret + 'x');
    await expectSdkError(() => swas.listRegions(new Swas.ListRegionsRequest({})),
      { code: 'SignatureDoesNotMatch', status: 400 });
  });

  if (phase === 'create') {
    it('creates a RAM user', async () => {
      const ram = ramClient(port, key);
      const userName = 'pkg-' + crypto.randomBytes(4).toString('hex');
      const { user } = await RAM.createUser(ram, { userName, displayName: 'packaging test' });
      assert.equal(user.userName, userName);
      assert.match(user.userId, /^\d+$/);
      fs.writeFileSync(stateFile, JSON.stringify({ userName, userId: user.userId }) + '\n');
    });
  } else {
    it('still has the RAM user made before the restart', async () => {
      const made = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
      const ram = ramClient(port, key);
      const { user } = await RAM.getUser(ram, { userName: made.userName });
      assert.equal(user.userId, made.userId);
      assert.equal(user.displayName, 'packaging test');
      const { users } = await RAM.listUsers(ram, {});
      assert.ok(users.user.some(u => u.userName === made.userName), JSON.stringify(users));
    });
  }
});

'use strict';
// A store's state as a whole (docs/testing.md): fixtures (`swasctl seed FILE`, swasd --fixture),
// reset to empty or to the fixture (`swasctl reset`, and the admin call ResetState that only the
// operator's root account may make, only with --enable-state-reset), and export/import of the
// whole state between stores -- SQLite to SQLite, and, when the suite has a PostgreSQL server
// (the postgres stage), to and from PostgreSQL -- with the same answers to the same calls after.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const {
  makeTempDir, removeDir, startServer, swasctl, swasctlRaw, clients, usingPostgres,
  createDatabase,
} = require('./lib/server');
const { expectPopError } = require('./lib/expect');

const SWAS = '2020-06-01';
const ECS = '2014-05-26';
const RAM = '2015-05-01';
const ADMIN = '2026-12-01';
const REGION = 'cn-hangzhou';

const ROOT = { AccessKeyId: 'fixture-root-id', AccessKeySecret: 'fixture-root-secret' };
const TEAM_A = { AccessKeyId: 'team-a-id', AccessKeySecret: 'team-a-secret' };
const ALICE = { AccessKeyId: 'alice-id', AccessKeySecret: 'alice-secret' };
const TEAM_B = { AccessKeyId: 'team-b-id', AccessKeySecret: 'team-b-secret' };
const TEAM_A_ID = '1234567890123456';

const FIXTURE = {
  FixtureVersion: 1,
  Accounts: [
    { Name: 'operator', Root: true, AccessKeys: [ROOT] },
    {
      Name: 'team-a', AccountId: TEAM_A_ID, AccessKeys: [TEAM_A],
      RamPolicies: [{
        PolicyName: 'ListOnly',
        PolicyDocument: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'swas-open:List*', Resource: '*' }] },
      }],
      RamUsers: [{ UserName: 'alice', AccessKeys: [ALICE], Policies: [{ PolicyName: 'ListOnly' }] }],
      Instances: [{ InstanceName: 'web', RegionId: REGION }],
      Snapshots: [{ SnapshotName: 'web-sys', Instance: 'web' }],
      CustomImages: [
        { ImageName: 'golden', Instance: 'web', Snapshot: 'web-sys', ShareToEcs: true, ShareWithAccounts: ['team-b'] },
        { ImageName: 'private', Instance: 'web' },
      ],
    },
    { Name: 'team-b', AccessKeys: [TEAM_B] },
  ],
};

const pop = (port, key, version) => clients.pop(port, key.AccessKeyId, key.AccessKeySecret, version);
const call = (port, key, version, action, params = {}) =>
  pop(port, key, version).request(action, { RegionId: REGION, ...params }, { method: 'POST' });
const images = (port, key) => call(port, key, SWAS, 'ListCustomImages').then(b => b.CustomImages);
const ecsImages = (port, key) =>
  call(port, key, ECS, 'DescribeImages', { ImageOwnerAlias: 'others' }).then(b => b.Images.Image);

function writeFixture(dir, doc = FIXTURE, text) {
  const file = path.join(dir, 'fixture.json');
  fs.writeFileSync(file, text !== undefined ? text : JSON.stringify(doc, null, 2));
  return file;
}

describe('fixtures: swasctl seed', () => {
  let dir, server;
  before(async () => {
    dir = makeTempDir();
    const made = swasctl(['seed', writeFixture(dir)], dir);
    assert.equal(made.Accounts.length, 3);
    assert.equal(made.Accounts[1].AccountId, TEAM_A_ID);
    server = await startServer({ dataDir: dir });
  });
  after(async () => { if (server) await server.stop(); removeDir(dir); });

  it('calls see the seeded accounts, keys, RAM, images and shares', async () => {
    const own = await images(server.port, TEAM_A);
    const golden = own.find(i => i.Name === 'golden');
    assert.ok(golden, JSON.stringify(own));
    assert.equal(golden.Status, '1');  // ready
    assert.equal(golden.InShare, true);
    assert.equal(own.find(i => i.Name === 'private').InShare, false);
    // ECS sees the image shared to it (as ImageOwnerAlias=others, as Alibaba lists SWAS
    // images), not the private one.
    const ecs = await ecsImages(server.port, TEAM_A);
    assert.deepEqual(ecs.map(i => i.ImageId), [golden.ImageId]);
    // team-b received golden.
    const received = await images(server.port, TEAM_B);
    assert.deepEqual(received.map(i => i.ImageId), [golden.ImageId]);
    // alice may list, not share: RAM applies to seeded users.
    assert.equal((await images(server.port, ALICE)).length, 2);
    await expectPopError(
      call(server.port, ALICE, SWAS, 'ModifyImageShareStatus', { ImageId: golden.ImageId, Operation: 'UnShare' }),
      { code: 'Forbidden.RAM', status: 403 });
    // The operator's root key is the fixture's.
    const who = await pop(server.port, ROOT, '2015-04-01').request('GetCallerIdentity', {}, { method: 'POST' });
    assert.equal(who.AccountId, swasctl(['account', 'list'], dir)[0].AccountId);
  });

  it('refuses a second seed of the same fixture', () => {
    const r = swasctlRaw(['seed', path.join(dir, 'fixture.json')], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /exists already/);
  });
});

describe('fixtures: a bad file is refused whole', () => {
  let dir;
  before(() => { dir = makeTempDir(); });
  after(() => removeDir(dir));

  it('names the line and reason, and creates nothing', () => {
    const bad = JSON.parse(JSON.stringify(FIXTURE));
    bad.Accounts[1].CustomImages[0].Snapshot = 'no-such-snapshot';
    const text = JSON.stringify(bad, null, 2);
    const file = writeFixture(dir, null, text);
    const line = text.split('\n').findIndex(l => l.includes('"no-such-snapshot"')) + 1;
    const r = swasctlRaw(['seed', file], dir);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`fixture\\.json:${line}: Accounts\\[1\\]\\.CustomImages\\[0\\]\\.Snapshot: no snapshot named no-such-snapshot`));
    assert.deepEqual(swasctl(['account', 'list'], dir), []);

    // A rule of the domain failing half-way (an unknown plan in the last account) rolls
    // back the accounts made before it.
    const late = JSON.parse(JSON.stringify(FIXTURE));
    late.Accounts[2].Instances = [{ InstanceName: 'x', PlanId: 'no-such-plan' }];
    const r2 = swasctlRaw(['seed', writeFixture(dir, late)], dir);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /Accounts\[2\]\.Instances\[0\]: /);
    assert.deepEqual(swasctl(['account', 'list'], dir), []);
  });
});

describe('reset: swasctl and the admin call', () => {
  let dir, server, fixtureFile;
  before(async () => {
    dir = makeTempDir();
    fixtureFile = writeFixture(dir);
    server = await startServer({ dataDir: dir, args: ['--fixture', fixtureFile, '--enable-state-reset'] });
  });
  after(async () => { if (server) await server.stop(); removeDir(dir); });

  it('swasd --fixture seeds a new store', async () => {
    assert.equal((await images(server.port, TEAM_A)).length, 2);
  });

  it('swasctl reset: one account to empty, then back to the fixture', async () => {
    const done = swasctl(['reset', '--account-id', TEAM_A_ID, '--empty'], dir);
    assert.deepEqual(done.Accounts, [TEAM_A_ID]);
    assert.deepEqual(await images(server.port, TEAM_A), []);
    assert.deepEqual(await images(server.port, TEAM_B), []);  // the share went with the image
    // The account's own key still works; its RAM user's is gone.
    await expectPopError(images(server.port, ALICE), { code: 'InvalidAccessKeyId.NotFound', status: 404 });
    swasctl(['reset', '--account-id', TEAM_A_ID, '--fixture', fixtureFile], dir);
    assert.equal((await images(server.port, TEAM_A)).length, 2);
    assert.equal((await images(server.port, ALICE)).length, 2);
    assert.equal((await images(server.port, TEAM_B)).length, 1);
  });

  it('ResetState: only the operator root, to empty and back to the fixture', async () => {
    await expectPopError(call(server.port, TEAM_A, ADMIN, 'ResetState'), { code: 'Forbidden', status: 403 });
    await expectPopError(call(server.port, ALICE, ADMIN, 'ResetState'), { code: 'Forbidden', status: 403 });

    const emptied = await call(server.port, ROOT, ADMIN, 'ResetState');
    assert.equal(emptied.Deleted.length, 2);
    assert.equal(emptied.FixtureApplied, false);
    await expectPopError(images(server.port, TEAM_A), { code: 'InvalidAccessKeyId.NotFound', status: 404 });

    const back = await call(server.port, ROOT, ADMIN, 'ResetState', { ToFixture: true });
    assert.equal(back.FixtureApplied, true);
    const own = await images(server.port, TEAM_A);
    assert.deepEqual(own.map(i => i.Name).sort(), ['golden', 'private']);
    assert.equal((await ecsImages(server.port, TEAM_A)).length, 1);

    // One account.
    const one = await call(server.port, ROOT, ADMIN, 'ResetState', { AccountId: TEAM_A_ID });
    assert.deepEqual(one.Accounts, [TEAM_A_ID]);
    assert.deepEqual(await images(server.port, TEAM_A), []);
    await expectPopError(call(server.port, ROOT, ADMIN, 'ResetState', { AccountId: '9999999999999999' }),
      { code: 'InvalidParameter', status: 400 });
  });

  it('is off by default, and ToFixture needs --fixture', async () => {
    const d2 = makeTempDir();
    const plain = await startServer({ dataDir: d2, env: { SWASD_ROOT_ACCESS_KEY_ID: ROOT.AccessKeyId, SWASD_ROOT_ACCESS_KEY_SECRET: ROOT.AccessKeySecret } });
    try {
      await expectPopError(call(plain.port, ROOT, ADMIN, 'ResetState'), { code: 'Forbidden.StateResetDisabled', status: 403 });
    } finally { await plain.stop(); }
    const on = await startServer({ dataDir: d2, args: ['--enable-state-reset'], env: { SWASD_ROOT_ACCESS_KEY_ID: ROOT.AccessKeyId, SWASD_ROOT_ACCESS_KEY_SECRET: ROOT.AccessKeySecret } });
    try {
      await expectPopError(call(on.port, ROOT, ADMIN, 'ResetState', { ToFixture: true }),
        { code: 'InvalidParameter.NoFixture', status: 400 });
    } finally { await on.stop(); removeDir(d2); }
  });
});

// The answers a team's tests would compare, RequestId aside.
async function observe(port) {
  const strip = b => { const c = JSON.parse(JSON.stringify(b)); delete c.RequestId; return c; };
  const out = {};
  for (const [who, key] of [['a', TEAM_A], ['b', TEAM_B], ['alice', ALICE]]) {
    out[who] = {
      images: strip(await call(port, key, SWAS, 'ListCustomImages')),
      instances: strip(await call(port, key, SWAS, 'ListInstances')),
      snapshots: strip(await call(port, key, SWAS, 'ListSnapshots')),
      disks: strip(await call(port, key, SWAS, 'ListDisks')),
    };
  }
  out.ecs = strip(await call(port, TEAM_A, ECS, 'DescribeImages', { ImageOwnerAlias: 'others' }));
  out.users = strip(await pop(port, TEAM_A, RAM).request('ListUsers', {}, { method: 'POST' }));
  out.policies = strip(await pop(port, TEAM_A, RAM).request('ListPolicies', { PolicyType: 'Custom' }, { method: 'POST' }));
  out.sharedWith = strip(await call(port, TEAM_A, SWAS, 'ListCustomImageShareAccounts', {
    ImageId: out.a.images.CustomImages.find(i => i.Name === 'golden').ImageId,
  }));
  return out;
}

describe('export and import', () => {
  let dir, server, exported, before_, token, tokenAnswer;
  before(async () => {
    dir = makeTempDir();
    swasctl(['seed', writeFixture(dir)], dir);
    server = await startServer({ dataDir: dir });
    // A ClientToken call whose record must travel: its retry on the target answers the same.
    token = 'export-token-1';
    const golden = (await images(server.port, TEAM_A)).find(i => i.Name === 'golden');
    tokenAnswer = await call(server.port, TEAM_A, SWAS, 'ModifyImageShareStatus',
      { ImageId: golden.ImageId, Operation: 'UnShare', ClientToken: token });
    before_ = await observe(server.port);
    exported = path.join(dir, 'state.json');
    // Exported while swasd runs: one consistent read.
    const out = swasctl(['export', exported], dir);
    assert.equal(out.Accounts, 3);
    const text = fs.readFileSync(exported, 'utf8');
    assert.ok(!text.includes(ALICE.AccessKeySecret), 'secrets are sealed in the export');
    assert.equal(fs.statSync(exported).mode & 0o077, 0, 'the export is private to its owner');
  });
  after(async () => { if (server) await server.stop(); removeDir(dir); });

  // Imports into a fresh store named by `storeArgs`, starts swasd on it, compares.
  async function importAndCompare(target, storeArgs) {
    const key = path.join(dir, usingPostgres() ? 'pg-master.key' : 'master.key');
    const r = swasctlRawStore([...storeArgs, 'import', exported, '--key-file', key]);
    assert.equal(r.status, 0, r.stderr);
    const counts = JSON.parse(r.stdout.trim());
    assert.equal(counts.Accounts, 3);
    const s = await startServer({ dataDir: target, store: storeArgs });
    try {
      assert.deepEqual(await observe(s.port), before_);
      const golden = before_.a.images.CustomImages.find(i => i.Name === 'golden');
      const retried = await call(s.port, TEAM_A, SWAS, 'ModifyImageShareStatus',
        { ImageId: golden.ImageId, Operation: 'UnShare', ClientToken: token });
      assert.equal(retried.RequestId !== undefined, true);
      // Same token, different parameters: the record came along, so this is refused.
      await expectPopError(call(s.port, TEAM_A, SWAS, 'ModifyImageShareStatus',
        { ImageId: golden.ImageId, Operation: 'Share', ClientToken: token }), { code: 'IdempotentParameterMismatch', status: 400 });
      void tokenAnswer;
    } finally { await s.stop(); }
    // Importing again is refused: the target is not empty.
    const again = swasctlRawStore([...storeArgs, 'import', exported, '--key-file', key]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /import into an empty store/);
  }

  it('into a fresh SQLite store: the same answers to the same calls', async () => {
    const target = makeTempDir();
    try {
      await importAndCompare(target, ['--data-dir', target]);
    } finally { removeDir(target); }
  });

  it('into a fresh PostgreSQL store: the same answers to the same calls', { skip: !usingPostgres() && 'no PostgreSQL server in this stage (the postgres stage runs it)' }, async () => {
    const target = makeTempDir();
    const db = createDatabase('swasd_import_');
    try {
      await importAndCompare(target, ['--data-dir', target, '--database', db.dsn,
        '--master-key-file', path.join(target, 'pg-master.key')]);
    } finally { removeDir(target); }
  });

  it('refuses an unknown version and a wrong key, changing nothing', () => {
    const target = makeTempDir();
    try {
      const doc = JSON.parse(fs.readFileSync(exported, 'utf8'));
      doc.Version = 99;
      const future = path.join(target, 'future.json');
      fs.writeFileSync(future, JSON.stringify(doc));
      const key = path.join(dir, usingPostgres() ? 'pg-master.key' : 'master.key');
      const r = swasctlRawStore(['--data-dir', target, 'import', future, '--key-file', key]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /export version 99 is unknown/);
      const wrongKey = path.join(target, 'other.key');
      fs.writeFileSync(wrongKey, Buffer.alloc(32, 7));
      const w = swasctlRawStore(['--data-dir', target, 'import', exported, '--key-file', wrongKey]);
      assert.equal(w.status, 1);
      assert.match(w.stderr, /does not open this file/);
      assert.deepEqual(JSON.parse(swasctlRawStore(['--data-dir', target, 'account', 'list']).stdout), []);
    } finally { removeDir(target); }
  });
});

// swasctl with explicit store arguments (not the suite's per-data-dir choice).
function swasctlRawStore(args) {
  return swasctlRaw(args, null);
}

describe('fixtures with --ephemeral and --deterministic-ids', () => {
  let dir;
  before(() => { dir = makeTempDir(); });
  after(() => removeDir(dir));

  it('every start seeds the empty in-memory store; a seed gives the same ids each run', async () => {
    const file = writeFixture(dir);
    const ids = [];
    for (let run = 0; run < 2; run++) {
      const s = await startServer({ noStore: true, args: ['--ephemeral', '--deterministic-ids', 'fixture-seed', '--fixture', file, '--enable-state-reset'] });
      try {
        const own = await images(s.port, TEAM_A);
        assert.deepEqual(own.map(i => i.Name).sort(), ['golden', 'private']);
        ids.push(own.map(i => i.ImageId).sort());
        // Reset to the fixture without a restart.
        await call(s.port, ROOT, ADMIN, 'ResetState', { AccountId: TEAM_A_ID });
        assert.deepEqual(await images(s.port, TEAM_A), []);
        await call(s.port, ROOT, ADMIN, 'ResetState', { AccountId: TEAM_A_ID, ToFixture: true });
        assert.equal((await images(s.port, TEAM_A)).length, 2);
      } finally { await s.stop(); }
    }
    assert.deepEqual(ids[0], ids[1]);
  });
});

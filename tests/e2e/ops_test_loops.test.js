'use strict';
// Fast test loops (docs/testing.md): --ephemeral keeps the state in memory (SDK calls work,
// /healthz says it is not durable, a restart finds nothing, the flags it cannot go with are
// refused); --deterministic-ids SEED gives the same ids to the same calls on every run (and other
// ids under another seed), secrets staying random; and the documented way to run suites in
// parallel against one swasd, one account per suite.
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { startServer, removeDir, makeTempDir, clients, rootEnv, swasctl, REQUEST_ID_RE } = require('./lib/server');
const { runSwasd } = require('./lib/ops');
const S = require('./lib/swas');
const RL = require('./lib/ram');
const VL = require('./lib/vpc');

const EPHEMERAL = ['--ephemeral'];

function getJson(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', d => { body += d; });
      res.on('end', () => {
        try { resolve({ status: res.statusCode, json: JSON.parse(body) }); } catch (e) { reject(new Error(`${path}: ${body}`)); }
      });
    }).on('error', reject);
  });
}

// An ephemeral server (no store flags at all), transitions instant so no call needs polling.
function startEphemeral({ root, args = [], env = {} } = {}) {
  return startServer({
    noStore: true,
    env: root ? { ...rootEnv(root), ...env } : env,
    args: [...EPHEMERAL, ...S.readyArgs({ instanceMs: 0, snapshotMs: 0, imageMs: 0 }), '--vpc-ready-ms', '0', ...args],
  });
}

describe('--ephemeral', () => {
  it('serves SDK calls from memory, says so, and keeps nothing across a restart', async () => {
    const root = S.newSafeRootKey();
    let server = await startEphemeral({ root });
    try {
      assert.match(server.stderr, /ephemeral: nothing survives exit/);
      const health = await getJson(server.port, '/healthz');
      assert.equal(health.status, 200);
      assert.equal(health.json.Status, 'OK');
      assert.equal(health.json.Durable, false);
      assert.equal(health.json.Backend, 'sqlite-memory');

      const c = S.swasClient(server.port, root);
      const [instanceId] = await S.makeInstances(c, { amount: 1 });
      const { imageId } = await S.makeImage(c, { instanceId });
      assert.equal((await S.R.listInstances(c)).totalCount, 1);
      await S.R.modifyImageShareStatus(c, { imageId, operation: 'Share' });
      const ram = RL.ramClient(server.port, root);
      await RL.RAM.createUser(ram, { userName: 'kept-nowhere' });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }

    server = await startEphemeral({ root });
    try {
      const c = S.swasClient(server.port, root);
      const list = await S.R.listInstances(c);
      assert.equal(list.totalCount, 0, `instances after a restart: ${JSON.stringify(list)}`);
      assert.deepEqual((await S.R.listCustomImages(c)).customImages || [], []);
      const users = await RL.RAM.listUsers(RL.ramClient(server.port, root), {});
      assert.deepEqual(RL.items(users, 'users', 'user'), []);
    } finally {
      await server.stop();
    }
  });

  it('prints a generated root key but writes no root-credentials file', async () => {
    const server = await startEphemeral();
    try {
      assert.match(server.stdout, /swasd: AccessKeyId LTAI[0-9A-Za-z]{20}/);
      assert.match(server.stdout, /not saved: --ephemeral/);
      assert.equal(server.dataDir, null);
    } finally {
      await server.stop();
    }
  });

  it('is refused with --database, --data-dir, --master-key-file, and the same through SWASD_EPHEMERAL', () => {
    const dir = makeTempDir();
    try {
      const cases = [
        [['--ephemeral', '--database', 'postgresql://swasd@127.0.0.1:1/swasd'], {}, '--database'],
        [['--ephemeral', '--data-dir', dir], {}, '--data-dir'],
        [['--data-dir', dir], { SWASD_EPHEMERAL: 'true' }, '--data-dir'],
        [[], { SWASD_EPHEMERAL: 'true', SWASD_DATA_DIR: dir }, '--data-dir'],
        [['--database', 'postgresql://swasd@127.0.0.1:1/swasd'], { SWASD_EPHEMERAL: '1' }, '--database'],
        [['--ephemeral', '--master-key-file', `${dir}/k`], {}, '--master-key-file'],
      ];
      for (const [args, env, flag] of cases) {
        const r = runSwasd(['--listen', '127.0.0.1:0', ...args], env);
        const what = `${JSON.stringify(args)} ${JSON.stringify(env)}: ${r.stderr}`;
        assert.equal(r.status, 2, what);
        assert.match(r.stderr, /--ephemeral keeps the state in memory/, what);
        assert.ok(r.stderr.includes(`combined with ${flag}`), what);
      }
      // Nothing was written in the data dir it was given.
      assert.deepEqual(require('node:fs').readdirSync(dir), []);
    } finally {
      removeDir(dir);
    }
  });
});

// A fixed sequence of calls, no polling: what a snapshot test records. Resolves every id seen.
async function recordIds(seed, root) {
  const server = await startEphemeral({ root, args: seed ? ['--deterministic-ids', seed] : [] });
  try {
    const c = S.swasClient(server.port, root);
    const ids = {};
    ids.regionsRequest = (await c.listRegions(new S.Swas.ListRegionsRequest({}))).body.requestId;
    const created = await S.R.createInstances(c, {
      planId: S.PLAN_ID, imageId: await S.systemImageId(c), amount: 2, period: 1,
    });
    ids.createInstancesRequest = created.requestId;
    ids.instanceIds = created.instanceIds;
    const instanceId = created.instanceIds[0];
    const inst = await S.getInstance(c, instanceId);
    assert.equal(inst.status, 'Running');
    ids.publicIp = inst.publicIpAddress;
    ids.diskId = (await S.systemDisk(c, instanceId)).diskId;
    const snap = await S.R.createSnapshot(c, { diskId: ids.diskId, snapshotName: 'snap' });
    ids.snapshotId = snap.snapshotId;
    const image = await S.R.createCustomImage(c, {
      instanceId, systemSnapshotId: snap.snapshotId, imageName: 'img',
    });
    ids.imageId = image.imageId;
    ids.imageRequest = image.requestId;

    const ram = RL.ramClient(server.port, root);
    const user = await RL.RAM.createUser(ram, { userName: 'snap-user' });
    ids.userId = user.user.userId;
    const key = await RL.RAM.createAccessKey(ram, { userName: 'snap-user' });
    ids.accessKeyId = key.accessKey.accessKeyId;

    const vpc = await VL.V.createVpc(VL.vpcClient(server.port, root), { cidrBlock: '10.0.0.0/16' });
    ids.vpcId = vpc.vpcId;
    ids.vpcRequest = vpc.requestId;

    const trail = clients.pop(server.port, root.AccessKeyId, root.AccessKeySecret, '2020-07-06');
    const events = await trail.request('LookupEvents', { EventRW: 'Write' }, { method: 'POST' });
    ids.eventIds = events.Events.map(e => e.eventId).sort();
    assert.ok(ids.eventIds.length >= 5, `events: ${JSON.stringify(events)}`);
    // Secrets stay random; they are not ids.
    return { ids, secret: key.accessKey.accessKeySecret };
  } finally {
    await server.stop();
  }
}

describe('--deterministic-ids', () => {
  it('gives the same ids to the same calls on each run, other ids under another seed', async () => {
    const root = S.newSafeRootKey();
    const a = await recordIds('snapshot-seed', root);
    const b = await recordIds('snapshot-seed', root);
    const other = await recordIds('another-seed', root);
    assert.deepEqual(b.ids, a.ids);
    assert.notEqual(b.secret, a.secret, 'AccessKey secrets stay random');
    for (const [k, v] of Object.entries(a.ids)) {
      if (k === 'eventIds' || k === 'instanceIds') {
        for (const id of v) assert.ok(!other.ids[k].includes(id), `${k}: ${id} under both seeds`);
      } else {
        assert.notEqual(other.ids[k], v, `${k} under both seeds`);
      }
    }
    // The formats are the usual ones.
    assert.match(a.ids.regionsRequest, REQUEST_ID_RE);
    assert.match(a.ids.instanceIds[0], S.HEX32_RE);
    assert.match(a.ids.imageId, S.IMAGE_ID_RE);
    assert.match(a.ids.snapshotId, S.SNAPSHOT_ID_RE);
    assert.match(a.ids.diskId, S.DISK_ID_RE);
    assert.match(a.ids.accessKeyId, /^LTAI[0-9A-Za-z]{20}$/);
    assert.match(a.ids.vpcId, /^vpc-[0-9a-z]+$/);
  });

  it('makes the generated root account and key id repeatable, not its secret', async () => {
    const start = () => startEphemeral({ args: ['--deterministic-ids', 'root-seed'] });
    const seen = [];
    for (let i = 0; i < 2; i++) {
      const server = await start();
      try {
        assert.match(server.stderr, /deterministic ids/);
        const out = server.stdout;
        seen.push({
          account: /created root account (\d+)/.exec(out)[1],
          key: /AccessKeyId (\S+)/.exec(out)[1],
          secret: /AccessKeySecret (\S+)/.exec(out)[1],
        });
      } finally {
        await server.stop();
      }
    }
    assert.equal(seen[1].account, seen[0].account);
    assert.equal(seen[1].key, seen[0].key);
    assert.notEqual(seen[1].secret, seen[0].secret);
  });

  it('without a seed, ids differ from run to run', async () => {
    const root = S.newSafeRootKey();
    const a = await recordIds(null, root);
    const b = await recordIds(null, root);
    assert.notEqual(a.ids.imageId, b.ids.imageId);
    assert.notEqual(a.ids.regionsRequest, b.ids.regionsRequest);
  });

  it('is refused without --ephemeral (a kept store would see its ids drawn again)', () => {
    const dir = makeTempDir();
    try {
      for (const [args, env] of [
        [['--data-dir', dir, '--deterministic-ids', 'x'], {}],
        [['--data-dir', dir], { SWASD_DETERMINISTIC_IDS: 'x' }],
      ]) {
        const r = runSwasd(['--listen', '127.0.0.1:0', ...args], env);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /--deterministic-ids needs --ephemeral/);
      }
    } finally {
      removeDir(dir);
    }
  });
});

// docs/testing.md, "Suites in parallel": one swasd on a data dir, one account per suite made
// with swasctl; each suite sees only its own resources, whatever the others do at the same time.
describe('suites in parallel, one account per suite', () => {
  it('keeps each suite to its own account', async () => {
    const env = await S.startSwas({ ready: { instanceMs: 0, snapshotMs: 0, imageMs: 0 } });
    try {
      const suite = async name => {
        const account = swasctl(['account', 'create', '--name', name], env.dataDir);
        const c = S.swasClient(env.port, account);
        const made = await S.makeInstances(c, { amount: 2 });
        const seen = (await S.R.listInstances(c)).instances.map(i => i.instanceId).sort();
        return { made: made.sort(), seen };
      };
      const results = await Promise.all(['suite-a', 'suite-b', 'suite-c'].map(suite));
      for (const r of results) assert.deepEqual(r.seen, r.made);
      assert.equal(new Set(results.flatMap(r => r.seen)).size, 6);
    } finally {
      await env.server.stop();
      removeDir(env.dataDir);
    }
  });
});

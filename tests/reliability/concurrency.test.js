'use strict';
// 16 clients race Share / UnShare / DeleteCustomImage / reads on a few shared custom images,
// and CreateInstances with shared ClientTokens, through the official SDK (V3 and V1). Every
// answer, and the final state, must be explainable by SOME serial order of the calls that
// respects real time: the history is linearizable (docs/reliability.md, "Concurrency").
//
// Images: each one is an object with the sequential specification
//     state U (available, not shared) | S (shared) | D (deleted)
//     Share    U,S -> S : ok          D -> D : InvalidImageId.NotFound
//     UnShare  U,S -> U : ok          D -> D : InvalidImageId.NotFound
//     Delete   U   -> D : ok          S -> S : CustomImageInShare     D -> D : NotFound
//     Read     returns the state (ListCustomImages ImageIds=[id]: absent = D)
// Linearizability is local (Herlihy & Wing): a history is linearizable iff its restriction to
// each object is, so each image is checked on its own with lib/lincheck.js.
//
// CreateInstances with a ClientToken is a write-once register: the first call to take effect
// creates the instances, every other call with that token answers the same InstanceIds. So:
// every successful answer for one token carries identical InstanceIds, those instances exist,
// and the final instance count is exactly initial + amount x (tokens used) + amount x
// (successful calls without a token) -- no serial order could produce anything else.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { performance } = require('node:perf_hooks');

const { removeDir } = require('../e2e/lib/server');
const S = require('../e2e/lib/swas');
const { R, jsonIds } = S;
const { checkLinearizable } = require('./lib/lincheck');

const CLIENTS = 16;
const OPS_PER_CLIENT = 30;

const imageModel = {
  init: 'U',
  key: s => s,
  same: (a, b) => a === b,
  step(state, { op }) {
    switch (op) {
      case 'share': return state === 'D' ? { output: 'NotFound', next: 'D' } : { output: 'ok', next: 'S' };
      case 'unshare': return state === 'D' ? { output: 'NotFound', next: 'D' } : { output: 'ok', next: 'U' };
      case 'delete':
        if (state === 'U') return { output: 'ok', next: 'D' };
        return { output: state === 'S' ? 'InShare' : 'NotFound', next: state };
      case 'read': return { output: state, next: state };
      default: throw new Error(`unknown op ${op}`);
    }
  },
};

describe('the checker itself', () => {
  const op = (call, ret, o, output) => ({ call, ret, input: { op: o }, output });
  it('accepts a concurrent history that some order explains', () => {
    // share and read overlap: read may see U (read first) or S.
    assert.ok(checkLinearizable([op(0, 10, 'share', 'ok'), op(5, 6, 'read', 'U'), op(11, 12, 'read', 'S')], imageModel).ok);
  });
  it('rejects a stale read after a completed write', () => {
    const r = checkLinearizable([op(0, 1, 'share', 'ok'), op(2, 3, 'read', 'U')], imageModel);
    assert.equal(r.ok, false);
  });
  it('rejects two successful deletes of one image, and a delete that ignored a share', () => {
    assert.equal(checkLinearizable([op(0, 5, 'delete', 'ok'), op(1, 6, 'delete', 'ok')], imageModel).ok, false);
    assert.equal(checkLinearizable([op(0, 1, 'share', 'ok'), op(2, 3, 'delete', 'ok')], imageModel).ok, false);
  });
  it('lets an operation of unknown outcome explain a later read, or be dropped', () => {
    assert.ok(checkLinearizable([op(0, 1, 'share', 'ok'), op(2, Infinity, 'unshare', undefined), op(3, 4, 'read', 'U')], imageModel).ok);
    assert.ok(checkLinearizable([op(0, 1, 'share', 'ok'), op(2, Infinity, 'unshare', undefined), op(3, 4, 'read', 'S')], imageModel).ok);
  });
});

describe(`${CLIENTS} clients racing on shared resources`, () => {
  let env, admin;
  const images = [];
  const tokens = ['tok-a', 'tok-b', 'tok-c'].map(t => `${t}-${S.newToken()}`);
  let initialInstances;

  before(async () => {
    env = await S.startSwas({ args: ['--worker-threads', '8'] });
    admin = S.swasClient(env.port, env.root);
    const instances = await S.makeInstances(admin, { amount: 3 });
    for (const inst of instances) {
      const { snapshotId } = await S.makeSnapshot(admin, inst);
      for (let k = 0; k < 3; k++) {
        const body = await R.createCustomImage(admin, { instanceId: inst, systemSnapshotId: snapshotId, imageName: `race-${inst.slice(0, 6)}-${k}` });
        images.push(body.imageId);
      }
    }
    for (const id of images) await S.waitImageAvailable(admin, id);
    initialInstances = (await R.listInstances(admin, { pageSize: 100 })).totalCount;
  });

  after(async () => {
    if (env) { await env.server.stop(); removeDir(env.dataDir); }
  });

  it('every answer and the final state are linearizable', async t => {
    const histories = new Map(images.map(id => [id, []]));
    const creates = [];  // { token, ok, ids, unknown }
    let seed = 12345;
    const rand = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x80000000; };
    const unexpected = [];

    const client = w => S.swasClient(env.port, env.root, w % 2 ? { signatureAlgorithm: 'v2' } : {});
    const outcome = e => {
      if (e && typeof e.statusCode === 'number' && e.statusCode < 500) {
        if (e.code === 'InvalidImageId.NotFound') return 'NotFound';
        if (e.code === 'CustomImageInShare') return 'InShare';
        unexpected.push(`${e.code}: ${e.message}`);
        return `error:${e.code}`;
      }
      return undefined;  // unknown outcome
    };

    async function imageOp(c, id, op) {
      const entry = { call: performance.now(), ret: Infinity, input: { op }, output: undefined };
      try {
        if (op === 'read') {
          const body = await R.listCustomImages(c, { imageIds: jsonIds([id]) });
          const img = (body.customImages || []).find(i => i.imageId === id);
          entry.output = !img ? 'D' : img.inShare ? 'S' : 'U';
        } else if (op === 'delete') {
          await R.deleteCustomImage(c, { imageId: id, clientToken: S.newToken() });
          entry.output = 'ok';
        } else {
          await R.modifyImageShareStatus(c, { imageId: id, operation: op === 'share' ? 'Share' : 'UnShare', clientToken: S.newToken() });
          entry.output = 'ok';
        }
        entry.ret = performance.now();
      } catch (e) {
        entry.output = outcome(e);
        if (entry.output !== undefined) entry.ret = performance.now();
      }
      histories.get(id).push(entry);
    }

    async function createOp(c) {
      const token = rand() < 0.75 ? tokens[Math.floor(rand() * tokens.length)] : null;
      const rec = { token, ok: false, ids: null };
      try {
        const body = await R.createInstances(c, { imageId: await S.systemImageId(c), amount: 2, ...(token ? { clientToken: token } : {}) });
        rec.ok = true;
        rec.ids = body.instanceIds;
      } catch (e) {
        rec.error = `${e.code}: ${e.message}`;
      }
      creates.push(rec);
    }

    const t0 = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, async (_, w) => {
      const c = client(w);
      for (let k = 0; k < OPS_PER_CLIENT; k++) {
        const r = rand();
        const id = images[Math.floor(rand() * images.length)];
        if (r < 0.12) await createOp(c);
        else if (r < 0.40) await imageOp(c, id, 'share');
        else if (r < 0.66) await imageOp(c, id, 'unshare');
        else if (r < 0.70) await imageOp(c, id, 'delete');
        else await imageOp(c, id, 'read');
      }
    }));
    const raceMs = Date.now() - t0;
    // The final state, read after every call returned, belongs to the history too.
    for (const id of images) await imageOp(admin, id, 'read');
    assert.deepEqual(unexpected, [], 'answers outside the specification');

    // Images: each history must be linearizable.
    let totalOps = 0, overlapping = 0, explored = 0, unknown = 0;
    for (const [id, h] of histories) {
      totalOps += h.length;
      unknown += h.filter(e => e.ret === Infinity).length;
      for (let i = 0; i < h.length; i++) {
        for (let j = i + 1; j < h.length; j++) {
          if (h[i].call < h[j].ret && h[j].call < h[i].ret) { overlapping++; break; }
        }
      }
      const res = checkLinearizable(h, imageModel);
      explored += res.explored;
      assert.ok(res.ok, `image ${id}: ${res.reason}\n` +
        h.map(e => `  [${e.call.toFixed(1)}, ${e.ret === Infinity ? '?' : e.ret.toFixed(1)}] ${e.input.op} -> ${e.output}`).join('\n'));
    }
    assert.equal(unknown, 0, 'calls without an answer on a healthy server');
    assert.ok(overlapping > totalOps / 4, `too little contention to mean anything: ${overlapping} of ${totalOps} calls overlapped`);

    // CreateInstances: one answer per token, and the count adds up.
    const failed = creates.filter(c => !c.ok);
    assert.deepEqual(failed.map(c => c.error), [], 'CreateInstances failed');
    const byToken = new Map();
    for (const c of creates.filter(c => c.token)) {
      const first = byToken.get(c.token);
      if (first) assert.deepEqual(c.ids, first, `token ${c.token}: two different answers`);
      else byToken.set(c.token, c.ids);
    }
    const untokened = creates.filter(c => !c.token);
    const list = await R.listInstances(admin, { pageSize: 100 });
    const expected = initialInstances + 2 * byToken.size + 2 * untokened.length;
    assert.equal(list.totalCount, expected,
      `instances: ${list.totalCount}, a serial order gives ${initialInstances} + 2 x ${byToken.size} tokens + 2 x ${untokened.length} untokened`);
    const existing = new Set((list.instances || []).map(i => i.instanceId));
    for (const ids of byToken.values()) for (const id of ids) assert.ok(existing.has(id), `answered instance ${id} does not exist`);

    const summary = `${CLIENTS} clients, ${totalOps} image calls on ${images.length} images (${overlapping} overlapping) ` +
      `+ ${creates.length} CreateInstances (${creates.length - untokened.length} with ${byToken.size} shared tokens) in ${raceMs} ms; ` +
      `linearizable; ${explored} search states`;
    t.diagnostic(summary);
    console.log(`# concurrency: ${summary}`);
  });
});

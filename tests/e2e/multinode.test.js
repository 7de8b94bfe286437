'use strict';
// Two swasd nodes on one PostgreSQL database (PostgreSQL only: needs
// SWASD_E2E_DATABASE_ADMIN_DSN; skipped otherwise). The nodes share nothing but the database,
// so everything a client sees must be the same whichever node answers: shared images,
// ClientToken replays, used nonces, disabled keys -- and concurrent Share/UnShare/Delete
// traffic spread over both nodes must end in a state some serial history explains.
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { performance } = require('node:perf_hooks');

const { removeDir, makeTempDir, swasctl, clients, newNonce, usingPostgres } = require('./lib/server');
const { expectSdkError, brief } = require('./lib/expect');
const S = require('./lib/swas');
const { R, PLAN_ID, jsonIds } = S;

const skip = usingPostgres() ? false : 'PostgreSQL only: set SWASD_E2E_DATABASE_ADMIN_DSN (scripts/pg-cluster.sh start DIR prints one)';

describe('two swasd nodes on one PostgreSQL database', { skip }, () => {
  let dataDir, root, nodeA, nodeB, a, b;

  before(async () => {
    dataDir = makeTempDir();
    root = S.newSafeRootKey();
    // The same data dir names the same database (lib/server.js): two stateless nodes.
    nodeA = await S.startSwas({ dataDir, root });
    nodeB = await S.startSwas({ dataDir, root });
    assert.notEqual(nodeA.port, nodeB.port);
    a = S.swasClient(nodeA.port, root);
    b = S.swasClient(nodeB.port, root);
  });

  after(async () => {
    for (const n of [nodeA, nodeB]) if (n) await n.server.stop();
    removeDir(dataDir);
  });

  it('Share on node A -> ListCustomImages on node B shows InShare true (and back)', async () => {
    const { imageId } = await S.makeImage(a);
    assert.equal((await S.getCustomImage(b, imageId)).inShare, false);
    S.assertRequestIdOnly(await R.modifyImageShareStatus(a, { imageId, operation: 'Share' }));
    assert.equal((await S.getCustomImage(b, imageId)).inShare, true, 'node B does not see the share');
    assert.deepEqual((await R.listCustomImages(b, { share: true })).customImages.map(i => i.imageId), [imageId]);
    // The rule that a shared image cannot be deleted holds on the other node too.
    await expectSdkError(R.deleteCustomImage(b, { imageId }), { code: 'CustomImageInShare', status: 400 });
    S.assertRequestIdOnly(await R.modifyImageShareStatus(b, { imageId, operation: 'UnShare' }));
    assert.equal((await S.getCustomImage(a, imageId)).inShare, false, 'node A does not see the UnShare');
    S.assertRequestIdOnly(await R.deleteCustomImage(a, { imageId }));
    assert.equal(await S.getCustomImage(b, imageId), undefined, 'node B still lists a deleted image');
  });

  it('a ClientToken used on node A replays on node B (same answer, nothing new)', async () => {
    const imageId = await S.systemImageId(a);
    const params = { planId: PLAN_ID, imageId, period: 1, amount: 2 };
    const token = S.newToken();
    const count = async c => (await R.listInstances(c, { pageSize: 100 })).totalCount;
    const first = await R.createInstances(a, { ...params, clientToken: token });
    assert.equal(first.instanceIds.length, 2);
    const n = await count(b);
    const again = await R.createInstances(b, { ...params, clientToken: token });
    assert.deepEqual(again.instanceIds, first.instanceIds);
    assert.equal(await count(a), n);
    await expectSdkError(R.createInstances(b, { ...params, amount: 1, clientToken: token }),
      { code: 'IdempotentParameterMismatch', status: 400 });

    // The same fresh token sent to both nodes at once: one creation, one answer.
    const token2 = S.newToken();
    const [x, y] = await Promise.all([
      R.createInstances(a, { ...params, clientToken: token2 }),
      R.createInstances(b, { ...params, clientToken: token2 }),
    ]);
    assert.deepEqual(x.instanceIds, y.instanceIds);
    assert.equal(await count(a), n + 2);
  });

  it('a nonce used on node A is refused on node B (SignatureNonceUsed), also when sent to both at once', async () => {
    const pinned = (port, nonce) =>
      clients.swas(port, root.AccessKeyId, root.AccessKeySecret, { globalParameters: { headers: { 'x-acs-signature-nonce': nonce } } });
    const nonce = newNonce();
    await R.listInstances(pinned(nodeA.port, nonce));
    await expectSdkError(R.listInstances(pinned(nodeB.port, nonce)), { code: 'SignatureNonceUsed', status: 400 });
    await expectSdkError(R.listInstances(pinned(nodeA.port, nonce)), { code: 'SignatureNonceUsed', status: 400 });

    for (let round = 0; round < 10; round++) {
      const n = newNonce();
      const results = await Promise.allSettled([R.listInstances(pinned(nodeA.port, n)), R.listInstances(pinned(nodeB.port, n))]);
      const ok = results.filter(r => r.status === 'fulfilled');
      const refused = results.filter(r => r.status === 'rejected' && r.reason.code === 'SignatureNonceUsed');
      assert.equal(ok.length, 1, `round ${round}: ${results.map(r => r.status === 'fulfilled' ? 'ok' : brief(r.reason)).join(' | ')}`);
      assert.equal(refused.length, 1, `round ${round}: ${results.map(r => r.status === 'fulfilled' ? 'ok' : brief(r.reason)).join(' | ')}`);
    }
  });

  it('a key disabled with swasctl is refused by both nodes at once; re-enabled, by neither', async () => {
    const tenant = S.createAccount(dataDir, 'multinode-tenant');
    const ta = S.swasClient(nodeA.port, tenant);
    const tb = S.swasClient(nodeB.port, tenant);
    await R.listInstances(ta);
    await R.listInstances(tb);
    swasctl(['accesskey', 'disable', '--id', tenant.AccessKeyId], dataDir);
    const inactive = { code: 'InvalidAccessKeyId.Inactive', status: 400 };
    await expectSdkError(R.listInstances(ta), inactive);
    await expectSdkError(R.listInstances(tb), inactive);
    swasctl(['accesskey', 'enable', '--id', tenant.AccessKeyId], dataDir);
    await R.listInstances(ta);
    await R.listInstances(tb);
  });

  // ------------------------------------------------------------------------------------------
  // 8 clients (4 per node) send Share / UnShare / DeleteCustomImage on a few images at once.
  //
  // The check: every operation is recorded with its image, the wall-clock interval in which it
  // was in flight (sent .. answered) and its outcome. Every outcome must be success or an error
  // the operation documents (Share/UnShare: InvalidImageId.NotFound once deleted; Delete:
  // CustomImageInShare while shared, InvalidImageId.NotFound once deleted); a 503
  // ServiceUnavailable (the store gave up on contention) is allowed but counts as "may or may
  // not have happened". Then, per image, we search for a serial history -- an order of all its
  // operations that respects real time (an operation answered before another was sent comes
  // first) -- in which running the operations one by one on the model
  //     shared/unshared/deleted;  Share: -> shared;  UnShare: -> unshared;
  //     Delete: unshared -> deleted, shared -> CustomImageInShare;  deleted -> NotFound for all
  // gives exactly the outcomes the clients saw and ends in the state both nodes list at the
  // end. This is linearizability per image (Wing & Gong search with memoization). It implies
  // the specific properties: the final InShare is that of the last successful Share/UnShare; a
  // deleted image never reappears (nothing succeeds on it after its Delete, and it is absent
  // on both nodes); a Delete never succeeds on an image that is shared at that point of the
  // history (a successful Share ordered before it with no successful UnShare in between).
  it('8 concurrent clients on both nodes: Share/UnShare/DeleteCustomImage histories are serializable', async t => {
    const IMAGES = 5;
    const CLIENTS = 8;
    const OPS_PER_CLIENT = 40;
    // One instance per image (the image quota grows with instances), made on both nodes.
    const images = (await Promise.all(Array.from({ length: IMAGES }, (_, i) => S.makeImage(i % 2 ? b : a)))).map(m => m.imageId);

    const history = new Map(images.map(id => [id, []]));
    const unexpected = [];
    let serviceUnavailable = 0;
    const rng = (() => { let s = 0x9e3779b9; return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32); })();

    async function worker(w) {
      const node = w % 2 === 0 ? nodeA : nodeB;
      const c = S.swasClient(node.port, root);
      for (let i = 0; i < OPS_PER_CLIENT; i++) {
        const imageId = images[Math.floor(rng() * images.length)];
        const p = rng();
        // Deletes only in each client's last quarter: with them spread over the whole run, the
        // 5 images could all be gone early (which client draws which number depends on timing)
        // and the rest of the run would be NotFound answers that test little.
        const late = i >= (OPS_PER_CLIENT * 3) / 4;
        const op = p < 0.5 ? 'Share' : p < 0.9 || !late ? 'UnShare' : 'Delete';
        const start = performance.now();
        let result;
        try {
          if (op === 'Delete') await R.deleteCustomImage(c, { imageId });
          else await R.modifyImageShareStatus(c, { imageId, operation: op });
          result = 'ok';
        } catch (e) {
          result = e.code === 'ServiceUnavailable' && e.statusCode === 503 ? 'unknown' : e.code;
          if (result === 'unknown') serviceUnavailable++;
          const allowed = op === 'Delete' ? ['CustomImageInShare', 'InvalidImageId.NotFound', 'unknown'] : ['InvalidImageId.NotFound', 'unknown'];
          if (!allowed.includes(result)) unexpected.push(`${op} ${imageId} on ${node === nodeA ? 'A' : 'B'}: ${brief(e)}`);
        }
        const end = performance.now();
        history.get(imageId).push({ op, start, end, result, node: node === nodeA ? 'A' : 'B' });
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, (_, w) => worker(w)));
    assert.deepEqual(unexpected, [], 'answers that are neither success nor a documented error');

    // The final state, as each node lists it: both must agree.
    const finalOf = async c => {
      const listed = (await R.listCustomImages(c, { imageIds: jsonIds(images), pageSize: 100 })).customImages || [];
      return Object.fromEntries(images.map(id => {
        const img = listed.find(i => i.imageId === id);
        return [id, img ? (img.inShare ? 'S' : 'U') : 'D'];
      }));
    };
    const finalA = await finalOf(a);
    const finalB = await finalOf(b);
    assert.deepEqual(finalB, finalA, 'the two nodes list different final states');

    for (const id of images) {
      const ops = history.get(id).sort((x, y) => x.start - y.start);
      // Explicit forms of the properties, for a readable failure.
      const deletes = ops.filter(o => o.op === 'Delete' && o.result === 'ok');
      assert.ok(deletes.length <= 1, `${id}: ${deletes.length} successful Deletes`);
      if (deletes.length === 1) {
        assert.equal(finalA[id], 'D', `${id}: Delete succeeded but the image is still listed`);
        const after = ops.filter(o => o.start > deletes[0].end && o.result === 'ok');
        assert.deepEqual(after, [], `${id}: operations succeeded on the image after its Delete`);
      } else if (!ops.some(o => o.op === 'Delete' && o.result === 'unknown')) {
        assert.notEqual(finalA[id], 'D', `${id}: gone without a successful Delete`);
      }
      const explained = linearizable(ops, 'U', finalA[id]);
      assert.ok(explained, `${id}: no serial history explains these outcomes and the final state ${finalA[id]}:\n` +
        ops.map(o => `  ${o.start.toFixed(1)}..${o.end.toFixed(1)} ${o.node} ${o.op} -> ${o.result}`).join('\n'));
    }
    // Enough happened for the check to mean something.
    const all = [...history.values()].flat();
    assert.equal(all.length, CLIENTS * OPS_PER_CLIENT);
    const tally = {};
    for (const o of all) tally[`${o.op} ${o.result}`] = (tally[`${o.op} ${o.result}`] || 0) + 1;
    t.diagnostic(`outcomes: ${JSON.stringify(tally)}; final: ${JSON.stringify(finalA)}`);
    assert.ok(all.filter(o => o.result === 'ok').length > all.length / 4, `too few operations succeeded: ${JSON.stringify(tally)}`);
    assert.ok(serviceUnavailable <= all.length / 20, `${serviceUnavailable} of ${all.length} answers were 503`);
  });
});

// The model of one image. Returns [next state, outcome].
function apply(state, op) {
  if (state === 'D') return ['D', 'InvalidImageId.NotFound'];
  if (op === 'Share') return ['S', 'ok'];
  if (op === 'UnShare') return ['U', 'ok'];
  return state === 'S' ? ['S', 'CustomImageInShare'] : ['D', 'ok'];
}

// Is there an order of `ops` (each {start, end, op, result}) consistent with real time in
// which the model, starting at `initial`, gives every op its observed result and ends in
// `final`? An op whose result is 'unknown' may have taken effect or not.
function linearizable(ops, initial, final) {
  const n = ops.length;
  const failed = new Set();
  const done = new Array(n).fill(false);
  function search(count, state) {
    if (count === n) return state === final;
    const key = done.map(d => (d ? '1' : '0')).join('') + state;
    if (failed.has(key)) return false;
    // Ops that may come next: no pending op was answered before they were sent.
    let minEnd = Infinity;
    for (let i = 0; i < n; i++) if (!done[i] && ops[i].end < minEnd) minEnd = ops[i].end;
    for (let i = 0; i < n; i++) {
      if (done[i] || ops[i].start > minEnd) continue;
      const [next, outcome] = apply(state, ops[i].op);
      const options = ops[i].result === 'unknown' ? [...new Set([next, state])] : outcome === ops[i].result ? [next] : [];
      for (const s of options) {
        done[i] = true;
        const ok = search(count + 1, s);
        done[i] = false;
        if (ok) return true;
      }
    }
    failed.add(key);
    return false;
  }
  return search(0, initial);
}

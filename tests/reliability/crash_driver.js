'use strict';
// Crash-safety driver (scripts/crash-test.sh runs it; docs/reliability.md explains it).
//
// Runs a loaded mix of custom-image writes through the official swas SDK against the real
// swasd -- on SQLite, or on PostgreSQL when SWASD_E2E_DATABASE_ADMIN_DSN names a server (see
// tests/e2e/lib/server.js; swasd is killed, the database keeps running) -- CreateCustomImage, ModifyImageShareStatus Share/UnShare and
// DeleteCustomImage, every call with a ClientToken -- kills swasd with SIGKILL at a random
// moment, restarts it on the same data dir, and checks:
//   1. every acknowledged write is present: an image whose create returned 200 exists (until an
//      acknowledged delete), its InShare is the last acknowledged Share/UnShare, an
//      acknowledged delete is gone;
//   2. no unacknowledged write is half-applied: an image touched by a call that got no answer
//      (killed in flight) is in the state before or the state after that call, nothing else;
//      an unanswered create produced zero or one image with its name, never two, never a
//      half-made one;
//   3. no phantom writes: every image on the server is one the model knows;
//   4. ClientToken replays after the restart return the original result: the same ImageId for
//      every acknowledged create, and for an unanswered create whose image exists (the token's
//      record committed atomically with the image); the replay creates nothing;
//   5. asynchronous lifecycles resume: every image still creating ("4") becomes "1".
// And enough happened for the checks to mean anything: every kill must have come after at least
// --min-acked acknowledged writes (an epoch lasts until then, up to 30 s more) and be followed by
// at least --min-replays ClientToken replays (a server that answered 5xx to every write would
// otherwise pass).
// Each image is driven by one worker at a time, so its history is sequential and "the state
// before or after the one unanswered call" is exact.
//
//   node tests/reliability/crash_driver.js [--kills N] [--workers W] [--seed S]
//        [--min-run-ms A] [--max-run-ms B] [--min-acked N] [--min-replays N] [--summary FILE]
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { makeTempDir, removeDir, startServer, rootEnv } = require('../e2e/lib/server');
const S = require('../e2e/lib/swas');
const { R, REGION, jsonIds } = S;
const BACKEND = process.env.SWASD_E2E_DATABASE_ADMIN_DSN ? 'postgresql' : 'sqlite';

// ------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { kills: 20, workers: 8, seed: Date.now() % 1000000, minRunMs: 150, maxRunMs: 1500, summary: null, instances: 5,
    minAcked: 10, minReplays: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--kills') o.kills = Number(next());
    else if (a === '--workers') o.workers = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--min-run-ms') o.minRunMs = Number(next());
    else if (a === '--max-run-ms') o.maxRunMs = Number(next());
    else if (a === '--min-acked') o.minAcked = Number(next());
    else if (a === '--min-replays') o.minReplays = Number(next());
    else if (a === '--summary') o.summary = next();
    else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

// A small seeded PRNG (mulberry32) so a failing run can be repeated with --seed.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGE_READY_MS = 1200;  // long enough that kills often catch images in "4"
const QUOTA = 15;             // 3 per instance, 5 instances
const ACK_WAIT_MS = 30000;    // longest wait for an epoch's floor of acknowledged writes
const sleep = ms => new Promise(r => setTimeout(r, ms));

// An answer the server definitely gave and that definitely had no effect: a 4xx error body.
// Anything else (connection reset or refused, timeout, 5xx) leaves the outcome unknown.
function isDefiniteRefusal(e) {
  return e && typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 && typeof e.code === 'string';
}

// ------------------------------------------------------------------------------------------

class Violation extends Error {}

function check(cond, msg) {
  if (!cond) throw new Violation(msg);
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const rand = rng(opt.seed);
  const pick = arr => arr[Math.floor(rand() * arr.length)];
  const dataDir = makeTempDir('swasd-crash-');
  const root = S.newSafeRootKey();
  const serverArgs = [...S.readyArgs({ instanceMs: 200, snapshotMs: 200, imageMs: IMAGE_READY_MS }), '--worker-threads', '8'];
  const stats = {
    kills: 0, acked: { create: 0, share: 0, unshare: 0, delete: 0 }, refused: 0, inDoubt: 0,
    inDoubtApplied: 0, inDoubtNotApplied: 0, replays: 0, resumed: 0, verified: 0, calls: 0, epochs: [],
  };
  let server;
  const t0 = Date.now();
  const log = (...a) => console.log(`[crash ${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

  const start = async () => {
    server = await startServer({ env: rootEnv(root), dataDir, args: serverArgs });
    return S.swasClient(server.port, root);
  };

  try {
    let c = await start();
    log(`seed ${opt.seed}, store ${BACKEND}, data dir ${dataDir}, swasd pid ${server.proc.pid}`);
    // --- preparation: instances and their system-disk snapshots ---------------------------
    const instances = await S.makeInstances(c, { amount: opt.instances });
    const sources = [];
    for (const inst of instances) {
      const { snapshotId } = await S.makeSnapshot(c, inst, { name: 'crash-src' });
      sources.push({ instanceId: inst, snapshotId });
    }
    log(`prepared ${instances.length} instances and snapshots`);

    // --- the model --------------------------------------------------------------------------
    // images: id -> { name, src, create (params+token), exists: true|false, inShare: bool,
    //                 doubt: null | { op, before, after } }
    const images = new Map();
    // unanswered creates: { name, params, token, worker }
    let doubtfulCreates = [];
    // acknowledged tokens to replay: { kind, params, token, expect }
    const ackedTokens = [];
    let nameSeq = 0;

    const createParams = (src, name, token) => ({
      instanceId: src.instanceId, systemSnapshotId: src.snapshotId, imageName: name,
      description: `crash test ${name}`, clientToken: token,
    });

    // One worker: a sequential loop of writes on the images it owns, until `stop()`.
    const runWorker = async (w, client, stop) => {
      const mine = () => [...images.entries()].filter(([, m]) => m.owner === w && m.exists && !m.doubt);
      while (!stop()) {
        const owned = mine();
        const live = [...images.values()].filter(m => m.exists !== false).length + doubtfulCreates.length;
        const r = rand();
        let op;
        if ((owned.length === 0 || r < 0.3) && live < QUOTA - 1) op = 'create';
        else if (owned.length === 0) { await sleep(20); continue; }
        else op = pick(['share', 'share', 'unshare', 'delete']);
        const token = S.newToken();
        stats.calls++;
        if (op === 'create') {
          const src = pick(sources);
          const name = `crash-${w}-${nameSeq++}`;
          const params = createParams(src, name, token);
          try {
            const body = await R.createCustomImage(client, params);
            check(S.IMAGE_ID_RE.test(body.imageId), `create answered ${JSON.stringify(body)}`);
            check(!images.has(body.imageId), `create ${name} answered the existing image ${body.imageId}`);
            images.set(body.imageId, { name, params, token, owner: w, exists: true, inShare: false, doubt: null });
            ackedTokens.push({ kind: 'create', params, token, expect: body.imageId });
            stats.acked.create++;
          } catch (e) {
            if (isDefiniteRefusal(e)) {
              // Only the quota can refuse (other workers' creates raced ours to the limit).
              check(e.code === 'CustomImageQuotaLimit', `create ${name}: unexpected refusal ${e.code} ${e.message}`);
              stats.refused++;
              continue;
            }
            doubtfulCreates.push({ name, params, token, worker: w });
            stats.inDoubt++;
          }
          continue;
        }
        const [id, m] = pick(owned);
        const before = { exists: true, inShare: m.inShare };
        let after;
        let call;
        if (op === 'share') {
          after = { exists: true, inShare: true };
          call = () => R.modifyImageShareStatus(client, { imageId: id, operation: 'Share', clientToken: token });
        } else if (op === 'unshare') {
          after = { exists: true, inShare: false };
          call = () => R.modifyImageShareStatus(client, { imageId: id, operation: 'UnShare', clientToken: token });
        } else {
          // A shared image cannot be deleted (CustomImageInShare): that refusal is definite.
          after = m.inShare ? before : { exists: false, inShare: false };
          call = () => R.deleteCustomImage(client, { imageId: id, clientToken: token });
        }
        try {
          await call();
          check(!(op === 'delete' && m.inShare), `DeleteCustomImage of shared ${id} succeeded`);
          m.exists = after.exists;
          m.inShare = after.inShare;
          stats.acked[op]++;
          ackedTokens.push({ kind: op, id, token, call });
        } catch (e) {
          if (isDefiniteRefusal(e)) {
            // Expected refusals: Share/UnShare while still "4" (IncorrectImageStatus), delete
            // while shared (CustomImageInShare). Nothing changed.
            check(['IncorrectImageStatus', 'CustomImageInShare'].includes(e.code),
              `${op} ${id}: unexpected refusal ${e.code} ${e.message}`);
            stats.refused++;
            continue;
          }
          m.doubt = { op, before, after };
          stats.inDoubt++;
        }
      }
    };

    // --- epochs: load, SIGKILL, restart, verify ---------------------------------------------
    const ackedSoFar = () => Object.values(stats.acked).reduce((a, b) => a + b, 0);
    for (let k = 1; k <= opt.kills; k++) {
      const ackedAtStart = ackedSoFar();
      let stopped = false;
      const clients = [];
      for (let w = 0; w < opt.workers; w++) {
        // Every other worker signs with V1 (signatureAlgorithm 'v2'), the rest with V3.
        clients.push(S.swasClient(server.port, root, w % 2 ? { signatureAlgorithm: 'v2' } : {}));
      }
      // A worker's violation stops the epoch at once and fails the run after the kill.
      let failure = null;
      const workers = clients.map((cl, w) => runWorker(w, cl, () => stopped || failure !== null)
        .catch(e => { failure = failure || e; }));
      const epochStart = Date.now();
      await sleep(opt.minRunMs + Math.floor(rand() * (opt.maxRunMs - opt.minRunMs)));
      // Enough load before the kill, waited for rather than timed: a short random epoch on a
      // slow store (PostgreSQL, a loaded machine) may not have reached the floor yet. A server
      // that acknowledges nothing keeps it from being reached and fails the check below.
      const waitUntil = Date.now() + ACK_WAIT_MS;
      while (ackedSoFar() - ackedAtStart < opt.minAcked && failure === null && Date.now() < waitUntil) {
        await sleep(10);
      }
      const runMs = Date.now() - epochStart;
      const victim = server;
      // No new calls from here; the ones in flight are cut by the kill.
      stopped = true;
      victim.proc.kill('SIGKILL');
      const exit = await victim.kill();
      await Promise.all(workers);
      if (failure) throw failure;
      check(exit.signal === 'SIGKILL', `swasd exited by itself before the kill: ${JSON.stringify(exit)}\n${victim.stderr}`);
      stats.kills++;

      c = await start();
      const epoch = await verify(c, k);
      epoch.acked = ackedSoFar() - ackedAtStart;
      stats.epochs.push(epoch);
      log(`kill ${k}/${opt.kills} after ${runMs} ms: ${epoch.acked} acknowledged writes, ${epoch.images} images, ${epoch.inDoubt} in doubt ` +
        `(${epoch.applied} applied, ${epoch.notApplied} not), ${epoch.replays} replays, ${epoch.resumed} resumed "4"->"1"`);
      // Enough happened: a kill with (almost) nothing acknowledged or replayed checked nothing.
      check(epoch.acked >= opt.minAcked,
        `kill ${k}: only ${epoch.acked} acknowledged writes before it (at least ${opt.minAcked} required; ` +
        `${stats.inDoubt} unanswered, ${stats.refused} refused so far)`);
      check(epoch.replays >= opt.minReplays,
        `kill ${k}: only ${epoch.replays} ClientToken replays checked after it (at least ${opt.minReplays} required)`);
    }

    // Graceful stop at the end must still work on the crash-tested data dir.
    const exit = await server.stop();
    check(exit.code === 0, `final SIGTERM: exit ${JSON.stringify(exit)}\n${server.stderr}`);

    // --- verification after a restart -------------------------------------------------------
    async function verify(client, k) {
      const epoch = { kill: k, images: 0, inDoubt: 0, applied: 0, notApplied: 0, replays: 0, resumed: 0 };
      const list = async () => {
        const body = await R.listCustomImages(client, { pageSize: 100 });
        check(Number(body.totalCount) === (body.customImages || []).length, `paging: ${body.totalCount} vs ${body.customImages.length}`);
        return new Map((body.customImages || []).map(i => [i.imageId, i]));
      };
      let seen = await list();
      // 1 + 2: known and in-doubt images.
      for (const [id, m] of images) {
        const got = seen.get(id);
        if (m.doubt) {
          epoch.inDoubt++;
          const { op, before, after } = m.doubt;
          const state = got ? { exists: true, inShare: got.inShare } : { exists: false, inShare: false };
          const same = (a, b) => a.exists === b.exists && (!a.exists || a.inShare === b.inShare);
          check(same(state, before) || same(state, after),
            `image ${id}: unanswered ${op} left ${JSON.stringify(state)}, neither before ${JSON.stringify(before)} nor after ${JSON.stringify(after)}`);
          const applied = !same(before, after) && same(state, after);
          if (applied) { epoch.applied++; stats.inDoubtApplied++; } else { epoch.notApplied++; stats.inDoubtNotApplied++; }
          m.exists = state.exists;
          m.inShare = state.inShare;
          m.doubt = null;
          stats.verified++;
          continue;
        }
        if (m.exists) {
          check(got, `image ${id} (${m.name}): acknowledged create lost after kill ${k}`);
          check(got.inShare === m.inShare, `image ${id}: InShare ${got.inShare}, last acknowledged ${m.inShare}`);
          check(got.name === m.name, `image ${id}: name ${got.name}, created as ${m.name}`);
          stats.verified++;
        } else {
          check(!got, `image ${id}: acknowledged delete undone after kill ${k}`);
        }
      }
      // Unanswered creates: zero or one image with that name.
      for (const d of doubtfulCreates) {
        epoch.inDoubt++;
        const matches = [...seen.values()].filter(i => i.name === d.name);
        check(matches.length <= 1, `unanswered create ${d.name} produced ${matches.length} images`);
        if (matches.length === 1) {
          const img = matches[0];
          check(!images.has(img.imageId), `unanswered create ${d.name} answered as a known image`);
          check(img.systemSnapshotId === d.params.systemSnapshotId && img.instanceId === d.params.instanceId &&
            img.description === d.params.description && img.inShare === false,
          `unanswered create ${d.name} half-applied: ${JSON.stringify(img)}`);
          // 4: the token's record committed with the image: the replay answers it.
          const again = await R.createCustomImage(client, d.params);
          check(again.imageId === img.imageId, `replay of unanswered create ${d.name}: ${again.imageId}, image is ${img.imageId}`);
          epoch.replays++;
          stats.replays++;
          images.set(img.imageId, { name: d.name, params: d.params, token: d.token, owner: d.worker, exists: true, inShare: false, doubt: null });
          ackedTokens.push({ kind: 'create', params: d.params, token: d.token, expect: img.imageId });
          epoch.applied++;
          stats.inDoubtApplied++;
        } else {
          epoch.notApplied++;
          stats.inDoubtNotApplied++;
        }
        stats.verified++;
      }
      doubtfulCreates = [];
      // 3: no phantom images.
      seen = await list();
      for (const [id, img] of seen) {
        const m = images.get(id);
        check(m && m.exists, `phantom image ${id} (${img.name}) after kill ${k}`);
      }
      epoch.images = seen.size;
      // 4: replay every acknowledged create token from this run so far (cheap: one transaction
      // each) and a sample of share/unshare/delete tokens: same answer, no new image.
      const creates = ackedTokens.filter(t => t.kind === 'create');
      const others = ackedTokens.filter(t => t.kind !== 'create');
      const sample = creates.slice(-30).concat(others.slice(-10));
      for (const t of sample) {
        if (t.kind === 'create') {
          const again = await R.createCustomImage(client, t.params);
          check(again.imageId === t.expect, `ClientToken replay of create ${t.params.imageName}: ${again.imageId}, first answer ${t.expect}`);
        } else {
          // The call closure captured the old client; rebuild it against the new server.
          const p = { imageId: t.id, clientToken: t.token };
          if (t.kind === 'delete') await R.deleteCustomImage(client, p);
          else await R.modifyImageShareStatus(client, { ...p, operation: t.kind === 'share' ? 'Share' : 'UnShare' });
        }
        epoch.replays++;
        stats.replays++;
      }
      const after = await list();
      check(after.size === seen.size, `replays changed the image count: ${seen.size} -> ${after.size}`);
      for (const [id, img] of after) {
        check(img.inShare === seen.get(id).inShare, `a replay changed image ${id}`);
      }
      // 5: creating images resume and become available.
      const creating = [...after.values()].filter(i => i.status === '4').map(i => i.imageId);
      if (creating.length) {
        await S.waitFor(async () => {
          const now = await list();
          return creating.every(id => !now.has(id) || now.get(id).status === '1');
        }, IMAGE_READY_MS + 15000, { what: `images ${creating.join(',')} "4" -> "1" after restart` });
        epoch.resumed = creating.length;
        stats.resumed += creating.length;
      }
      for (const img of (await list()).values()) {
        check(img.status === '1', `image ${img.imageId} status ${img.status} after waiting`);
      }
      return epoch;
    }

    const ackedTotal = ackedSoFar();
    const leastPerKill = key => (stats.epochs.length ? Math.min(...stats.epochs.map(e => e[key])) : 0);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const line = `crash-test (${BACKEND}): PASS: ${stats.kills} SIGKILLs survived; ${ackedTotal} acknowledged writes ` +
      `(create ${stats.acked.create}, share ${stats.acked.share}, unshare ${stats.acked.unshare}, delete ${stats.acked.delete}); ` +
      `${stats.verified} write checks after restarts; ${stats.inDoubt} unanswered writes resolved ` +
      `(${stats.inDoubtApplied} applied atomically, ${stats.inDoubtNotApplied} not applied, 0 half-applied); ` +
      `${stats.replays} ClientToken replays matched; ${stats.resumed} images resumed "4"->"1"; ` +
      `0 phantom writes; at least ${leastPerKill('acked')} acknowledged writes and ` +
      `${leastPerKill('replays')} replays per kill (floors ${opt.minAcked}, ${opt.minReplays}); ` +
      `${stats.calls} calls in ${secs}s (seed ${opt.seed})`;
    console.log(line);
    if (opt.summary) {
      fs.mkdirSync(path.dirname(path.resolve(opt.summary)), { recursive: true });
      fs.writeFileSync(opt.summary, JSON.stringify({ backend: BACKEND, ...stats, ackedTotal, seconds: Number(secs), seed: opt.seed, line }, null, 2));
    }
    removeDir(dataDir);
  } catch (e) {
    console.error(`crash-test: FAIL (seed ${opt.seed}, data dir kept: ${dataDir}): ${e instanceof Violation ? 'VIOLATION: ' : ''}${e.stack || e}`);
    if (server) {
      console.error(`--- swasd stderr (last 3000 chars) ---\n${server.stderr.slice(-3000)}`);
      await server.kill();
    }
    process.exitCode = 1;
  }
}

main();

'use strict';
// A linearizability checker for small sequential models (Wing & Gong's search with Lowe's
// memoization, as in Knossos/Porcupine).
//
// A history is a list of operations, each observed by one client:
//   { call, ret, input, output }   call/ret: client-side timestamps (ms, monotonic) taken
//                                  just before sending and just after the answer;
//                                  ret = Infinity and output = undefined when the outcome
//                                  is unknown (connection cut, 5xx): such an operation
//                                  may have taken effect at any point after `call`, or never.
// A model is { init, step(state, input) -> { output, next }, key(state) -> string }.
//
// The history is linearizable when there is a total order of (all the known operations and
// some of the unknown ones) that (a) respects real time -- if a returned before b was
// called, a comes first -- and (b) replayed through the model from `init`, produces exactly
// each known operation's output. The search: repeatedly pick, among operations not yet
// placed, one that no other unplaced operation must precede (its call is not after every
// pending return), step the model, and backtrack on a mismatch. Visited (placed-set, state)
// pairs are cached, which keeps the search polynomial for histories whose concurrency is
// bounded by the client count.
//
// Returns { ok, order (indices of the linearization, when ok), explored, reason }.
function checkLinearizable(history, model, { maxExplored = 2e6 } = {}) {
  const ops = history.map((h, i) => ({ ...h, i }));
  ops.sort((a, b) => a.call - b.call);
  const n = ops.length;
  const placed = new Uint8Array(n);
  const seen = new Set();
  const order = [];
  let explored = 0;
  let deepest = { depth: -1, state: null };

  const known = ops.filter(o => o.ret !== Infinity).length;

  function placedKey() {
    // Compact bitset key.
    let s = '';
    for (let i = 0; i < n; i += 16) {
      let v = 0;
      for (let j = i; j < Math.min(n, i + 16); j++) if (placed[j]) v |= 1 << (j - i);
      s += String.fromCharCode(v);
    }
    return s;
  }

  function search(state, placedKnown) {
    if (placedKnown === known) return true;  // remaining ones are unknown: they never happened
    if (++explored > maxExplored) throw new Error(`linearizability search exceeded ${maxExplored} states`);
    const memo = placedKey() + '|' + model.key(state);
    if (seen.has(memo)) return false;
    seen.add(memo);
    if (order.length > deepest.depth) deepest = { depth: order.length, state: model.key(state) };
    // The earliest return among unplaced operations bounds which ones may go next.
    let minRet = Infinity;
    for (let k = 0; k < n; k++) if (!placed[k] && ops[k].ret < minRet) minRet = ops[k].ret;
    for (let k = 0; k < n; k++) {
      if (placed[k]) continue;
      const o = ops[k];
      if (o.call > minRet) break;  // sorted by call: no later op can go next either
      const { output, next } = model.step(state, o.input);
      if (o.ret !== Infinity && !model.same(output, o.output)) continue;
      placed[k] = 1;
      order.push(o.i);
      if (search(next, placedKnown + (o.ret !== Infinity ? 1 : 0))) return true;
      order.pop();
      placed[k] = 0;
    }
    return false;
  }

  const ok = search(model.init, 0);
  return {
    ok,
    order: ok ? order.slice() : null,
    explored,
    reason: ok ? null : `no linearization; the longest consistent prefix placed ${deepest.depth} of ${n} operations (state then: ${deepest.state})`,
  };
}

module.exports = { checkLinearizable };

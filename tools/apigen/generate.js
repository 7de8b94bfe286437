#!/usr/bin/env node
// Generates swasd's API model from the official Alibaba Cloud npm SDKs.
//
//   node tools/apigen/generate.js            writes api/sdk/<product>.json
//   node tools/apigen/generate.js --check    exits 1 when a committed spec
//                                            differs from what it would write
//
// The SDK packages are the ones tests/e2e installs (npm ci there first).
// Everything comes from the SDKs' own machine-readable metadata, nothing
// from their prose except the one-line summary:
//   - each client method `<op>WithOptions` names its action, version, HTTP
//     method and style; calling it with a stubbed transport shows where each
//     request field travels (query or body) and how it is flattened;
//   - each request/response model has names() (field -> wire name) and
//     types() (field -> type, array, map or nested model).
// Developers run this when an SDK version changes; the build only reads the
// committed output (cmake and swasd need neither Node nor the network).
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..', '..');
const e2e = path.join(root, 'tests', 'e2e');
const outDir = path.join(root, 'api', 'sdk');

// The products swasd models: RAM service code, npm package.
const PRODUCTS = [
  { code: 'swas-open', pkg: '@alicloud/swas-open20200601' },
  { code: 'ecs', pkg: '@alicloud/ecs20140526' },
  { code: 'vpc', pkg: '@alicloud/vpc20160428' },
  { code: 'ram', pkg: '@alicloud/ram20150501' },
  { code: 'sts', pkg: '@alicloud/sts20150401' },
];

// Products whose npm SDK the registry swasd installs from does not carry
// (npm answers 404 for @alicloud/actiontrail20200706): their
// api/sdk/<code>.json is transcribed by hand, in this generator's format,
// from the SDK's published source (aliyun/alibabacloud-typescript-sdk,
// actiontrail-20200706/src: client.ts for method and placement, models/ for
// names() and types()), and only for the operations swasd implements. Move
// a product to PRODUCTS (and its package to tests/e2e/package.json) once
// the package installs; --check then compares it like the others.
// swasd.json is swasd's own admin API (fault injection rules), which no SDK
// has: written by hand in the same format.
const TRANSCRIBED = [
  { code: 'actiontrail', source: "transcribed from @alicloud/actiontrail20200706's source" },
  { code: 'swasd', source: "swasd's own admin API, no SDK" },
];

function load(pkg) {
  const dir = path.join(e2e, 'node_modules', ...pkg.split('/'));
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'))).version;
  return { mod: require(dir), version, dir };
}

function isModel(t) {
  return typeof t === 'function' && typeof t.types === 'function';
}

// A type as the spec writes it: "string" | "integer" | "number" |
// "boolean" | "any" | "binary" for scalars, [item] for an array,
// {"$map": value} for a map, and {WireName: type, ...} for a model.
function scalar(t) {
  switch (t) {
    case 'string': return 'string';
    case 'number': return 'number';
    case 'integer': case 'int32': case 'int64': case 'long': return 'integer';
    case 'float': case 'double': return 'number';
    case 'boolean': return 'boolean';
    case 'any': return 'any';
    case 'Readable': case 'Buffer': case 'bytes': return 'binary';
    default: throw new Error(`unknown SDK type ${t}`);
  }
}

function typeOf(t, seen) {
  if (typeof t === 'string') return scalar(t);
  if (isModel(t)) return modelShape(t, seen);
  if (t && typeof t === 'object') {
    if (t.type === 'array') return [typeOf(t.itemType, seen)];
    if (t.type === 'map') return { $map: typeOf(t.valueType, seen) };
  }
  throw new Error(`unknown SDK type ${JSON.stringify(t)}`);
}

function modelShape(M, seen = new Set()) {
  if (seen.has(M)) return 'any';  // a recursive model; none known today
  seen.add(M);
  const names = M.names();
  const types = M.types();
  const out = {};
  for (const field of Object.keys(names)) out[names[field]] = typeOf(types[field], seen);
  seen.delete(M);
  return out;
}

// A sample value of each type, so the stubbed call shows how a field is sent.
function sample(t) {
  if (typeof t === 'string') {
    switch (scalar(t)) {
      case 'string': return 's';
      case 'number': case 'integer': return 7;
      case 'boolean': return true;
      case 'binary': return undefined;
      default: return 's';
    }
  }
  if (isModel(t)) return sampleModel(t);
  if (t.type === 'array') return [sample(t.itemType)];
  if (t.type === 'map') return { k: sample(t.valueType) };
  return 's';
}

function sampleModel(M) {
  const types = M.types();
  const init = {};
  for (const f of Object.keys(types)) init[f] = sample(types[f]);
  return new M(init);
}

// How a request field was put on the wire, judged from the flattened keys
// the stubbed transport received:
//   "simple"  Name=value
//   "repeat"  Name.1=a&Name.2=b (or Name.1.Key=.. for a list of models)
//   "flat"    Name.Key=.. (a model or map spread into keys)
//   "json"    Name=<the value JSON-encoded> (the SDKs' "shrink" fields)
function placement(wire, t, query, body) {
  for (const [where, bag] of [['query', query], ['body', body]]) {
    if (!bag) continue;
    const keys = Object.keys(bag);
    if (keys.includes(wire)) {
      const structured = typeof t !== 'string';
      const v = bag[wire];
      if (structured && typeof v === 'string') return { in: where, style: 'json' };
      if (structured && typeof v === 'object') return { in: where, style: 'flat' };
      return { in: where, style: 'simple' };
    }
    if (keys.some((k) => k.startsWith(wire + '.1'))) return { in: where, style: 'repeat' };
    if (keys.some((k) => k.startsWith(wire + '.'))) return { in: where, style: 'flat' };
  }
  return null;
}

function summaryOf(source, method) {
  // The JSDoc block right above `async <method>(`: its @summary, else its
  // first paragraph; one line, at most 200 characters.
  const at = source.indexOf(`    async ${method}(`);
  if (at < 0) return '';
  const open = source.lastIndexOf('/**', at);
  const close = source.lastIndexOf('*/', at);
  if (open < 0 || close < open) return '';
  const lines = source.slice(open + 3, close).split('\n')
      .map((l) => l.replace(/^\s*\*\s?/, '').trim());
  const tagged = lines.find((l) => l.startsWith('@summary'));
  let text;
  if (tagged) {
    text = tagged.replace(/^@summary\s*/, '');
  } else {
    const para = [];
    for (const l of lines) {
      if (l.startsWith('@') || (l === '' && para.length)) break;
      if (l) para.push(l);
    }
    text = para.join(' ');
  }
  text = text.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  return text.length > 200 ? text.slice(0, 197) + '...' : text;
}

async function describe(product) {
  const { mod, version: pkgVersion, dir } = load(product.pkg);
  const Client = mod.default;
  const source = fs.readFileSync(path.join(dir, 'dist', 'client.js'), 'utf8');
  const methods = Object.getOwnPropertyNames(Client.prototype)
      .filter((n) => n.endsWith('WithOptions')).sort();
  const client = Object.create(Client.prototype);
  let captured = null;
  const stub = async (params, req) => { captured = { params, req }; return {}; };
  client.callApi = stub;
  client.execute = stub;
  // Anonymous STS calls go through doRPCRequest(action, version, protocol,
  // method, authType, bodyType, request, runtime).
  client.doRPCRequest = async (action, version, protocol, method, authType, bodyType, req) => {
    captured = { params: { action, version, method, style: 'RPC', authType }, req };
    return {};
  };
  const ops = [];
  let apiVersion = null;
  for (const m of methods) {
    const base = m.slice(0, -'WithOptions'.length);
    const Name = base[0].toUpperCase() + base.slice(1);
    const Req = mod[`${Name}Request`];
    const Resp = mod[`${Name}Response`];
    captured = null;
    const req = Req ? sampleModel(Req) : undefined;
    // RPC methods take (request, runtime); ROA ones (request, headers, runtime).
    const args = Client.prototype[m].length >= 3 ? [req, {}, {}] : [req, {}];
    try {
      await client[m](...(Req ? args : args.slice(1)));
    } catch (e) {
      throw new Error(`${product.pkg} ${m}: ${e.message}`);
    }
    if (!captured) throw new Error(`${product.pkg} ${m}: no request captured`);
    const p = captured.params;
    apiVersion = apiVersion || p.version;
    if (p.version !== apiVersion) throw new Error(`${m}: version ${p.version} != ${apiVersion}`);
    const params = [];
    const skipped = [];
    if (Req) {
      const names = Req.names();
      const types = Req.types();
      const { query, body } = captured.req;
      for (const f of Object.keys(names)) {
        const wire = names[f];
        const where = placement(wire, types[f], query, body);
        if (!where) { skipped.push(`${p.action}.${wire}`); continue; }  // never sent
        params.push({ name: wire, type: typeOf(types[f], new Set()), ...where });
      }
    }
    if (skipped.length) console.error(`apigen: ${product.code}: not sent by the SDK: ${skipped.join(", ")}`);
    let response = {};
    if (Resp) {
      const body = Resp.types().body;
      if (isModel(body)) response = modelShape(body);
    }
    ops.push({
      action: p.action,
      method: p.method,
      style: p.style,
      ...(p.authType && p.authType !== 'AK' ? { auth: p.authType } : {}),
      summary: summaryOf(source, base),
      params,
      response,
    });
  }
  ops.sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
  return { product: product.code, version: apiVersion, package: product.pkg, packageVersion: pkgVersion, operations: ops };
}

// One operation per line: compact, and a version bump diffs by operation.
function render(spec) {
  const head = { ...spec };
  delete head.operations;
  const lines = spec.operations.map((op) => JSON.stringify(op));
  const h = JSON.stringify(head);
  return `${h.slice(0, -1)},"operations":[\n${lines.join(',\n')}\n]}\n`;
}

async function main() {
  const check = process.argv.includes('--check');
  fs.mkdirSync(outDir, { recursive: true });
  let differ = 0;
  for (const product of PRODUCTS) {
    const spec = await describe(product);
    const text = render(spec);
    const file = path.join(outDir, `${product.code}.json`);
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (check) {
      if (old !== text) {
        console.error(`apigen: ${path.relative(root, file)} differs from ${product.pkg}@${spec.packageVersion}; run node tools/apigen/generate.js`);
        differ++;
      } else {
        console.log(`apigen: ${path.relative(root, file)} matches ${product.pkg}@${spec.packageVersion} (${spec.operations.length} operations)`);
      }
    } else {
      fs.writeFileSync(file, text);
      console.log(`apigen: wrote ${path.relative(root, file)}: ${spec.operations.length} operations, ${text.length} bytes`);
    }
  }
  for (const t of TRANSCRIBED) {
    const file = path.join(outDir, `${t.code}.json`);
    if (!fs.existsSync(file)) {
      console.error(`apigen: ${path.relative(root, file)} (transcribed from ${t.source}) is missing`);
      differ++;
    } else {
      console.log(`apigen: ${path.relative(root, file)} is written by hand (${t.source}), not generated`);
    }
  }
  process.exit(differ ? 1 : 0);
}

main().catch((e) => { console.error(e.stack || e); process.exit(2); });
